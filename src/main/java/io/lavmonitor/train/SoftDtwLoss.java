package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.lavmonitor.align.SoftDtw;

/**
 * Soft-DTW as a DJL loss whose value and gradient come from the pure-Java {@link SoftDtw}.
 *
 * <p>The cost matrix D is built from NDArray operations, so autograd carries gradients from D to
 * the embeddings (and through them to the encoder). The soft-DTW value and the expected
 * alignment E = d value / d D come from Java. The returned loss is
 * {@code value + sum(D * E) - stopGradient(sum(D * E))}: its value is the soft-DTW value and its
 * gradient with respect to D is exactly E.
 */
public final class SoftDtwLoss {
  private final SoftDtw sdtw;

  public SoftDtwLoss(double gamma) {
    this.sdtw = new SoftDtw(gamma);
  }

  /** Squared Euclidean distances between the rows of x (n x d) and y (m x d), differentiably. */
  public static NDArray costMatrix(NDArray x, NDArray y) {
    NDArray xx = x.pow(2).sum(new int[] {1}, true);
    NDArray yy = y.pow(2).sum(new int[] {1}, true).transpose();
    return xx.add(yy).sub(x.matMul(y.transpose()).mul(2));
  }

  /** The loss for one pair of embedded videos. */
  public NDArray loss(NDArray x, NDArray y) {
    NDArray d = costMatrix(x, y);
    int n = (int) d.getShape().get(0);
    int m = (int) d.getShape().get(1);
    double[] cost = d.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
    SoftDtw.Forward f = sdtw.forward(cost, n, m);
    // duplicate(): a tensor that owns its memory. Autograd keeps E for the backward pass, and
    // an array created from a Java buffer may still point into that buffer.
    NDArray e;
    try (NDArray raw = d.getManager().create(f.expectedAlignment(), new Shape(n, m))) {
      e = raw.toType(d.getDataType(), true).duplicate();
    }
    NDArray surrogate = d.mul(e).sum();
    return surrogate.sub(surrogate.stopGradient()).add(f.value());
  }
}
