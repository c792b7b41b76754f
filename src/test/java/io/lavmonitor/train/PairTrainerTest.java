package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.loss.LavLoss;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training steps on real decoded video with real libtorch lower the LAV loss. */
class PairTrainerTest {
  @TempDir
  Path dir;

  static PairTrainer.Frames frames(Path video, Preprocessor pre) {
    try (VideoSource s = VideoSources.open(video.toString())) {
      return new PairTrainer.Frames(video.getFileName().toString(), pre.chw(s));
    }
  }

  @Test
  void trainingStepsLowerTheLoss() throws Exception {
    SynthGenerator.generate(dir, new SynthGenerator.Options(Task.PRESS, 2, 6, 0, 0, 48, 10,
        false, 1), n -> { });
    Preprocessor pre = new Preprocessor(48, true);
    PairTrainer.Frames a = frames(dir.resolve("videos/press_0000.mp4"), pre);
    PairTrainer.Frames b = frames(dir.resolve("videos/press_0001.mp4"), pre);
    try (NDManager m = Encoders.engine().newBaseManager()) {
      LavEncoder enc = Encoders.create("small", 32, 48, 2, m, null, 5);
      PairTrainer.Settings s = new PairTrainer.Settings(12, 2, 5, 1e-3, 1e-5, false, 0, 0);
      PairTrainer trainer = new PairTrainer(enc, m, 48, LavLoss.defaults(), s, 9);
      java.util.List<Double> losses = new java.util.ArrayList<>();
      int steps = 40;
      for (int i = 0; i < steps; i++) {
        double l = trainer.step(a, b);
        if (Double.isFinite(l)) {
          losses.add(l);
        }
      }
      // A non-finite step would be skipped, not applied; none should occur.
      assertEquals(0, trainer.skippedSteps(), "skipped steps; losses " + losses);
      double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).sum() / 5;
      double last = losses.subList(losses.size() - 5, losses.size()).stream()
          .mapToDouble(Double::doubleValue).sum() / 5;
      assertTrue(last < first, "mean loss of the last 5 steps " + last + " not below the first 5 "
          + first + ": " + losses);
    }
  }

  @Test
  void aFiniteLossWithANonFiniteGradientIsSkippedNotApplied() throws Exception {
    SynthGenerator.generate(dir, new SynthGenerator.Options(Task.PRESS, 2, 6, 0, 0, 32, 8,
        false, 1), n -> { });
    Preprocessor pre = new Preprocessor(32, true);
    PairTrainer.Frames a = frames(dir.resolve("videos/press_0000.mp4"), pre);
    PairTrainer.Frames b = frames(dir.resolve("videos/press_0001.mp4"), pre);
    try (NDManager m = Encoders.engine().newBaseManager()) {
      LavEncoder enc = Encoders.create("small", 8, 32, 2, m, null, 5);
      // sqrt(|x - x|) is 0, but its derivative at 0 is infinite: the chain rule gives NaN.
      Objective bad = (x, y, rnd) -> x.embeddings().sub(x.embeddings().stopGradient()).abs()
          .sqrt().sum();
      PairTrainer.Settings s = new PairTrainer.Settings(6, 2, 3, 1e-3, 1e-5, false, 0, 0);
      PairTrainer trainer = new PairTrainer(enc, m, 32, bad, s, 9);
      java.util.List<float[]> before = trainable(enc);
      assertEquals(0.0, trainer.step(a, b));
      assertEquals(1, trainer.skippedSteps());
      // Batch normalisation's running statistics move in any training forward pass; the
      // trainable weights must not.
      java.util.List<float[]> after = trainable(enc);
      for (int i = 0; i < before.size(); i++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(i), after.get(i),
            "trainable parameter " + i + " untouched by the bad step");
      }
      // The next, healthy step trains normally: the bad gradient was cleared.
      PairTrainer good = new PairTrainer(enc, m, 32, LavLoss.defaults(), s, 9);
      assertTrue(Double.isFinite(good.step(a, b)));
      assertEquals(0, good.skippedSteps());
    }
  }

  private static java.util.List<float[]> trainable(LavEncoder enc) {
    java.util.List<float[]> out = new java.util.ArrayList<>();
    for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : enc.getParameters()) {
      if (p.getValue().requiresGradient()) {
        out.add(p.getValue().getArray().toFloatArray());
      }
    }
    return out;
  }
}
