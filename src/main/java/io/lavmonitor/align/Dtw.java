package io.lavmonitor.align;

import io.lavmonitor.io.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Hard DTW (paper Eq. 1-2): the minimum-cost monotone path and its cost. */
public final class Dtw {
  private Dtw() {}

  /** The optimal cost and the path as (i, j) pairs from (0, 0) to (n-1, m-1). */
  public record Result(double value, List<int[]> path) {}

  /** Hard DTW over a row-major n x m cost matrix, restricted to the band. */
  public static Result align(double[] cost, int n, int m, Band band) {
    if (n <= 0 || m <= 0) {
      throw new InvalidInputException("DTW needs two non-empty sequences, got " + n + " and "
          + m + " frames");
    }
    double[] r = new double[n * m];
    java.util.Arrays.fill(r, Double.POSITIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      int lo = band.lo(i, n, m);
      int hi = band.hi(i, n, m);
      for (int j = lo; j <= hi; j++) {
        double best;
        if (i == 0 && j == 0) {
          best = 0.0;
        } else {
          double diag = i > 0 && j > 0 ? r[(i - 1) * m + j - 1] : Double.POSITIVE_INFINITY;
          double top = i > 0 ? r[(i - 1) * m + j] : Double.POSITIVE_INFINITY;
          double left = j > 0 ? r[i * m + j - 1] : Double.POSITIVE_INFINITY;
          best = Math.min(diag, Math.min(top, left));
        }
        r[i * m + j] = cost[i * m + j] + best;
      }
    }
    double value = r[n * m - 1];
    if (value == Double.POSITIVE_INFINITY) {
      throw new InvalidInputException("no alignment path fits in the band of width "
          + band.width() + " for " + n + " x " + m + " frames");
    }
    // Backtrack; on ties prefer the diagonal, which gives the shortest path.
    List<int[]> path = new ArrayList<>();
    int i = n - 1;
    int j = m - 1;
    path.add(new int[] {i, j});
    while (i > 0 || j > 0) {
      if (i == 0) {
        j--;
      } else if (j == 0) {
        i--;
      } else {
        double diag = r[(i - 1) * m + j - 1];
        double top = r[(i - 1) * m + j];
        double left = r[i * m + j - 1];
        if (diag <= top && diag <= left) {
          i--;
          j--;
        } else if (top <= left) {
          i--;
        } else {
          j--;
        }
      }
      path.add(new int[] {i, j});
    }
    Collections.reverse(path);
    return new Result(value, path);
  }

  /**
   * Offline hard open-end DTW (Tormene et al. 2008): for every prefix of the query (rows of the
   * row-major n x m cost matrix), the reference frame where the cheapest monotone path from
   * (0, 0) ends, {@code argmin_j D(t, j)} of the cumulative cost D with diagonal, vertical and
   * horizontal steps. The position an aligner that sees the whole past would report.
   */
  public static int[] openEndPositions(double[] cost, int n, int m) {
    int[] out = new int[n];
    byRow(cost, n, m, (i, d) -> {
      int arg = 0;
      for (int j = 1; j < m; j++) {
        if (d[j] < d[arg]) {
          arg = j;
        }
      }
      out[i] = arg;
    });
    return out;
  }

  /**
   * For every prefix of the query, the cost of the cheapest monotone path from (0, 0) to the
   * reference's last frame, {@code D(t, m - 1)}: what the whole reference costs when the query
   * ends at t (the same recursion as {@link #openEndPositions}).
   */
  public static double[] endCosts(double[] cost, int n, int m) {
    double[] out = new double[n];
    byRow(cost, n, m, (i, d) -> out[i] = d[m - 1]);
    return out;
  }

  private interface RowSink {
    void row(int i, double[] cumulative);
  }

  /** The cumulative cost D row by row, in O(m) memory. */
  private static void byRow(double[] cost, int n, int m, RowSink sink) {
    if (n <= 0 || m <= 0) {
      throw new InvalidInputException("DTW needs two non-empty sequences, got " + n + " and "
          + m + " frames");
    }
    double[] prev = new double[m];
    double[] cur = new double[m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double best;
        if (i == 0) {
          best = j == 0 ? 0.0 : cur[j - 1];
        } else {
          double diag = j > 0 ? prev[j - 1] : Double.POSITIVE_INFINITY;
          double left = j > 0 ? cur[j - 1] : Double.POSITIVE_INFINITY;
          best = Math.min(diag, Math.min(prev[j], left));
        }
        cur[j] = cost[i * m + j] + best;
      }
      sink.row(i, cur);
      double[] t = prev;
      prev = cur;
      cur = t;
    }
  }
}
