package io.lavmonitor.engine;

import io.lavmonitor.align.Cost;

/**
 * The running cycle's best path so far, frame by frame: hard DTW from the cycle's first frame
 * and the reference's first frame (steps (1,0), (0,1), (1,1)), open at its end, carrying along
 * the best path to each cell the stream frames it gave each phase. A stream frame counts once,
 * for the phase of the last reference frame its row of the path reaches (where it sits: a
 * frame that passes a whole phase in one step gives that phase nothing), and only when it
 * looks like that frame (see {@link #GOOD_FACTOR}). Unlike the streaming
 * aligner's best end, which may jump over a short phase and come back, these counts are those
 * of an exact alignment of the cycle so far: what the cycle-end rules see, sooner.
 * O(m phases) per frame given the frame's distances (the streaming aligner's), O(m d) more
 * without; kept in memory and rebuilt from the track after a restore.
 */
final class LivePath {
  /**
   * A frame counts for the phase it is matched to only when it looks like that reference frame
   * about as well as like any (cost at most this factor times its nearest cost, plus the
   * margin): a frame of another step that the path had to cross a phase with does not do it.
   */
  static final double GOOD_FACTOR = 2;
  static final double GOOD_MARGIN = 0.02;

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
  private final boolean[] counted; // this row: whether its frame counted at cell j
  private double goodCost; // this row: the largest cost at which its frame counts

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
    counted = new boolean[m];
  }

  /** Stream frames aligned so far. */
  int frames() {
    return frames;
  }

  /** Aligns the next stream frame, computing its squared distances to the reference. */
  void push(double[] x) {
    double[] costs = new double[m];
    for (int j = 0; j < m; j++) {
      costs[j] = Cost.SQEUCLIDEAN.between(x, ref[j]);
    }
    pushCosts(costs);
  }

  /**
   * Aligns the next stream frame given its squared distance to every reference frame (as the
   * streaming aligner has computed them already: O(m phases) then).
   */
  void pushCosts(double[] costs) {
    double nearest = Double.POSITIVE_INFINITY;
    for (int j = 0; j < m; j++) {
      nearest = Math.min(nearest, costs[j]);
    }
    goodCost = GOOD_FACTOR * nearest + GOOD_MARGIN;
    for (int j = 0; j < m; j++) {
      double c = costs[j];
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
          counted[j] = count(into, j, c);
        }
        case 2 -> {
          // The same stream frame moves on along the reference: it now sits at j.
          System.arraycopy(nextCounts[j - 1], 0, into, 0, phases);
          nextSteps[j] = nextSteps[j - 1] + 1;
          if (counted[j - 1]) {
            uncount(into, j - 1);
          }
          counted[j] = count(into, j, c);
        }
        case 3 -> {
          java.util.Arrays.fill(into, 0);
          nextSteps[j] = 1;
          counted[j] = count(into, j, c);
        }
        default -> {
          java.util.Arrays.fill(into, 0);
          nextSteps[j] = 0;
          counted[j] = false;
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

  private void uncount(int[] into, int j) {
    int p = labels == null ? -1 : labels[j];
    if (p >= 0 && p < phases) {
      into[p]--;
    }
  }

  /** Counts the row's frame for cell j's phase when it looks like that frame; whether it did. */
  private boolean count(int[] into, int j, double c) {
    int p = labels == null ? -1 : labels[j];
    if (p >= 0 && p < phases && c <= goodCost) {
      into[p]++;
      return true;
    }
    return false;
  }

  /**
   * The reference frame where the best path so far ends, or -1: the lowest cost over the
   * frames of both sequences it covers ({@code D(t, j) / (t + j + 2)}), not per path step,
   * which a run across many reference frames in one stream frame would dilute.
   */
  int bestEnd() {
    int best = -1;
    double bestMean = Double.POSITIVE_INFINITY;
    for (int j = 0; j < m; j++) {
      if (steps[j] > 0) {
        double mean = cost[j] / (frames + j + 1);
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
