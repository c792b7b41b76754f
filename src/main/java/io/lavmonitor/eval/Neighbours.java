package io.lavmonitor.eval;

import io.lavmonitor.align.Dots;
import java.util.Arrays;

/**
 * Exact nearest-neighbour search by squared Euclidean distance over a fixed support set, one
 * query at a time: memory is linear in the support size, never query x support.
 */
final class Neighbours {
  private final Dots dots;
  private final double[] norms;
  private final double[] scores;

  Neighbours(double[][] support) {
    this.dots = new Dots(support);
    this.norms = new double[support.length];
    for (int j = 0; j < support.length; j++) {
      double s = 0;
      for (double x : support[j]) {
        s += x * x;
      }
      norms[j] = s;
    }
    this.scores = new double[support.length];
  }

  /** ||s_j||^2 - 2 q.s_j for every support row: the squared distance less ||q||^2. */
  private double[] rank(double[] q) {
    dots.against(q, scores);
    for (int j = 0; j < scores.length; j++) {
      scores[j] = norms[j] - 2 * scores[j];
    }
    return scores;
  }

  /** Index of the nearest support row. */
  int nearest(double[] q) {
    double[] s = rank(q);
    int best = 0;
    for (int j = 1; j < s.length; j++) {
      if (s[j] < s[best]) {
        best = j;
      }
    }
    return best;
  }

  /**
   * Indices of the k nearest support rows, nearest first, leaving out rows from..to-1 (the
   * query's own video or frame).
   */
  int[] nearest(double[] q, int k, int excludeFrom, int excludeTo) {
    double[] s = rank(q);
    int[] idx = new int[k];
    double[] dist = new double[k];
    Arrays.fill(dist, Double.POSITIVE_INFINITY);
    Arrays.fill(idx, -1);
    for (int j = 0; j < s.length; j++) {
      if (j >= excludeFrom && j < excludeTo) {
        continue;
      }
      double v = s[j];
      if (v < dist[k - 1]) {
        int pos = k - 1;
        while (pos > 0 && dist[pos - 1] > v) {
          dist[pos] = dist[pos - 1];
          idx[pos] = idx[pos - 1];
          pos--;
        }
        dist[pos] = v;
        idx[pos] = j;
      }
    }
    return idx;
  }
}
