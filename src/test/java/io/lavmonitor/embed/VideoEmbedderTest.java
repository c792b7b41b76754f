package io.lavmonitor.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import io.lavmonitor.video.FrameSampling;
import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedding a real video file with feature reuse equals running the whole encoder per clip. */
class VideoEmbedderTest {
  @TempDir
  Path dir;

  @Test
  void featureReuseGivesTheSameEmbeddingsAsWholeClips() throws Exception {
    SynthGenerator.generate(dir, new SynthGenerator.Options(Task.POUR, 1, 2, 0, 0, 64, 10,
        false, 1), n -> { });
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed(3);
    Preprocessor pre = new Preprocessor(64, true);
    try (NDManager manager = engine.newBaseManager()) {
      LavEncoder enc = LavEncoder.small(16);
      enc.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 3, 64, 64));
      VideoEmbedder embedder = new VideoEmbedder(enc, pre, 2, 3, 8);
      double[][] emb;
      java.util.List<float[]> frames;
      try (VideoSource s = VideoSources.open(dir.resolve("videos/pour_0000.mp4").toString())) {
        frames = pre.chw(s);
      }
      emb = embedder.embed(manager, frames);
      assertEquals(frames.size(), emb.length);
      assertEquals(16, emb[0].length);
      // The whole encoder on the explicit clip of a few frames, for comparison.
      ParameterStore ps = new ParameterStore(manager, false);
      for (int t : new int[] {0, 1, 5, frames.size() - 1}) {
        int[] ctx = FrameSampling.context(t, 2, 3);
        float[] clip = new float[2 * 3 * 64 * 64];
        for (int i = 0; i < 2; i++) {
          System.arraycopy(frames.get(ctx[i]), 0, clip, i * 3 * 64 * 64, 3 * 64 * 64);
        }
        NDArray x = manager.create(clip, new Shape(1, 2, 3, 64, 64));
        float[] whole = enc.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
        for (int k = 0; k < 16; k++) {
          assertEquals(whole[k], emb[t][k], 1e-5, "frame " + t + " dim " + k);
        }
      }
    }
  }
}
