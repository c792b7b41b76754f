package io.lavmonitor.align;

import io.lavmonitor.io.InvalidInputException;
import java.util.Locale;

/**
 * Frame-to-frame cost between two embedding sequences, with its backward pass.
 *
 * <p>Squared Euclidean is the paper's cost (Eq. 1). Cosine cost {@code 1 - cos(x, y)} is offered
 * for embeddings whose norm carries no meaning.
 */
public enum Cost {
  SQEUCLIDEAN,
  COSINE;

  /** Smallest norm used in the cosine cost, so that a zero vector cannot divide by zero. */
  private static final double MIN_NORM = 1e-12;

  public static Cost parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
      case "sqeuclidean", "euclidean2", "l2" -> SQEUCLIDEAN;
      case "cosine", "cos" -> COSINE;
      default -> throw new InvalidInputException(
          "unknown cost '" + name + "' (expected sqeuclidean or cosine)");
    };
  }

  /** Cost between two frames. */
  public double between(double[] a, double[] b) {
    if (this == SQEUCLIDEAN) {
      double s = 0;
      for (int k = 0; k < a.length; k++) {
        double diff = a[k] - b[k];
        s += diff * diff;
      }
      return s;
    }
    return 1.0 - dot(a, b) / (Math.max(norm(a), MIN_NORM) * Math.max(norm(b), MIN_NORM));
  }

  /** The n x m cost matrix, row-major. */
  public double[] matrix(double[][] x, double[][] y) {
    return matrix(x, y, new double[x.length * y.length]);
  }

  /** The n x m cost matrix, row-major, written into {@code out} (at least n m long). */
  public double[] matrix(double[][] x, double[][] y, double[] out) {
    int n = x.length;
    int m = y.length;
    double[] xs = new double[n];
    double[] ys = new double[m];
    for (int i = 0; i < n; i++) {
      xs[i] = this == SQEUCLIDEAN ? dot(x[i], x[i]) : Math.max(norm(x[i]), MIN_NORM);
    }
    for (int j = 0; j < m; j++) {
      ys[j] = this == SQEUCLIDEAN ? dot(y[j], y[j]) : Math.max(norm(y[j]), MIN_NORM);
    }
    Dots dots = new Dots(y);
    double[] row = new double[m];
    for (int i = 0; i < n; i++) {
      dots.against(x[i], row);
      System.arraycopy(row, 0, out, i * m, m);
      for (int j = 0; j < m; j++) {
        int c = i * m + j;
        out[c] = this == SQEUCLIDEAN
            // ||x||^2 + ||y||^2 - 2 x.y can round below zero for nearly equal rows.
            ? Math.max(0.0, xs[i] + ys[j] - 2.0 * out[c])
            : 1.0 - out[c] / (xs[i] * ys[j]);
      }
    }
    return out;
  }

  /**
   * Back-propagates a gradient with respect to the cost matrix ({@code g}, n x m row-major)
   * to both sequences, adding into {@code gx} (n x d) and {@code gy} (m x d).
   */
  public void backprop(double[] g, double[][] x, double[][] y, double[][] gx, double[][] gy) {
    int n = x.length;
    int m = y.length;
    int d = x[0].length;
    if (this == SQEUCLIDEAN) {
      // d/dx_i sum_ij g_ij ||x_i - y_j||^2 = 2 sum_j g_ij (x_i - y_j), and symmetrically for y.
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          double w = 2.0 * g[i * m + j];
          if (w == 0.0) {
            continue;
          }
          double[] xi = x[i];
          double[] yj = y[j];
          double[] gxi = gx[i];
          double[] gyj = gy[j];
          for (int k = 0; k < d; k++) {
            double diff = w * (xi[k] - yj[k]);
            gxi[k] += diff;
            gyj[k] -= diff;
          }
        }
      }
      return;
    }
    double[] xn = new double[n];
    double[] yn = new double[m];
    for (int i = 0; i < n; i++) {
      xn[i] = Math.max(norm(x[i]), MIN_NORM);
    }
    for (int j = 0; j < m; j++) {
      yn[j] = Math.max(norm(y[j]), MIN_NORM);
    }
    // c = 1 - x.y/(|x||y|):  dc/dx = -(y/(|x||y|) - (x.y) x/(|x|^3 |y|)).
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double w = g[i * m + j];
        if (w == 0.0) {
          continue;
        }
        double[] xi = x[i];
        double[] yj = y[j];
        double xy = dot(xi, yj);
        double inv = 1.0 / (xn[i] * yn[j]);
        double ax = xy * inv / (xn[i] * xn[i]);
        double ay = xy * inv / (yn[j] * yn[j]);
        for (int k = 0; k < d; k++) {
          gx[i][k] -= w * (yj[k] * inv - ax * xi[k]);
          gy[j][k] -= w * (xi[k] * inv - ay * yj[k]);
        }
      }
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  /** Name as accepted on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
