package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;

/** Small helpers the objectives share: constants as arrays, linear heads, cross-entropy. */
final class Heads {
  private Heads() {}

  /** A 1-D array of the given type that owns its memory (see {@link SoftDtwLoss}). */
  static NDArray owned(NDManager m, double[] values, DataType type) {
    return owned(m, values, new Shape(values.length), type);
  }

  static NDArray owned(NDManager m, double[] values, Shape shape, DataType type) {
    try (NDArray raw = m.create(values, shape)) {
      return raw.toType(type, true).duplicate();
    }
  }

  /**
   * A trainable (out, in) weight, uniform in +-1/sqrt(in) as PyTorch's nn.Linear initialises it,
   * drawn from {@code rnd} so a seed fixes it.
   */
  static NDArray weight(NDManager m, int out, int in, Random rnd, DataType type) {
    double bound = 1 / Math.sqrt(in);
    double[] w = new double[out * in];
    for (int i = 0; i < w.length; i++) {
      w[i] = (rnd.nextDouble() * 2 - 1) * bound;
    }
    NDArray a = owned(m, w, new Shape(out, in), type);
    a.setRequiresGradient(true);
    return a;
  }

  static NDArray bias(NDManager m, int out, DataType type) {
    NDArray a = owned(m, new double[out], type);
    a.setRequiresGradient(true);
    return a;
  }

  /** Mean softmax cross-entropy of (n, c) logits against n class indices. */
  static NDArray crossEntropy(NDArray logits, int[] targets) {
    int n = targets.length;
    int c = (int) logits.getShape().get(1);
    double[] onehot = new double[n * c];
    for (int i = 0; i < n; i++) {
      onehot[i * c + targets[i]] = 1;
    }
    NDArray mask = owned(logits.getManager(), onehot, new Shape(n, c), logits.getDataType());
    return logits.logSoftmax(1).mul(mask).sum().neg().div(n);
  }

  /** An (n, p) matrix with a single 1 per row at {@code pick[i]}: rows of E by matMul. */
  static NDArray selector(NDManager m, int[] pick, int p, DataType type) {
    double[] s = new double[pick.length * p];
    for (int i = 0; i < pick.length; i++) {
      s[i * p + pick[i]] = 1;
    }
    return owned(m, s, new Shape(pick.length, p), type);
  }

  /**
   * Copies values into a head in place, through a detached view that shares its storage:
   * libtorch refuses in-place changes of a leaf that requires gradients.
   */
  static void assign(NDArray head, NDArray values) {
    try (NDArray data = head.stopGradient()) {
      data.set(new ai.djl.ndarray.index.NDIndex("..."), values);
    }
  }

  static void save(Map<String, NDArray> heads, DataOutputStream out) throws IOException {
    out.writeInt(heads.size());
    for (Map.Entry<String, NDArray> e : heads.entrySet()) {
      out.writeUTF(e.getKey());
      float[] v = e.getValue().toType(DataType.FLOAT32, false).toFloatArray();
      out.writeInt(v.length);
      for (float f : v) {
        out.writeFloat(f);
      }
    }
  }

  /** Overwrites the heads' values in place with saved ones (names and sizes must match). */
  static void load(Map<String, NDArray> heads, DataInputStream in) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      float[] v = new float[in.readInt()];
      for (int k = 0; k < v.length; k++) {
        v[k] = in.readFloat();
      }
      NDArray h = heads.get(name);
      if (h == null || h.size() != v.length) {
        throw new IOException("checkpoint head '" + name + "' does not fit this method");
      }
      try (NDArray src = h.getManager().create(v, h.getShape())) {
        assign(h, src.toType(h.getDataType(), false));
      }
    }
  }
}
