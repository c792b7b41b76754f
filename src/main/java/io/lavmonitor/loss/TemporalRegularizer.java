package io.lavmonitor.loss;

import io.lavmonitor.align.Sequences;
import io.lavmonitor.io.InvalidInputException;
import java.util.Locale;

/**
 * The temporal regularisers of LAV (paper Sec. 3.2) on one embedded video X, as a function of its
 * self-distance matrix D(i, j) = ||x_i - x_j||^2 over all ordered pairs, diagonal included:
 * <ul>
 *   <li>IDM (Eq. 6): sum -W̄(i, j) D(i, j), with W̄ = (i - j)^2 + 1;</li>
 *   <li>Contrastive-IDM (Eq. 7): for |i - j| > sigma, W̄ max(0, lambda - D); otherwise W D, with
 *       W = 1 / W̄;</li>
 *   <li>SFA: Eq. 7 without the weights.</li>
 * </ul>
 * Frame indices i, j are the frames' positions in their video ({@code times}), which matters when
 * frames are sampled sparsely. {@link Form#OFFICIAL} is the authors' code: indices divided by the
 * video length, the window sigma divided likewise, and weight 1 on positive pairs.
 */
public record TemporalRegularizer(Kind kind, double sigma, double lambda, Form form) {

  /** Which regulariser. */
  public enum Kind { IDM, SFA, CIDM }

  /** Paper's Eq. 7 (default) or the authors' code. */
  public enum Form { PAPER, OFFICIAL }

  public TemporalRegularizer {
    if (!(sigma >= 0) || !(lambda >= 0)) {
      throw new InvalidInputException("sigma and lambda must be >= 0, got " + sigma + ", "
          + lambda);
    }
  }

  /** The official code's defaults: sigma = 10 frames, lambda = 2, paper form. */
  public static TemporalRegularizer of(Kind kind) {
    return new TemporalRegularizer(kind, 10, 2.0, Form.PAPER);
  }

  public static Kind parseKind(String s) {
    return switch (s.toLowerCase(Locale.ROOT).replace("-", "")) {
      case "idm" -> Kind.IDM;
      case "sfa" -> Kind.SFA;
      case "cidm", "contrastiveidm" -> Kind.CIDM;
      default -> throw new InvalidInputException("unknown regulariser '" + s
          + "' (expected idm, sfa or cidm)");
    };
  }

  /** Value and gradient, with frames at indices 0..n-1 of a video of n frames. */
  public LossValue apply(double[][] x) {
    double[] times = new double[x.length];
    for (int i = 0; i < times.length; i++) {
      times[i] = i;
    }
    return apply(x, times, x.length);
  }

  /**
   * Value and gradient with respect to x.
   *
   * @param times the frame index of each row of x in its video
   * @param videoLength the video's length in frames, used by the official form only
   */
  public LossValue apply(double[][] x, double[] times, int videoLength) {
    Sequences.check(x, "embeddings");
    if (times.length != x.length) {
      throw new InvalidInputException(times.length + " frame indices for " + x.length
          + " embeddings");
    }
    int n = x.length;
    int d = x[0].length;
    Weights w = weights(times, videoLength);
    double value = 0;
    // g[i][j] = dL/dD(i, j), then dL/dx_k = sum_j (g[k][j] + g[j][k]) * 2 (x_k - x_j).
    double[][] g = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dij = squaredDistance(x[i], x[j]);
        int c = i * n + j;
        value += w.positive()[c] * dij;
        g[i][j] = w.positive()[c];
        if (w.negative()[c] != 0 && dij < lambda) {
          value += w.negative()[c] * (lambda - dij);
          g[i][j] -= w.negative()[c];
        }
      }
    }
    double[][] grad = new double[n][d];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < n; j++) {
        double c = 2.0 * (g[k][j] + g[j][k]);
        if (c == 0.0) {
          continue;
        }
        for (int q = 0; q < d; q++) {
          grad[k][q] += c * (x[k][q] - x[j][q]);
        }
      }
    }
    return new LossValue(value, grad);
  }

  /**
   * The regulariser as weights on the n x n self-distance matrix D (row-major): the loss is
   * {@code sum(positive * D) + sum(negative * max(0, lambda - D))}. IDM puts -W-bar on every
   * pair; SFA and C-IDM put the pull on pairs within the window and the hinge on the others.
   */
  public record Weights(double[] positive, double[] negative) {}

  /** The weights for frames at the given indices of a video of the given length. */
  public Weights weights(double[] times, int videoLength) {
    int n = times.length;
    if (n == 0) {
      throw new InvalidInputException("no frame indices");
    }
    boolean official = form == Form.OFFICIAL;
    double scale = official ? 1.0 / Math.max(1, videoLength) : 1.0;
    double window = sigma * scale;
    double[] pos = new double[n * n];
    double[] neg = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double gap = (times[i] - times[j]) * scale;
        double wBar = gap * gap + 1.0;
        int c = i * n + j;
        if (kind == Kind.IDM) {
          pos[c] = -wBar;
        } else if (Math.abs(gap) > window) {
          neg[c] = kind == Kind.CIDM ? wBar : 1.0;
        } else {
          pos[c] = kind == Kind.CIDM && !official ? 1.0 / wBar : 1.0;
        }
      }
    }
    return new Weights(pos, neg);
  }

  private static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      double diff = a[k] - b[k];
      s += diff * diff;
    }
    return s;
  }
}
