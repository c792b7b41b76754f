package io.lavmonitor.footage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Footage anomalies as their labels say, checked on the decoded video and the truth: a frozen
 * feed repeats one image, a cut part is absent from its cycle, swapped parts play in the other
 * order, and every anomaly lies inside the cycle it spoils.
 */
class AnomalyStreamTest {
  @TempDir
  Path dir;

  @Test
  void everyAnomalyIsWhereItsLabelsSay() throws Exception {
    SynthGenerator.generate(dir.resolve("clip"), new SynthGenerator.Options(Task.PRESS, 1, 4,
        0, 0, 96, 15, false, 1), n -> { });
    FootageGenerator.Clip clip = new FootageGenerator.Clip("press",
        dir.resolve("clip/videos/press_0000.mp4"), 0, 120, 4);
    FootageGenerator.Options look = new FootageGenerator.Options(0, 0, 0, 0.5, 1.8, 64, 48, 15,
        4, 7);
    List<String> names = AnomalyStream.generate(clip, look, new AnomalyStream.Options(1, 14,
        1.0, 3), dir.resolve("out"));
    VideoLabels l = VideoLabels.read(dir.resolve("out/labels/" + names.get(0) + ".json"));
    List<int[]> gray = new ArrayList<>();
    try (VideoSource s = VideoSources.open(dir.resolve("out/videos/" + names.get(0) + ".mp4")
        .toString())) {
      for (VideoFrame f = s.next(); f != null; f = s.next()) {
        int[] g = new int[f.width() * f.height()];
        for (int i = 0; i < g.length; i++) {
          g[i] = (f.rgb()[3 * i] & 0xff) + (f.rgb()[3 * i + 1] & 0xff) + (f.rgb()[3 * i + 2]
              & 0xff);
        }
        gray.add(g);
      }
    }
    assertEquals(l.numFrames(), gray.size());
    assertEquals(14, l.cycles().size());
    Set<String> types = new HashSet<>();
    for (VideoLabels.Anomaly a : l.anomalies()) {
      types.add(a.type());
      VideoLabels.Span c = l.cycles().stream().filter(s -> s.start() <= a.start()
          && a.end() <= s.end()).findFirst().orElseThrow(() -> new AssertionError(a
          + " outside every cycle"));
      switch (a.type()) {
        case "stall" -> {
          // The same image again and again (H.264 only re-quantises it at key frames), while
          // the camera's shake moves normal frames.
          assertTrue(a.end() - a.start() + 1 >= 45, a.toString());
          assertTrue(meanDiff(gray, a.start() + 1, a.end()) < 0.25 * meanDiff(gray, c.start(),
              a.start() - 1), a.toString());
        }
        case "skipped_phase" -> {
          int k = l.phases().indexOf(a.phase());
          for (int t = c.start(); t <= c.end(); t++) {
            assertFalse(l.frameLabels()[t] == k, "frame " + t + " shows the cut " + a);
          }
        }
        case "swapped_phases" -> {
          String[] two = a.phase().split(",");
          assertEquals(l.phases().indexOf(two[1]), l.frameLabels()[a.start()], a.toString());
          assertEquals(l.phases().indexOf(two[0]), l.frameLabels()[a.end()], a.toString());
        }
        case "foreign_object" -> assertTrue(a.end() - a.start() + 1 >= 15, a.toString());
        default -> throw new AssertionError("unknown type " + a);
      }
    }
    assertEquals(Set.copyOf(AnomalyStream.TYPES), types, "every type at rate 1 over 14 cycles");
  }

  /** Mean absolute difference of consecutive frames from..to (sums of RGB per pixel). */
  private static double meanDiff(List<int[]> gray, int from, int to) {
    double sum = 0;
    int n = 0;
    for (int t = Math.max(1, from); t <= to; t++) {
      int[] a = gray.get(t - 1);
      int[] b = gray.get(t);
      for (int i = 0; i < a.length; i++) {
        sum += Math.abs(a[i] - b[i]);
      }
      n += a.length;
    }
    return n == 0 ? 0 : sum / n;
  }
}
