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
  private final int order;
  private final double costRatio;

  private CyclePath(int[] index, double[] cost, int[] labels, int first, int last, int order,
                    double costRatio) {
    this.index = index;
    this.cost = cost;
    this.labels = labels;
    this.first = first;
    this.last = last;
    this.order = order;
    this.costRatio = costRatio;
  }

  /** The path of {@code entries} against {@code ref}. */
  static CyclePath of(TrackEntry[] entries, Reference ref) {
    return best(entries, entries.length, ref, List.of());
  }

  /**
   * The path against whichever order of the reference's frames the cycle matches best: the
   * reference's own over the first {@code closed} entries (where the online aligner ended the
   * cycle), or one of {@code orders} (from {@link StepOrders}, the first being the reference's
   * own) ending wherever it fits best among all the entries given: a cycle that did its steps
   * in another allowed order can end later than the aligner, which followed the reference's
   * order, thought. Orders are compared by DTW cost per path step bound, D / (n + m). One cost
   * matrix serves every order; each order costs two more O(n m) passes.
   */
  static CyclePath best(TrackEntry[] entries, int closed, Reference ref, List<int[]> orders) {
    int n = orders.size() > 1 ? entries.length : closed;
    int m = ref.length();
    double[] c = Cost.SQEUCLIDEAN.matrix(embeddings(Arrays.copyOf(entries, n),
        ref.dimension()), ref.frames());
    Dtw.Result own = Dtw.align(c, closed, m, Band.NONE);
    // Every order, the reference's own included, is scored at its best end from half the
    // aligner's cycle on: the same chances for each. The reference's own, when best, keeps the
    // aligner's end.
    double ownScore = own.value() / (closed + m);
    if (orders.size() > 1) {
      ownScore = Math.min(ownScore, bestEnd(c, n, m, closed)[1]);
    }
    double bestScore = ownScore;
    Dtw.Result best = own;
    int bestOrder = 0;
    double[] bestCost = c;
    for (int o = 1; o < orders.size(); o++) {
      int[] cols = orders.get(o);
      int mo = cols.length;
      double[] co = new double[n * mo];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < mo; j++) {
          co[i * mo + j] = c[i * m + cols[j]];
        }
      }
      double[] e = bestEnd(co, n, mo, closed);
      int end = (int) e[0];
      double score = e[1];
      if (end > 0 && score < bestScore) {
        bestScore = score;
        best = Dtw.align(co, end + 1, mo, Band.NONE);
        bestOrder = o;
        bestCost = co;
      }
    }
    int rows = best.path().get(best.path().size() - 1)[0] + 1;
    double ratio = ownScore > 0 ? bestScore / ownScore : 1;
    return along(best.path(), bestCost, rows, bestOrder == 0 ? null : orders.get(bestOrder),
        m, ref.labels(), bestOrder, ratio);
  }

  /**
   * The end row (from half of {@code closed} on) where the whole reference is cheapest per path
   * step bound, D(i, m - 1) / (i + 1 + m), and that score: {end, score}.
   */
  private static double[] bestEnd(double[] c, int n, int m, int closed) {
    double[] ends = Dtw.endCosts(c, n, m);
    int end = -1;
    double score = Double.POSITIVE_INFINITY;
    for (int i = Math.max(1, closed / 2); i < n; i++) {
      double v = ends[i] / (i + 1 + m);
      if (v < score) {
        score = v;
        end = i;
      }
    }
    return new double[] {end, score};
  }

  /**
   * The path's frames: where the work began and ended (idle trimmed) and each frame's
   * reference frame, mapped back through {@code cols} (null: the reference's own order).
   */
  private static CyclePath along(List<int[]> path, double[] c, int n, int[] cols, int m,
                                 int[] labels, int order, double ratio) {
    int mo = cols == null ? m : cols.length;
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
      int mid = (lo[i] + hi[i]) / 2;
      index[i] = cols == null ? mid : cols[mid];
      cost[i] = c[i * mo + mid];
    }
    // The longest wait on one reference frame near either end of the path: idle.
    int first = 0;
    int bestRun = MIN_IDLE_FRAMES - 1;
    for (int i = 0, run = 1; i + 1 < n && hi[i + 1] < EDGE * mo; i++) {
      run = lo[i + 1] == hi[i + 1] && hi[i + 1] == hi[i] ? run + 1 : 1;
      if (run > bestRun) {
        bestRun = run;
        first = i + 1; // the run's last frame: the work starts after it
      }
    }
    int last = n - 1;
    bestRun = MIN_IDLE_FRAMES - 1;
    for (int i = n - 1, run = 1; i - 1 > first && lo[i - 1] > (1 - EDGE) * mo; i--) {
      run = lo[i - 1] == hi[i - 1] && lo[i - 1] == lo[i] ? run + 1 : 1;
      if (run > bestRun) {
        bestRun = run;
        last = i - 1; // the run's first frame: the work has ended
      }
    }
    return new CyclePath(index, cost, labels, first, last, order, ratio);
  }

  /** How many of the entries given the path covers: the cycle ended at the last of them. */
  int rows() {
    return index.length;
  }

  /** Which allowed order the cycle followed: 0 for the reference's own. */
  int order() {
    return order;
  }

  /**
   * The DTW cost (per path step bound) against the order followed over that against the
   * reference's own order: 1 when the cycle followed the reference, below 1 when an allowed
   * order fits better.
   */
  double costRatio() {
    return costRatio;
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
