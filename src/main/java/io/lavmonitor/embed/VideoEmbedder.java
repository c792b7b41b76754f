package io.lavmonitor.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lavmonitor.video.FrameSampling;
import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds every frame of a video with a {@link LavEncoder}: the backbone runs once per frame, and
 * each frame's embedding stacks the kept features of its k context frames (strided, clamped at
 * frame 0), so the backbone never runs k times per frame.
 *
 * @param contextFrames k
 * @param stride frames between context frames
 * @param batch frames (and clips) per forward pass
 */
public record VideoEmbedder(LavEncoder encoder, Preprocessor preprocessor, int contextFrames,
                            int stride, int batch) {

  /** One embedding row per frame, in frame order. */
  public double[][] embed(NDManager manager, VideoSource source) {
    return embed(manager, preprocessor.chw(source));
  }

  /** Embeddings of preprocessed frames (3 x size x size each, CHW). */
  public double[][] embed(NDManager manager, List<float[]> frames) {
    int n = frames.size();
    int size = preprocessor.size();
    ParameterStore ps = new ParameterStore(manager, false);
    try (NDManager scope = manager.newSubManager()) {
      List<NDArray> features = new ArrayList<>();
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        float[] flat = new float[(to - from) * 3 * size * size];
        for (int i = from; i < to; i++) {
          System.arraycopy(frames.get(i), 0, flat, (i - from) * 3 * size * size,
              3 * size * size);
        }
        NDArray x = scope.create(flat, new Shape(to - from, 3, size, size));
        NDArray f = encoder.backbone().forward(ps, new NDList(x), false).singletonOrThrow();
        for (int i = 0; i < to - from; i++) {
          features.add(f.get(i));
        }
      }
      double[][] out = new double[n][];
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        List<NDArray> clip = new ArrayList<>();
        for (int t = from; t < to; t++) {
          for (int c : FrameSampling.context(t, contextFrames, stride)) {
            clip.add(features.get(c));
          }
        }
        NDArray stacked = NDArrays.stack(new NDList(clip));
        NDArray e = encoder.embed(ps, stacked, to - from, contextFrames, false);
        float[] values = e.toFloatArray();
        int d = (int) e.getShape().get(1);
        for (int t = from; t < to; t++) {
          double[] row = new double[d];
          for (int k = 0; k < d; k++) {
            row[k] = values[(t - from) * d + k];
          }
          out[t] = row;
        }
      }
      return out;
    }
  }
}
