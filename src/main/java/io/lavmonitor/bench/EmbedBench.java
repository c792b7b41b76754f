package io.lavmonitor.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Encoder throughput as a camera sees it: frames arrive in batches of {@code batch}; the backbone
 * runs once per frame, and each frame's clip stacks kept features of its k context frames.
 */
public final class EmbedBench {
  private EmbedBench() {}

  /** Frames per second over {@code frames} frames after a warm-up. */
  public static double framesPerSecond(String backbone, int size, int k, int stride, int batch,
                                       int frames, ai.djl.Device device, Runnable tick) {
    try (NDManager manager = Encoders.engine().newBaseManager(device)) {
      LavEncoder enc = Encoders.create(backbone, 128, size, k, manager, null, 0);
      ParameterStore ps = new ParameterStore(manager, false);
      int keep = (k - 1) * stride + 1;
      Deque<NDArray> history = new ArrayDeque<>();
      int warm = Math.max(4, 8 / batch);
      long t0 = 0;
      for (int step = 0; step < warm + frames / batch; step++) {
        if (step == warm) {
          t0 = System.nanoTime();
        }
        try (NDManager scope = manager.newSubManager()) {
          NDArray x = scope.randomNormal(new Shape(batch, 3, size, size));
          NDArray f = enc.backbone().forward(ps, new NDList(x), false).singletonOrThrow();
          NDList clips = new NDList();
          NDList evicted = new NDList();
          for (int i = 0; i < batch; i++) {
            NDArray fi = f.get(i);
            fi.attach(manager);
            history.addLast(fi);
            if (history.size() > keep) {
              evicted.add(history.removeFirst()); // a clip of this batch may still use it
            }
            NDArray[] h = history.toArray(new NDArray[0]);
            for (int c = 0; c < k; c++) {
              int back = (k - 1 - c) * stride;
              clips.add(h[Math.max(0, h.length - 1 - back)]);
            }
          }
          NDArray e = enc.embed(ps, NDArrays.stack(clips), batch, k, false);
          e.toFloatArray();
          evicted.close();
        }
        tick.run();
      }
      return (frames / batch) * batch / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
