package io.lavmonitor.embed;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoFrame;
import java.util.Deque;

/**
 * Embeds a camera's frames one at a time: the backbone runs once per new frame, and its features
 * join the camera's history, from which the k context frames of each embedding are taken (at the
 * stride, clamped to the oldest kept frame). The history belongs to the caller (the monitor keeps
 * it in memory per camera, as a cache); this object holds only a native-memory scope, so use one per
 * thread, as DJL's predictors, and close it.
 */
public final class StreamEmbedder implements AutoCloseable {
  private final LavEncoder encoder;
  private final Preprocessor pre;
  private final int k;
  private final int stride;
  private final NDManager manager;
  private final ParameterStore ps;
  private Shape featureShape;

  public StreamEmbedder(LavEncoder encoder, int size, int k, int stride, Device device) {
    this.encoder = encoder;
    this.pre = new Preprocessor(size, true);
    this.k = k;
    this.stride = stride;
    this.manager = Encoders.engine().newBaseManager(device);
    this.ps = new ParameterStore(manager, false);
  }

  /** Frames of history an embedding can reach back to, the current one included. */
  public int keep() {
    return (k - 1) * stride + 1;
  }

  /** Embeds a frame, appending its features to {@code history} and trimming it to keep(). */
  public double[] embed(VideoFrame frame, Deque<float[]> history) {
    return embedChw(pre.toChw(frame), history);
  }

  /** As {@link #embed(VideoFrame, Deque)}, from a decoded image (no RGB copy on the way). */
  public double[] embed(java.awt.image.BufferedImage image, Deque<float[]> history) {
    return embedChw(pre.toChw(image), history);
  }

  private double[] embedChw(float[] chw, Deque<float[]> history) {
    int size = pre.size();
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(chw, new Shape(1, 3, size, size));
      NDArray f = encoder.backbone().forward(ps, new NDList(x), false).singletonOrThrow();
      featureShape = f.getShape();
      float[] feat = f.toFloatArray();
      if (!history.isEmpty() && history.peekLast().length != feat.length) {
        history.clear(); // features of another backbone (after a model swap)
      }
      history.addLast(feat);
      while (history.size() > keep()) {
        history.removeFirst();
      }
      float[][] h = history.toArray(new float[0][]);
      long c = featureShape.get(1);
      long fh = featureShape.get(2);
      long fw = featureShape.get(3);
      float[] clip = new float[k * feat.length];
      for (int i = 0; i < k; i++) {
        int back = (k - 1 - i) * stride;
        float[] src = h[Math.max(0, h.length - 1 - back)];
        System.arraycopy(src, 0, clip, i * feat.length, feat.length);
      }
      NDArray stacked = scope.create(clip, new Shape(k, c, fh, fw));
      float[] e = encoder.embed(ps, stacked, 1, k, false).toFloatArray();
      double[] out = new double[e.length];
      for (int i = 0; i < e.length; i++) {
        out[i] = e[i];
      }
      return out;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
