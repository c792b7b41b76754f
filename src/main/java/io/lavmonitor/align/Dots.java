package io.lavmonitor.align;

/**
 * Dot products of one row against many, the inner loop of every cost matrix and of the
 * streaming aligner. Four rows at a time share each load of {@code a[k]} and give the CPU four
 * independent accumulator chains, which the JIT keeps in registers.
 */
final class Dots {
  private Dots() {}

  /** out[offset + j] = a . rows[j] for every j. */
  static void rowAgainstAll(double[] a, double[][] rows, double[] out, int offset) {
    int m = rows.length;
    int d = a.length;
    int j = 0;
    for (; j + 3 < m; j += 4) {
      double[] r0 = rows[j];
      double[] r1 = rows[j + 1];
      double[] r2 = rows[j + 2];
      double[] r3 = rows[j + 3];
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int k = 0; k < d; k++) {
        double ak = a[k];
        s0 += ak * r0[k];
        s1 += ak * r1[k];
        s2 += ak * r2[k];
        s3 += ak * r3[k];
      }
      out[offset + j] = s0;
      out[offset + j + 1] = s1;
      out[offset + j + 2] = s2;
      out[offset + j + 3] = s3;
    }
    for (; j < m; j++) {
      out[offset + j] = Cost.dot(a, rows[j]);
    }
  }
}
