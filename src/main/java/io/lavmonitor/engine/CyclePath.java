package io.lavmonitor.engine;

import io.lavmonitor.align.Band;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Dtw;
import io.lavmonitor.align.Reference;
import java.util.Arrays;
import java.util.List;

/**
 * A finished cycle's frames on their optimal DTW path against the whole reference, from the
 * kept (int8) embeddings: the online path may wander while a cycle runs, the finished cycle's
 * path does not. It says where the work really began and ended, which reference frame (and so
 * which phase) each frame shows, and how well each phase matched.
 *
 * <p>Idle frames before the work starts look like the scene at rest before the reference's
 * first movement, and after it ends like the scene after its last: a detected cycle takes them
 * in, since they match. On the path they wait on one reference frame near the start (or the
 * end); the longest such wait, of at least {@link #MIN_IDLE_FRAMES}, is the idle spell, and
 * the cycle begins at its last frame (ends at its first). Shorter waits are pauses within the
 * work.
 */
final class CyclePath {
  /**
   * Idle is a wait of at least this many frames (1 s at 10 fps; chosen on the detection
   * benchmark's tune set, where 10 found the most cycles of 5, 10 and 20) ...
   */
  static final int MIN_IDLE_FRAMES = 10;
  /** ... on a reference frame within this fraction of either end. */
  static final double EDGE = 0.2;

  private final int[] index; // reference frame of each frame (the middle one of several)
  private final double[] cost; // its matched cost
  private final int[] labels;
  private final int first;
  private final int last;

  private CyclePath(int[] index, double[] cost, int[] labels, int first, int last) {
    this.index = index;
    this.cost = cost;
    this.labels = labels;
    this.first = first;
    this.last = last;
  }

  /** The path of {@code entries} against {@code ref}. */
  static CyclePath of(TrackEntry[] entries, Reference ref) {
    int n = entries.length;
    int m = ref.length();
    double[] c = Cost.SQEUCLIDEAN.matrix(embeddings(entries, ref.dimension()), ref.frames());
    List<int[]> path = Dtw.align(c, n, m, Band.NONE).path();
    int[] lo = new int[n];
    int[] hi = new int[n];
    Arrays.fill(lo, Integer.MAX_VALUE);
    for (int[] cell : path) {
      lo[cell[0]] = Math.min(lo[cell[0]], cell[1]);
      hi[cell[0]] = Math.max(hi[cell[0]], cell[1]);
    }
    int[] index = new int[n];
    double[] cost = new double[n];
    for (int i = 0; i < n; i++) {
      index[i] = (lo[i] + hi[i]) / 2;
      cost[i] = c[i * m + index[i]];
    }
    // The longest wait on one reference frame near either end of the path: idle.
    int first = 0;
    int bestRun = MIN_IDLE_FRAMES - 1;
    for (int i = 0, run = 1; i + 1 < n && hi[i + 1] < EDGE * m; i++) {
      run = lo[i + 1] == hi[i + 1] && hi[i + 1] == hi[i] ? run + 1 : 1;
      if (run > bestRun) {
        bestRun = run;
        first = i + 1; // the run's last frame: the work starts after it
      }
    }
    int last = n - 1;
    bestRun = MIN_IDLE_FRAMES - 1;
    for (int i = n - 1, run = 1; i - 1 > first && lo[i - 1] > (1 - EDGE) * m; i--) {
      run = lo[i - 1] == hi[i - 1] && lo[i - 1] == lo[i] ? run + 1 : 1;
      if (run > bestRun) {
        bestRun = run;
        last = i - 1; // the run's first frame: the work has ended
      }
    }
    return new CyclePath(index, cost, ref.labels(), first, last);
  }

  /** The cycle's first frame (of the entries given). */
  int first() {
    return first;
  }

  /** The cycle's last frame (of the entries given). */
  int last() {
    return last;
  }

  /** Frames of the cycle that show each phase. */
  int[] phaseFrames(int phases) {
    int[] out = new int[phases];
    for (int i = first; i <= last; i++) {
      out[labels[index[i]]]++;
    }
    return out;
  }

  /**
   * The highest level that {@code run} consecutive frames all stayed above, in cost against
   * their nearest reference frames (the unknown-content rule's statistic); NaN for fewer
   * frames.
   */
  static double worstRun(TrackEntry[] frames, Reference ref, int run) {
    int m = ref.length();
    double[] c = Cost.SQEUCLIDEAN.matrix(embeddings(frames, ref.dimension()), ref.frames());
    double[] nearest = new double[frames.length];
    for (int i = 0; i < frames.length; i++) {
      nearest[i] = Double.POSITIVE_INFINITY;
      for (int j = 0; j < m; j++) {
        nearest[i] = Math.min(nearest[i], c[i * m + j]);
      }
    }
    double worst = Double.NaN;
    for (int i = 0; i + run - 1 < nearest.length; i++) {
      double low = Double.POSITIVE_INFINITY;
      for (int k = i; k < i + run; k++) {
        low = Math.min(low, nearest[k]);
      }
      worst = Double.isNaN(worst) ? low : Math.max(worst, low);
    }
    return worst;
  }

  /** The kept (int8) embeddings as vectors of the reference's dimension. */
  private static double[][] embeddings(TrackEntry[] entries, int d) {
    double[][] q = new double[entries.length][d];
    for (int i = 0; i < entries.length; i++) {
      byte[] e = entries[i].emb();
      for (int k = 0; k < d && k < e.length; k++) {
        q[i][k] = e[k] / 127.0;
      }
    }
    return q;
  }

  /** A track entry's int8 embedding back as a vector (the inverse of TrackEntry.quantise). */
  static double[] dequantise(byte[] e) {
    double[] v = new double[e.length];
    for (int k = 0; k < e.length; k++) {
      v[k] = e[k] / 127.0;
    }
    return v;
  }

  /** Mean matched cost of each phase's frames; NaN for a phase with none. */
  double[] phaseCosts(int phases) {
    double[] sum = new double[phases];
    int[] count = new int[phases];
    for (int i = first; i <= last; i++) {
      sum[labels[index[i]]] += cost[i];
      count[labels[index[i]]]++;
    }
    for (int p = 0; p < phases; p++) {
      sum[p] = count[p] == 0 ? Double.NaN : sum[p] / count[p];
    }
    return sum;
  }
}
