package io.lavmonitor.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/** Ridge regression with intercept, for when the embeddings are rank-deficient (collapsed). */
final class Ridge {
  private Ridge() {}

  /** beta (intercept first) minimising ||y - X beta||^2 + lambda tr(X'X)/p ||beta_1..p||^2. */
  static double[] fit(double[][] x, double[] y, double lambda) {
    int p = x[0].length + 1;
    double[][] xtx = new double[p][p];
    double[] xty = new double[p];
    double[] row = new double[p];
    for (int i = 0; i < x.length; i++) {
      row[0] = 1;
      System.arraycopy(x[i], 0, row, 1, p - 1);
      for (int a = 0; a < p; a++) {
        xty[a] += row[a] * y[i];
        for (int b = 0; b < p; b++) {
          xtx[a][b] += row[a] * row[b];
        }
      }
    }
    double trace = 0;
    for (int a = 1; a < p; a++) {
      trace += xtx[a][a];
    }
    double ridge = lambda * Math.max(trace / (p - 1), 1e-12);
    for (int a = 1; a < p; a++) {
      xtx[a][a] += ridge;
    }
    xtx[0][0] += 1e-12;
    RealMatrix m = new Array2DRowRealMatrix(xtx, false);
    return new CholeskyDecomposition(m, 1e-12, 1e-15).getSolver()
        .solve(new ArrayRealVector(xty, false)).toArray();
  }
}
