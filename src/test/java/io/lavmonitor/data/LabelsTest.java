package io.lavmonitor.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.io.PhaseLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {
  @TempDir
  Path dir;

  @Test
  void labelFilesRoundTrip() {
    VideoLabels l = new VideoLabels("v1", 15, 6, List.of("a", "b", "c"),
        new int[] {0, 0, 1, 1, 2, 2}, new int[] {1, 3},
        List.of(new VideoLabels.Anomaly("stall", 2, 3, "b")), List.of());
    Path f = dir.resolve("v1.json");
    l.write(f);
    VideoLabels back = VideoLabels.read(f);
    assertEquals(l.video(), back.video());
    assertArrayEquals(l.frameLabels(), back.frameLabels());
    assertArrayEquals(l.keyEvents(), back.keyEvents());
    assertEquals(l.anomalies(), back.anomalies());
    assertEquals("b", back.phaseAt(3));
    // The same file serves as --reference-labels for lav align.
    PhaseLabels p = PhaseLabels.read(f);
    assertArrayEquals(l.frameLabels(), p.labels());
    assertEquals(l.phases(), p.names());
  }

  @Test
  void invalidLabelFilesAreRefusedWithTheReason() throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"video\": \"x\", \"fps\": 15, \"num_frames\": 3, \"phases\": [\"a\"],"
        + " \"frame_labels\": [0, 0]}");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> VideoLabels.read(f));
    assertTrue(e.getMessage().contains("2 frame labels for num_frames 3"), e.getMessage());
    Files.writeString(f, "{\"video\": \"x\", \"fps\": 15, \"num_frames\": 2, \"phases\": [\"a\"],"
        + " \"frame_labels\": [0, 1]}");
    e = assertThrows(InvalidInputException.class, () -> VideoLabels.read(f));
    assertTrue(e.getMessage().contains("frame 1 has phase 1"), e.getMessage());
  }

  @Test
  void perFrameLabelArraysBecomeLabelsWithKeyEventsAtTransitions() {
    VideoLabels l = VideoLabels.fromFrameLabels("penn_0001", 30,
        new int[] {0, 0, 0, 1, 1, 2, 2, 2}, null);
    assertEquals(List.of("phase_0", "phase_1", "phase_2"), l.phases());
    assertArrayEquals(new int[] {2, 4}, l.keyEvents());
  }

  @Test
  void tccAnnotationsAreAveragedOverAnnotatorsWithGapsClosedAtMidpoints() throws Exception {
    // Two annotators; phases given out of order; times in microseconds; 10 fps -> 100000 us
    // per frame. Averages: hand_touches [0, 290000], liquid_starts [410000, 700000],
    // liquid_ends [700000, 1000000]. Gap 290000..410000 closes at 350000 (frame 3.5).
    Path f = dir.resolve("pouring.json");
    Files.writeString(f, """
        {"pour_001": {
           "annotator_a": {"liquid_starts": [400000, 700000], "hand_touches": [0, 300000],
                           "liquid_ends": [700000, 1000000]},
           "annotator_b": {"hand_touches": [0, 280000], "liquid_starts": [420000, 700000],
                           "liquid_ends": [700000, 1000000]}},
         "pour_002": {"a": {"x": [0, 1]}}}""");
    assertEquals(List.of("pour_001", "pour_002"), TccAnnotations.videos(f));
    VideoLabels l = TccAnnotations.labels(f, "pour_001", 10, 12);
    assertEquals(List.of("hand_touches", "liquid_starts", "liquid_ends"), l.phases());
    // Frame t at t*100000 us: 0..3 -> phase 0 (t=3 is 300000 < 350000), 4..6 -> 1 (< 700000),
    // 7.. -> 2, and frames past the last annotation stay in the last phase.
    assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2}, l.frameLabels());
    assertArrayEquals(new int[] {3, 6}, l.keyEvents());
    assertThrows(InvalidInputException.class, () -> TccAnnotations.labels(f, "nope", 10, 5));
    Files.writeString(f, "{\"v\": {\"a\": {\"p\": [0]}}}");
    assertThrows(InvalidInputException.class, () -> TccAnnotations.labels(f, "v", 10, 5));
  }

  @Test
  void datasetsNeedSplitsLabelsAndVideos() throws Exception {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Dataset.open(dir));
    assertTrue(e.getMessage().contains("splits.json"), e.getMessage());
    Dataset.writeSplits(dir, new Dataset.Splits(List.of("v1"), List.of()));
    Files.createDirectories(dir.resolve("videos"));
    e = assertThrows(InvalidInputException.class, () -> Dataset.open(dir).train());
    assertTrue(e.getMessage().contains("no labels for video 'v1'"), e.getMessage());
    VideoLabels.fromFrameLabels("v1", 15, new int[] {0, 1}, null)
        .write(dir.resolve("labels/v1.json"));
    e = assertThrows(InvalidInputException.class, () -> Dataset.open(dir).train());
    assertTrue(e.getMessage().contains("no video named 'v1'"), e.getMessage());
    Files.createDirectories(dir.resolve("videos/v1"));
    assertEquals(dir.resolve("videos/v1"), Dataset.open(dir).train().get(0).video());
  }
}
