package io.lavmonitor.loss;

import io.lavmonitor.align.Cost;
import io.lavmonitor.align.SoftDtw;
import io.lavmonitor.io.InvalidInputException;
import java.util.Locale;

/**
 * The LAV loss of a pair of embedded videos (paper Eq. 8):
 * {@code sdtw_gamma(X, Y) + alpha (I*(X) + I*(Y))}, and the ablation variants that drop either
 * term or swap the regulariser. This pure-Java version is the reference the DJL training loss is
 * checked against.
 *
 * @param alignment whether the soft-DTW term is included
 * @param regularizer the temporal regulariser, or null for none
 * @param gamma soft-DTW smoothing
 * @param alpha weight of the regulariser
 * @param perFrame divide the whole loss by the number of frames of X, as the authors' code does
 */
public record LavLoss(boolean alignment, TemporalRegularizer regularizer, double gamma,
                      double alpha, boolean perFrame) {

  public LavLoss {
    if (!alignment && regularizer == null) {
      throw new InvalidInputException("a loss needs soft-DTW, a regulariser, or both");
    }
  }

  /** The paper's loss with the official code's hyperparameters: gamma 0.1, alpha 0.5. */
  public static LavLoss defaults() {
    return new LavLoss(true, TemporalRegularizer.of(TemporalRegularizer.Kind.CIDM), 0.1, 0.5,
        false);
  }

  /**
   * Parses an ablation name: {@code sdtw}, {@code idm}, {@code sfa}, {@code cidm},
   * {@code sdtw+idm}, {@code sdtw+sfa} or {@code sdtw+cidm}.
   */
  public static LavLoss parse(String name, double gamma, double alpha, double sigma,
                              double lambda, TemporalRegularizer.Form form) {
    String s = name.toLowerCase(Locale.ROOT).replace(" ", "");
    boolean align = s.startsWith("sdtw");
    String rest = align ? s.substring(4) : s;
    if (rest.startsWith("+")) {
      rest = rest.substring(1);
    } else if (align && !rest.isEmpty()) {
      throw new InvalidInputException("unknown loss '" + name + "'");
    }
    TemporalRegularizer reg = rest.isEmpty() ? null
        : new TemporalRegularizer(TemporalRegularizer.parseKind(rest), sigma, lambda, form);
    return new LavLoss(align, reg, gamma, alpha, false);
  }

  /** Loss value and gradients for both videos. */
  public record PairValue(double value, double alignment, double regX, double regY,
                          double[][] gradX, double[][] gradY) {}

  /** Evaluates the loss on frames at indices 0..n-1 and 0..m-1 of their videos. */
  public PairValue apply(double[][] x, double[][] y) {
    return apply(x, indices(x.length), x.length, y, indices(y.length), y.length);
  }

  /** Evaluates the loss on sampled frames with their frame indices and video lengths. */
  public PairValue apply(double[][] x, double[] timesX, int lengthX, double[][] y,
                         double[] timesY, int lengthY) {
    int d = x[0].length;
    double[][] gx = new double[x.length][d];
    double[][] gy = new double[y.length][y[0].length];
    double align = 0;
    double rx = 0;
    double ry = 0;
    if (alignment) {
      SoftDtw.Gradient g = new SoftDtw(gamma).gradient(x, y, Cost.SQEUCLIDEAN);
      align = g.value();
      add(gx, g.gradX(), 1.0);
      add(gy, g.gradY(), 1.0);
    }
    if (regularizer != null) {
      LossValue lx = regularizer.apply(x, timesX, lengthX);
      LossValue ly = regularizer.apply(y, timesY, lengthY);
      rx = lx.value();
      ry = ly.value();
      add(gx, lx.grad(), alpha);
      add(gy, ly.grad(), alpha);
    }
    double scale = perFrame ? 1.0 / x.length : 1.0;
    if (scale != 1.0) {
      scaleInPlace(gx, scale);
      scaleInPlace(gy, scale);
    }
    double total = (align + alpha * (rx + ry)) * scale;
    return new PairValue(total, align, rx, ry, gx, gy);
  }

  private static double[] indices(int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = i;
    }
    return t;
  }

  private static void add(double[][] into, double[][] g, double w) {
    for (int i = 0; i < into.length; i++) {
      for (int k = 0; k < into[i].length; k++) {
        into[i][k] += w * g[i][k];
      }
    }
  }

  private static void scaleInPlace(double[][] a, double s) {
    for (double[] row : a) {
      for (int k = 0; k < row.length; k++) {
        row[k] *= s;
      }
    }
  }
}
