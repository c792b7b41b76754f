package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with L2 weight decay added to the gradient, as PyTorch's
 * {@code torch.optim.Adam(weight_decay=...)} does. DJL has an Adam, but its moments are private,
 * and a checkpoint that drops them restarts the optimiser cold: this one saves and loads them.
 */
public final class Adam {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPS = 1e-8f;

  private final NDManager manager;
  private final float learningRate;
  private final float weightDecay;
  private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
  private long t;

  public Adam(NDManager manager, double learningRate, double weightDecay) {
    this.manager = manager;
    this.learningRate = (float) learningRate;
    this.weightDecay = (float) weightDecay;
  }

  /** Completed steps; bias correction depends on it. */
  public long steps() {
    return t;
  }

  /** Call once per step before the updates of that step. */
  public void beginStep() {
    t++;
  }

  /** Updates one parameter in place from its gradient. */
  public void update(String id, NDArray w, NDArray g) {
    NDArray[] mv = moments.computeIfAbsent(id, k -> new NDArray[] {
        manager.zeros(w.getShape(), w.getDataType(), w.getDevice()),
        manager.zeros(w.getShape(), w.getDataType(), w.getDevice())});
    float c1 = (float) (1 - Math.pow(BETA1, t));
    float c2 = (float) (1 - Math.pow(BETA2, t));
    // Every temporary is closed here: they would otherwise pile up on the parameters' manager.
    try (NDArray decay = w.mul(weightDecay);
         NDArray grad = g.add(decay);
         NDArray g1 = grad.mul(1 - BETA1);
         NDArray sq = grad.square();
         NDArray g2 = sq.mul(1 - BETA2)) {
      mv[0].muli(BETA1).addi(g1);
      mv[1].muli(BETA2).addi(g2);
    }
    try (NDArray vHat = mv[1].div(c2);
         NDArray root = vHat.sqrt();
         NDArray denom = root.add(EPS);
         NDArray ratio = mv[0].div(denom);
         NDArray step = ratio.mul(learningRate / c1);
         NDArray data = w.stopGradient()) {
      // The detached view shares w's storage: an in-place change of a leaf that requires
      // gradients is refused by libtorch whenever grad mode is on in this thread.
      data.subi(step);
    }
  }

  /** Writes the step count and every moment. */
  public void save(DataOutputStream out) throws IOException {
    out.writeLong(t);
    out.writeInt(moments.size());
    for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
      out.writeUTF(e.getKey());
      out.write(new NDList(e.getValue()[0], e.getValue()[1]).encode());
    }
  }

  /** Reads what {@link #save} wrote, replacing the current state. */
  public void load(DataInputStream in) throws IOException {
    moments.values().forEach(mv -> {
      mv[0].close();
      mv[1].close();
    });
    moments.clear();
    t = in.readLong();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String id = in.readUTF();
      NDList l = NDList.decode(manager, in);
      moments.put(id, new NDArray[] {l.get(0), l.get(1)});
    }
  }
}
