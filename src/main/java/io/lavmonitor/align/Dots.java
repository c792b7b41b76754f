package io.lavmonitor.align;

import java.util.Arrays;

/**
 * Dot products of one vector against every row of a fixed matrix: the inner loop of every cost
 * matrix and of the streaming aligner.
 *
 * <p>The rows are stored transposed (one array per dimension), so the products accumulate as
 * {@code out[j] += a[k] * rowsT[k][j]} over contiguous j. That loop has no reduction, which the
 * JIT turns into SIMD instructions; a per-row dot product is a sequential floating-point sum that
 * it must leave scalar. Each out[j] still sums over k in order, so the results equal the plain
 * dot product bit for bit.
 */
public final class Dots {
  private final double[][] transposed;
  private final int rows;

  /** Transposes the m x d matrix once. */
  public Dots(double[][] matrix) {
    this.rows = matrix.length;
    int dim = matrix[0].length;
    this.transposed = new double[dim][rows];
    for (int j = 0; j < rows; j++) {
      for (int k = 0; k < dim; k++) {
        transposed[k][j] = matrix[j][k];
      }
    }
  }

  /** out[j] = a . row j, for every row j (out has at least m entries). */
  public void against(double[] a, double[] out) {
    Arrays.fill(out, 0, rows, 0.0);
    double[][] t = transposed;
    int k = 0;
    // Four dimensions per pass cut the loads and stores of out by four. Java evaluates the sum
    // left to right without fusing, so the order of additions is still k = 0, 1, 2, ...
    for (; k + 3 < t.length; k += 4) {
      axpy4(a[k], t[k], a[k + 1], t[k + 1], a[k + 2], t[k + 2], a[k + 3], t[k + 3], out);
    }
    for (; k < t.length; k++) {
      axpy(a[k], t[k], out);
    }
  }

  // Separate methods with plain indices: the shape the JIT's vectoriser recognises.
  private static void axpy(double a, double[] x, double[] y) {
    for (int j = 0; j < x.length; j++) {
      y[j] += a * x[j];
    }
  }

  private static void axpy4(double a0, double[] x0, double a1, double[] x1, double a2,
                            double[] x2, double a3, double[] x3, double[] y) {
    for (int j = 0; j < x0.length; j++) {
      y[j] = y[j] + a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
    }
  }
}
