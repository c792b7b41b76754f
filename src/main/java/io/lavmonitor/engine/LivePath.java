package io.lavmonitor.engine;

/**
 * The running cycle's best path so far, frame by frame: hard DTW from the cycle's first frame
 * and the reference's first frame (steps (1,0), (0,1), (1,1)), open at its end, carrying along
 * the best path to each cell the stream frames it gave each phase. A stream frame counts once,
 * for the phase of the first reference frame its row of the path reaches. Unlike the streaming
 * aligner's best end, which may jump over a short phase and come back, these counts are those
 * of an exact alignment of the cycle so far: what the cycle-end rules see, sooner.
 * O(m (d + phases)) per frame; kept in memory and rebuilt from the track after a restore.
 */
final class LivePath {
  private final double[][] ref;
  private final int[] labels;
  private final int phases;
  private final int m;
  private double[] cost;
  private int[] steps;
  private int[][] counts;
  private double[] nextCost;
  private int[] nextSteps;
  private int[][] nextCounts;
  private int frames;

  LivePath(double[][] reference, int[] labels, int phases) {
    this.ref = reference;
    this.labels = labels;
    this.phases = phases;
    this.m = reference.length;
    cost = new double[m];
    steps = new int[m];
    counts = new int[m][phases];
    nextCost = new double[m];
    nextSteps = new int[m];
    nextCounts = new int[m][phases];
  }

  /** Stream frames aligned so far. */
  int frames() {
    return frames;
  }

  /** Aligns the next stream frame. */
  void push(double[] x) {
    for (int j = 0; j < m; j++) {
      double c = 0;
      double[] r = ref[j];
      for (int k = 0; k < x.length; k++) {
        double v = x[k] - r[k];
        c += v * v;
      }
      // Predecessors: (t-1, j) and (t-1, j-1) start a new stream frame; (t, j-1) does not.
      double best = Double.POSITIVE_INFINITY;
      int from = -1; // 0: (t-1, j), 1: (t-1, j-1), 2: (t, j-1)
      if (frames == 0) {
        if (j == 0) {
          best = 0;
          from = 3; // the path's start
        }
      } else {
        if (cost[j] < best) {
          best = cost[j];
          from = 0;
        }
        if (j > 0 && cost[j - 1] < best) {
          best = cost[j - 1];
          from = 1;
        }
      }
      if (j > 0 && nextCost[j - 1] < best) {
        best = nextCost[j - 1];
        from = 2;
      }
      nextCost[j] = best + c;
      int[] into = nextCounts[j];
      switch (from) {
        case 0, 1 -> {
          int[] prev = counts[from == 0 ? j : j - 1];
          System.arraycopy(prev, 0, into, 0, phases);
          nextSteps[j] = steps[from == 0 ? j : j - 1] + 1;
          count(into, j);
        }
        case 2 -> {
          System.arraycopy(nextCounts[j - 1], 0, into, 0, phases);
          nextSteps[j] = nextSteps[j - 1] + 1;
        }
        case 3 -> {
          java.util.Arrays.fill(into, 0);
          nextSteps[j] = 1;
          count(into, j);
        }
        default -> {
          java.util.Arrays.fill(into, 0);
          nextSteps[j] = 0;
        }
      }
    }
    double[] c = cost;
    cost = nextCost;
    nextCost = c;
    int[] s = steps;
    steps = nextSteps;
    nextSteps = s;
    int[][] k = counts;
    counts = nextCounts;
    nextCounts = k;
    frames++;
  }

  private void count(int[] into, int j) {
    int p = labels == null ? -1 : labels[j];
    if (p >= 0 && p < phases) {
      into[p]++;
    }
  }

  /** The reference frame where the best path so far ends (lowest cost per step), or -1. */
  int bestEnd() {
    int best = -1;
    double bestMean = Double.POSITIVE_INFINITY;
    for (int j = 0; j < m; j++) {
      if (steps[j] > 0) {
        double mean = cost[j] / steps[j];
        if (mean < bestMean) {
          bestMean = mean;
          best = j;
        }
      }
    }
    return best;
  }

  /** Stream frames the best path to reference frame j gave phase p. */
  int frames(int j, int p) {
    return counts[j][p];
  }
}
