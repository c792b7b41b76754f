package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.lavmonitor.loss.LavLoss;
import io.lavmonitor.loss.TemporalRegularizer;

/**
 * The LAV loss of a pair (paper Eq. 8) on DJL NDArrays, for training: soft-DTW through
 * {@link SoftDtwLoss}, the temporal regulariser as NDArray operations on the self-distance matrix
 * with the weights of the pure-Java {@link TemporalRegularizer}. Value and gradients equal
 * {@link LavLoss#apply} (a test checks both).
 */
public final class DjlLavLoss {
  private final LavLoss spec;
  private final SoftDtwLoss sdtw;

  public DjlLavLoss(LavLoss spec) {
    this.spec = spec;
    this.sdtw = new SoftDtwLoss(spec.gamma());
  }

  /** The loss of embedded videos x and y, sampled at the given frame indices of their videos. */
  public NDArray loss(NDArray x, double[] timesX, int lengthX, NDArray y, double[] timesY,
                      int lengthY) {
    NDArray total = null;
    if (spec.alignment()) {
      total = sdtw.loss(x, y);
    }
    if (spec.regularizer() != null) {
      NDArray reg = regulariser(x, timesX, lengthX).add(regulariser(y, timesY, lengthY))
          .mul(spec.alpha());
      total = total == null ? reg : total.add(reg);
    }
    return spec.perFrame() ? total.div(x.getShape().get(0)) : total;
  }

  private NDArray regulariser(NDArray x, double[] times, int length) {
    TemporalRegularizer r = spec.regularizer();
    TemporalRegularizer.Weights w = r.weights(times, length);
    int n = times.length;
    NDArray d = SoftDtwLoss.costMatrix(x, x);
    // Owned copies (see SoftDtwLoss): autograd keeps these for the backward pass.
    NDArray pos = owned(x, w.positive(), n);
    NDArray neg = owned(x, w.negative(), n);
    NDArray hinge = d.neg().add(r.lambda()).maximum(0);
    return pos.mul(d).sum().add(neg.mul(hinge).sum());
  }

  /** An n x n array of x's type that owns its memory; the Java-backed original is released. */
  private static NDArray owned(NDArray x, double[] values, int n) {
    try (NDArray raw = x.getManager().create(values, new Shape(n, n))) {
      return raw.toType(x.getDataType(), true).duplicate();
    }
  }
}
