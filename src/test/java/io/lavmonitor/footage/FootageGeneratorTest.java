package io.lavmonitor.footage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.align.StreamingAligner;
import io.lavmonitor.data.Dataset;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The re-timed footage benchmark: its warps and truth, the files it writes, and its measures on
 * raw pixels, with a clip written by the synthetic generator standing in for a camera's.
 */
class FootageGeneratorTest {
  @TempDir
  Path dir;

  @Test
  void warpsAreMonotoneWithinTheirSpeedsAndCoverTheCycle() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      Warp w = Warp.random(36, 0.5, 1.8, r);
      assertEquals(0.0, w.position(0));
      assertEquals(35.0, w.position(w.length() - 1));
      for (int t = 1; t < w.length(); t++) {
        double step = w.position(t) - w.position(t - 1);
        assertTrue(step > 0 && step <= 1.8 + 1e-9, "step " + step);
        if (t < w.length() - 1) {
          assertTrue(step >= 0.5 - 1e-9, "step " + step);
        }
      }
      assertTrue(w.length() >= 20 && w.length() <= 72, "length " + w.length());
    }
  }

  @Test
  void writesRecordingsWhoseTruthMatchesTheirFramesAndMeasuresThem() throws Exception {
    SynthGenerator.generate(dir.resolve("clip"), new SynthGenerator.Options(Task.PRESS, 1, 4,
        0, 0, 96, 15, false, 1), n -> { });
    Path clipVideo = dir.resolve("clip/videos/press_0000.mp4");
    FootageGenerator.Clip clip = new FootageGenerator.Clip("press", clipVideo, 0, 120, 4);
    assertEquals(30, clip.referenceFrames());
    Path out = dir.resolve("bench");
    FootageGenerator.generate(clip, new FootageGenerator.Options(4, 2, 3, 0.5, 1.8, 64, 48, 15,
        3, 7), out);
    Dataset ds = Dataset.open(out);
    assertEquals(4, ds.train().size());
    assertEquals(2, ds.val().size());
    for (Dataset.Entry e : ds.val()) {
      FootageGenerator.Truth t = FootageGenerator.Truth.read(out.resolve("truth/" + e.name()
          + ".json"));
      int frames = 0;
      try (VideoSource s = VideoSources.open(e.video().toString())) {
        while (s.next() != null) {
          frames++;
        }
      }
      assertEquals(t.positions().length, frames, "one truth per frame of " + e.name());
      assertEquals(frames, e.labels().numFrames());
      for (int i = 0; i < frames; i++) {
        // Labels cut the cycle into equal parts, from the truth.
        int part = (int) (Math.round(t.positions()[i]) * 3 / 30);
        assertEquals(Math.min(2, part), e.labels().frameLabels()[i]);
      }
    }
    FootageGenerator.Truth stream = FootageGenerator.Truth.read(out.resolve(
        "truth/press_stream.json"));
    assertEquals(3, stream.cycles().size());
    for (VideoLabels.Span c : stream.cycles()) {
      assertEquals(0.0, stream.positions()[c.start()]);
      assertEquals(29.0, stream.positions()[c.end()]);
      assertTrue(Double.isNaN(stream.positions()[c.start() - 1]), "idle before each cycle");
    }
    Map<String, Object> m = FootageEvaluation.run(out, Features.pixels(),
        StreamingAligner.Config.defaults(StreamingAligner.Mode.CYCLE),
        StreamingAligner.Config.defaults(StreamingAligner.Mode.CONTINUOUS)
            .withMinCycleFrames(15).withMatchThreshold(0.4));
    assertEquals(30, m.get("reference_frames"));
    for (String k : new String[] {"position_error_soft", "position_error_hard",
        "position_error_offline_dtw"}) {
      double e = (Double) m.get(k);
      assertTrue(e >= 0 && e < 30, k + " " + e);
    }
    assertEquals(3, m.get("stream_cycles"));
    assertTrue((Double) m.get("boundary_recall") <= 1.0);
  }
}
