package io.lavmonitor.align;

import io.lavmonitor.io.InvalidInputException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Aligns a live stream of frame embeddings against a reference cycle, one frame at a time.
 *
 * <p>Each {@link #push} adds one column of the soft-DTW table: O(m d) time for the m frame costs
 * and O(m) memory, never revisiting the past. The table runs over query frames (time) and
 * reference frames j; R(t, j) is the soft cost of the best alignments of the stream so far that
 * end with frame t matched to reference frame j. Alongside R it tracks, along the hard-best
 * predecessor, the path length, the summed frame costs and the frame where the path started. The
 * reported costs are that sum over the length: soft-min values drift below the frame costs by up
 * to gamma ln 3 per step, so R itself is only used to rank paths.
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@link Mode#CYCLE}: boundaries are known. {@link #reset} starts a cycle, every path starts
 *       at (cycle start, 0), and the end is open: the current position is where the cheapest path
 *       ends now (open-end DTW, Tormene et al. 2008).</li>
 *   <li>{@link Mode#CONTINUOUS}: boundaries are unknown. A path may start at reference frame 0 at
 *       any time, and a cycle is a path that reaches the last reference frame with a mean frame
 *       cost under the match threshold (given, or calibrated). Overlapping matches are resolved as in SPRING (Sakurai
 *       et al. 2007): the cheapest candidate is held until no path that overlaps it can still beat
 *       it (or {@code confirmDelay} frames have passed), then reported, and the paths that
 *       overlap it are cleared so the next cycle starts fresh.</li>
 * </ul>
 *
 * <p>Positions compare paths of different lengths. In cycle mode they all start together, so raw R
 * is compared, as open-end DTW does. In continuous mode a path that started a frame ago competes
 * with one that has run for a whole cycle, so paths are compared by their mean frame cost.
 *
 * <p>The whole state serialises with {@link #snapshot} and comes back with {@link #restore}; the
 * restored aligner produces bit-identical results. Not thread-safe: one aligner per camera.
 */
public final class StreamingAligner {
  private static final int MAGIC = 0x4C415653; // "LAVS"
  // 5: still frames since the held cycle's end. 4: the calibrated match threshold. 3: the step
  // pattern. 2: release 0.1 (soft recursion only). All four are still read.
  private static final byte VERSION = 5;
  private static final double INF = Double.POSITIVE_INFINITY;

  /** How cycle boundaries are found. */
  public enum Mode {
    CYCLE, CONTINUOUS;

    /** "cycle" or "continuous", as on the command line. */
    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(s)) {
          return m;
        }
      }
      throw new InvalidInputException("unknown mode '" + s + "' (expected cycle or continuous)");
    }
  }

  /**
   * The recursion's step pattern.
   *
   * <ul>
   *   <li>{@code SLOPE} (the default): hard DTW whose path pays {@code runPenalty} for each
   *       step of a run beyond the first: for every stream frame it stays on one reference frame
   *       after the first repeat (slower than half the reference's speed, or a stall), and for
   *       every further reference frame it crosses within one stream frame (faster than twice,
   *       or a skipped step). Both stay possible, at a price. The open end is the reference
   *       frame whose path has the lowest score. On real footage re-timed at 0.5x to 1.8x it is
   *       up to 25% more accurate than unconstrained open-end DTW on the same features.</li>
   *   <li>{@code SOFT}: soft-DTW with the symmetric step pattern, as in release 0.1; the open end
   *       by the lowest soft cost (cycle mode) or mean frame cost (continuous mode).</li>
   * </ul>
   */
  public enum Pattern {
    SLOPE, SOFT
  }

  /**
   * Aligner settings.
   *
   * @param mode known boundaries ({@code CYCLE}) or SPRING-style detection ({@code CONTINUOUS})
   * @param gamma soft-min smoothing of the {@code SOFT} recursion, and the temperature of the
   *     position distribution
   * @param cost frame cost
   * @param matchThreshold continuous mode: the largest mean frame cost along a cycle's path;
   *     {@link #AUTO} calibrates it from the reference and then from the cycles found
   * @param confirmDelay continuous mode: report a held cycle at most this many frames after its
   *     end even if an overlapping path could still beat it; 0 means the reference length
   * @param minCycleFrames continuous mode: a match shorter than this many stream frames is not a
   *     cycle (it crossed the reference too fast to be one); 0 for no limit
   * @param pattern the recursion's step pattern
   * @param runPenalty {@code SLOPE}: what each step of a run beyond the first adds to the
   *     path's score (not to its frame costs), in units of the mean cost between consecutive
   *     reference frames (so it is the price of being that many frames off, whatever the
   *     features' scale)
   */
  public record Config(Mode mode, double gamma, Cost cost, double matchThreshold,
                       int confirmDelay, int minCycleFrames, Pattern pattern,
                       double runPenalty) {
    /**
     * The run penalty: three times the cost between consecutive reference frames. Measured on
     * the real-footage benchmark (box clip), mean position error in frames for factors 0, 1, 3
     * and 10: raw pixels 1.37 (offline DTW's), 1.08, 1.08, 1.08; a learned embedding 1.38,
     * 1.34, 1.31, 1.29. 10 lost a cycle boundary on the stream; 3 did not.
     */
    public static final double RUN_PENALTY = 3.0;

    /**
     * The match threshold calibrated while the stream runs, between what a match costs and
     * what a mismatch costs, on a log scale: {@link #AUTO_FACTOR} x sqrt(match x mismatch).
     * The mismatch level is the reference's: the mean cost between its frames at least a
     * quarter of the cycle apart. The match level is the median cost of the last
     * {@link #AUTO_WINDOW} cycles found; before the first, the running median of each frame's
     * cost to its nearest reference frame (a floor under the mean cost of any path). Frame
     * costs have no fixed scale: they depend on the features, the clip and the camera's noise,
     * so no constant threshold serves (on the real-footage benchmark a fixed threshold worked
     * from 0.40 to 0.60 on one clip and from 0.20 to 0.80 on the other, with the same
     * features).
     */
    public static final double AUTO = 0;
    /**
     * Measured on the real-footage benchmark (raw pixels): the working thresholds lay at 1.0
     * to 1.35 (box) and 0.5 to 1.9 (cup) times the geometric mean of the cycles' cost and the
     * reference's mismatch cost; 1.2 is inside both.
     */
    public static final double AUTO_FACTOR = 1.2;
    public static final int AUTO_WINDOW = 8;
    /** The running median's step: each frame moves it by this fraction at most. */
    static final double AUTO_STEP = 0.05;

    public Config(Mode mode, double gamma, Cost cost, double matchThreshold, int confirmDelay) {
      this(mode, gamma, cost, matchThreshold, confirmDelay, 0, Pattern.SLOPE, RUN_PENALTY);
    }

    public Config(Mode mode, double gamma, Cost cost, double matchThreshold, int confirmDelay,
                  int minCycleFrames) {
      this(mode, gamma, cost, matchThreshold, confirmDelay, minCycleFrames, Pattern.SLOPE,
          RUN_PENALTY);
    }

    public Config {
      if (!(gamma > 0) || !Double.isFinite(gamma)) {
        throw new InvalidInputException("gamma must be a positive finite number, got " + gamma);
      }
      if (!(matchThreshold >= 0) || !Double.isFinite(matchThreshold)) {
        throw new InvalidInputException("match threshold must be > 0 (or 0: calibrated), got "
            + matchThreshold);
      }
      if (confirmDelay < 0) {
        throw new InvalidInputException("confirm delay must be >= 0, got " + confirmDelay);
      }
      if (minCycleFrames < 0) {
        throw new InvalidInputException("minimum cycle length must be >= 0, got "
            + minCycleFrames);
      }
      if (pattern == null) {
        throw new InvalidInputException("no step pattern");
      }
      if (!(runPenalty >= 0) || !Double.isFinite(runPenalty)) {
        throw new InvalidInputException("run penalty must be >= 0, got " + runPenalty);
      }
    }

    public static Config defaults(Mode mode) {
      return new Config(mode, 0.1, Cost.SQEUCLIDEAN, AUTO, 0);
    }

    public Config withGamma(double g) {
      return new Config(mode, g, cost, matchThreshold, confirmDelay, minCycleFrames, pattern,
          runPenalty);
    }

    public Config withCost(Cost c) {
      return new Config(mode, gamma, c, matchThreshold, confirmDelay, minCycleFrames, pattern,
          runPenalty);
    }

    public Config withMatchThreshold(double th) {
      return new Config(mode, gamma, cost, th, confirmDelay, minCycleFrames, pattern,
          runPenalty);
    }

    public Config withConfirmDelay(int frames) {
      return new Config(mode, gamma, cost, matchThreshold, frames, minCycleFrames, pattern,
          runPenalty);
    }

    public Config withMinCycleFrames(int frames) {
      return new Config(mode, gamma, cost, matchThreshold, confirmDelay, frames, pattern,
          runPenalty);
    }

    public Config withPattern(Pattern p) {
      return new Config(mode, gamma, cost, matchThreshold, confirmDelay, minCycleFrames, p,
          runPenalty);
    }

    public Config withRunPenalty(double penalty) {
      return new Config(mode, gamma, cost, matchThreshold, confirmDelay, minCycleFrames,
          pattern, penalty);
    }

    /** Whether the match threshold is calibrated as the stream runs. */
    public boolean calibrated() {
      return matchThreshold == AUTO;
    }
  }

  /** A detected cycle: stream frames start..end inclusive, and the mean frame cost on its path. */
  public record Cycle(long start, long end, double cost) {}

  /**
   * What the aligner knows after one frame.
   *
   * @param frame index of this frame in the stream (0-based, counted since construction)
   * @param position expected reference index under the soft position distribution, in [0, m-1]
   * @param index hard best reference index
   * @param progress position / (m - 1), in [0, 1]
   * @param phase phase label at the hard best index, or null for an unlabelled reference
   * @param localCost cost of this frame against the reference frame at the hard best index
   * @param nearestCost cost of this frame against its nearest reference frame, wherever the
   *     path is: how unlike the whole reference the frame is
   * @param cost summed frame costs along the best path, divided by its length
   * @param confidence 1 - entropy / ln(m) of the position distribution: 1 = certain
   * @param pathStart the stream frame where the best path to this frame began
   * @param pendingEnd continuous mode: the last frame of a cycle found but not yet confirmed
   *     (a frame whose best path began after it belongs to the next cycle), else -1
   * @param completed continuous mode: a cycle confirmed at this frame, else null
   */
  public record Step(long frame, double position, int index, double progress, String phase,
                     double localCost, double nearestCost, double cost, double confidence,
                     long pathStart, long pendingEnd, Cycle completed) {}

  private final Reference reference;
  private final Config config;
  private final int m;
  private final int confirmDelay;
  private final double[] refNorm;
  private final Dots dots;
  // SLOPE: the absolute price of a run step (runPenalty x mean cost of consecutive frames).
  private final double runPrice;
  private final long fingerprint;
  // AUTO: what a frame matched to the wrong part of the cycle costs (from the reference).
  private final double mismatchLevel;

  // State: everything below is serialised.
  private long t;
  private long cycleStart;
  private double[] r;
  private int[] len;
  private double[] acc;
  private long[] start;
  // SLOPE: the current run of stream frames on one reference frame (1 = no repeat yet), and
  // whether the last step crossed a reference frame within one stream frame.
  private int[] hrun;
  private boolean[] vrun;
  private boolean held;
  private long heldStart;
  private long heldEnd;
  private double heldR;
  private long heldStill; // still frames since heldEnd: they do not count towards the delay
  private double heldCost;
  // The match threshold in use; AUTO: the costs of the last cycles found (oldest first), and
  // the running median of the frames' nearest-frame costs (and how many frames it has seen).
  private double threshold;
  private final double[] recentCosts = new double[Config.AUTO_WINDOW];
  private int recent;
  private double nearestLevel;
  private long nearestFrames;
  private double cycleLevel; // the median of recentCosts, kept for the per-frame update

  // Scratch for the next column and the frame's costs; not state.
  private double[] nr;
  private int[] nlen;
  private double[] nacc;
  private long[] nstart;
  private int[] nhrun;
  private boolean[] nvrun;
  private final double[] dist;

  public StreamingAligner(Reference reference, Config config) {
    this(reference, config, reference.fingerprint());
  }

  /** As {@link #StreamingAligner(Reference, Config)}, with the reference's known fingerprint. */
  public StreamingAligner(Reference reference, Config config, long fingerprint) {
    this.reference = reference;
    this.config = config;
    this.m = reference.length();
    this.confirmDelay = config.confirmDelay() == 0 ? m : config.confirmDelay();
    this.fingerprint = fingerprint;
    this.refNorm = new double[m];
    this.dots = new Dots(reference.frames());
    for (int j = 0; j < m; j++) {
      double[] f = reference.frames()[j];
      refNorm[j] = config.cost() == Cost.SQEUCLIDEAN ? Cost.dot(f, f)
          : Math.max(Cost.norm(f), 1e-12);
    }
    double step = 0;
    for (int j = 0; j + 1 < m; j++) {
      step += config.cost().between(reference.frames()[j], reference.frames()[j + 1]);
    }
    this.runPrice = config.runPenalty() * (m > 1 ? step / (m - 1) : 0);
    this.threshold = config.matchThreshold();
    this.mismatchLevel = config.calibrated() && config.mode() == Mode.CONTINUOUS
        ? mismatchCost(reference, config.cost()) : 0;
    this.r = new double[m];
    this.len = new int[m];
    this.acc = new double[m];
    this.start = new long[m];
    this.nr = new double[m];
    this.nlen = new int[m];
    this.nacc = new double[m];
    this.nstart = new long[m];
    this.hrun = new int[m];
    this.vrun = new boolean[m];
    this.nhrun = new int[m];
    this.nvrun = new boolean[m];
    this.dist = new double[m];
    Arrays.fill(r, INF);
  }

  /** The mean cost between reference frames at least m/4 apart (any two when m < 4). */
  static double mismatchCost(Reference reference, Cost cost) {
    double[][] f = reference.frames();
    int gap = Math.max(1, f.length / 4);
    double sum = 0;
    long pairs = 0;
    for (int i = 0; i < f.length; i++) {
      for (int j = i + gap; j < f.length; j++) {
        sum += cost.between(f[i], f[j]);
        pairs++;
      }
    }
    return Math.max(pairs == 0 ? 0 : sum / pairs, 1e-9);
  }

  /** The match threshold in use now (continuous mode; calibrated ones change with cycles). */
  public double matchThreshold() {
    return threshold;
  }

  public Reference reference() {
    return reference;
  }

  public Config config() {
    return config;
  }

  /** Number of frames pushed so far. */
  public long frames() {
    return t;
  }

  /** Cycle mode: the next frame starts a new cycle. In continuous mode it clears all paths. */
  public void reset() {
    cycleStart = t;
    Arrays.fill(r, INF);
    Arrays.fill(len, 0);
    Arrays.fill(acc, 0.0);
    Arrays.fill(start, t);
    Arrays.fill(hrun, 0);
    Arrays.fill(vrun, false);
    held = false;
  }

  /**
   * Aligns one more frame. Invalid input (wrong dimension, NaN or infinite values) throws
   * {@link InvalidInputException} and leaves the state untouched.
   */
  public Step push(double[] embedding) {
    return push(embedding, false);
  }

  /**
   * Aligns one more frame, which the caller may know to show the same scene as the one before
   * ({@code still}: a stalled worker, a frozen feed). A still frame adds nothing to the paths:
   * they stay where they are, as if time had stopped. The frame counts towards a cycle's span,
   * not towards the delay before a held cycle is confirmed (nothing can beat it meanwhile), and
   * no cycle is found on it. A stall is the stall rule's to judge; paying for it
   * made the path race through the rest of the reference within the frozen frames, and the
   * cycle came out as two.
   */
  public Step push(double[] embedding, boolean still) {
    if (embedding == null || embedding.length != reference.dimension()) {
      throw new InvalidInputException("dimension mismatch: frame " + t + " has "
          + (embedding == null ? 0 : embedding.length) + " values, the reference has "
          + reference.dimension());
    }
    for (double v : embedding) {
      if (!Double.isFinite(v)) {
        Sequences.checkFinite(embedding, "frame " + t); // throws with the details
      }
    }
    frameCosts(embedding);
    if (config.calibrated() && config.mode() == Mode.CONTINUOUS) {
      calibrate();
    }
    if (still && t > cycleStart) { // a cycle's first frame always enters its paths
      return located(false); // the paths as they were
    }
    if (config.pattern() == Pattern.SLOPE) {
      advanceSlope();
      int[] th = hrun;
      hrun = nhrun;
      nhrun = th;
      boolean[] tv = vrun;
      vrun = nvrun;
      nvrun = tv;
    } else {
      advance();
    }
    double[] tmp = r;
    r = nr;
    nr = tmp;
    int[] tl = len;
    len = nlen;
    nlen = tl;
    double[] ta = acc;
    acc = nacc;
    nacc = ta;
    long[] ts = start;
    start = nstart;
    nstart = ts;
    return located(true);
  }

  /**
   * The step of the frame whose column is in place ({@code advanced}) or was kept (a still
   * frame: no path changed, so none can become a cycle now; a held one may be confirmed).
   */
  private Step located(boolean advanced) {
    Step step = locate();
    Cycle done = config.mode() == Mode.CONTINUOUS ? spring(advanced) : null;
    t++;
    long pending = held ? heldEnd : -1;
    return done == null && pending == step.pendingEnd() ? step : new Step(step.frame(),
        step.position(), step.index(), step.progress(), step.phase(), step.localCost(),
        step.nearestCost(), step.cost(), step.confidence(), step.pathStart(), pending, done);
  }

  /**
   * The last pushed frame's cost against every reference frame (the configured cost), copied
   * into {@code into} (m long): for rules that align the same frame otherwise, without paying
   * for the distances twice.
   */
  public void lastFrameCosts(double[] into) {
    System.arraycopy(dist, 0, into, 0, m);
  }

  private void frameCosts(double[] q) {
    dots.against(q, dist);
    if (config.cost() == Cost.SQEUCLIDEAN) {
      double qq = Cost.dot(q, q);
      for (int j = 0; j < m; j++) {
        dist[j] = Math.max(0.0, qq + refNorm[j] - 2.0 * dist[j]);
      }
    } else {
      double qn = Math.max(Cost.norm(q), 1e-12);
      for (int j = 0; j < m; j++) {
        dist[j] = 1.0 - dist[j] / (qn * refNorm[j]);
      }
    }
  }

  /** Fills the n* arrays, the column of frame t, from the column of frame t-1. */
  private void advance() {
    double g = config.gamma();
    double inv = 1.0 / g;
    boolean continuous = config.mode() == Mode.CONTINUOUS;
    // Cycle mode: only the cycle's first frame may enter at reference frame 0 (from the origin).
    // Continuous mode: any frame may start a fresh path there.
    double entry = continuous || t == cycleStart ? 0.0 : INF;
    double left = INF;
    int leftLen = 0;
    double leftAcc = 0;
    long leftStart = t;
    for (int j = 0; j < m; j++) {
      double diag = j == 0 ? entry : r[j - 1];
      double top = r[j];
      double lo2 = Math.min(diag, top);
      double hi2 = Math.max(diag, top);
      double mn = Math.min(lo2, left);
      double v;
      int l;
      double a;
      long s;
      if (mn == INF) {
        v = INF;
        l = 0;
        a = 0;
        s = t;
      } else {
        // The smallest term is exp(0) = 1; see SoftDtw for the flush of negligible terms.
        double med = Math.max(lo2, Math.min(hi2, left));
        double mx = Math.max(hi2, left);
        double sum = 1.0 + SoftDtw.expNeg((mn - med) * inv) + SoftDtw.expNeg((mn - mx) * inv);
        // log(1) = 0: skipping it far from the path shortens the chain through 'left'.
        v = dist[j] + mn - (sum == 1.0 ? 0.0 : g * Math.log(sum));
        // Length and start follow the hard-best predecessor; ties prefer the diagonal.
        if (diag == mn) {
          l = j == 0 ? 1 : len[j - 1] + 1;
          a = (j == 0 ? 0 : acc[j - 1]) + dist[j];
          s = j == 0 ? t : start[j - 1];
        } else if (top == mn) {
          l = len[j] + 1;
          a = acc[j] + dist[j];
          s = start[j];
        } else {
          l = leftLen + 1;
          a = leftAcc + dist[j];
          s = leftStart;
        }
      }
      nr[j] = v;
      nlen[j] = l;
      nacc[j] = a;
      nstart[j] = s;
      left = v;
      leftLen = l;
      leftAcc = a;
      leftStart = s;
    }
  }

  /**
   * The {@code SLOPE} recursion: hard minimum over the diagonal (both advance), the
   * horizontal step (the stream advances on the same reference frame: free once, then
   * {@code runPenalty} each further frame) and the vertical step (the reference advances within
   * one stream frame: allowed only after a step that did not). Length, summed frame costs and
   * start follow the chosen predecessor; the score r includes the penalties, the frame costs do
   * not.
   */
  private void advanceSlope() {
    boolean continuous = config.mode() == Mode.CONTINUOUS;
    double entry = continuous || t == cycleStart ? 0.0 : INF;
    // Continuous mode scores each cell by how far its cost lies below the match threshold, so
    // that a path grows over every frame that matches (a lower sum for a longer good match):
    // without it, the cheapest way to the reference's end skips a cycle's first frames, and
    // cycles are reported late. A run step must then cost at least that bias, or lingering
    // (idle frames) would lower a path's score.
    double bias = continuous ? threshold : 0;
    double penalty = Math.max(runPrice, bias);
    for (int j = 0; j < m; j++) {
      double d = dist[j] - bias;
      double f = dist[j];
      double best = INF;
      int l = 0;
      double a = 0;
      long s = t;
      int h = 1;
      boolean v = false;
      // Diagonal (or entry at the reference's first frame).
      double diag = j == 0 ? entry : r[j - 1];
      if (diag < INF) {
        best = diag + d;
        l = j == 0 ? 1 : len[j - 1] + 1;
        a = (j == 0 ? 0 : acc[j - 1]) + f;
        s = j == 0 ? t : start[j - 1];
      }
      // Horizontal: the same reference frame again.
      if (r[j] < INF) {
        double c = r[j] + d + (hrun[j] >= 2 ? penalty : 0);
        if (c < best) {
          best = c;
          l = len[j] + 1;
          a = acc[j] + f;
          s = start[j];
          h = hrun[j] + 1;
        }
      }
      // Vertical: a second reference frame within this stream frame; again right after one
      // (racing ahead, or skipping a step of the work) at a price.
      if (j > 0 && nr[j - 1] < INF) {
        double c = nr[j - 1] + d + (nvrun[j - 1] ? penalty : 0);
        if (c < best) {
          best = c;
          l = nlen[j - 1] + 1;
          a = nacc[j - 1] + f;
          s = nstart[j - 1];
          h = 1;
          v = true;
        }
      }
      nr[j] = best;
      nlen[j] = l;
      nacc[j] = a;
      nstart[j] = s;
      nhrun[j] = h;
      nvrun[j] = v;
    }
  }

  /**
   * How paths that end at different reference frames compare. Cycle mode: by their score, as
   * open-end DTW does (all paths start together). Measured on the real-footage benchmark, the
   * score per cell instead gained on raw pixels (0.84 against 1.07 frames of error on one clip,
   * 0.76 against 0.84 on the other) but lost on every learned embedding tried, by up to 2.1
   * frames (early frames that look alike let a path race ahead at a low mean cost), and fell
   * behind offline DTW on two of four models; the score never did. Continuous mode: by the mean
   * frame cost, since paths there start at different frames.
   */
  private double score(int j) {
    if (config.mode() == Mode.CONTINUOUS) {
      return acc[j] / len[j];
    }
    return r[j];
  }

  /** Position, progress, phase and confidence from the current column. */
  private Step locate() {
    boolean perCell = config.mode() == Mode.CONTINUOUS;
    double best = INF;
    int bestJ = 0;
    for (int j = 0; j < m; j++) {
      double score = r[j] < INF ? score(j) : INF;
      if (score < best) {
        best = score;
        bestJ = j;
      }
    }
    // Soft position: a Gibbs distribution over reference frames at temperature gamma. Scores
    // per cell are sums divided by a length, so the temperature is divided likewise.
    double inv = (perCell ? len[bestJ] : 1) / config.gamma();
    double z = 0;
    double mean = 0;
    double plogp = 0;
    for (int j = 0; j < m; j++) {
      if (r[j] == INF) {
        continue;
      }
      double score = score(j);
      double a = (best - score) * inv;
      double w = SoftDtw.expNeg(a);
      z += w;
      mean += w * j;
      plogp += w * a;
    }
    double position = mean / z;
    // Entropy of p_j = w_j / z with ln w_j = a_j:  H = ln z - sum(w a) / z.
    double entropy = Math.log(z) - plogp / z;
    double confidence = m == 1 ? 1.0 : Math.max(0.0, Math.min(1.0, 1.0 - entropy / Math.log(m)));
    double progress = m == 1 ? 1.0 : Math.max(0.0, Math.min(1.0, position / (m - 1)));
    double nearest = Double.POSITIVE_INFINITY;
    for (int j = 0; j < m; j++) {
      nearest = Math.min(nearest, dist[j]);
    }
    return new Step(t, position, bestJ, progress, reference.phaseAt(bestJ), dist[bestJ],
        nearest, acc[bestJ] / len[bestJ], confidence, start[bestJ], held ? heldEnd : -1, null);
  }

  /** SPRING's hold-and-confirm of cycle matches; returns a cycle confirmed at this frame. */
  private Cycle spring(boolean advanced) {
    double endR = r[m - 1] < INF ? springScore(m - 1) : INF;
    if (endR < INF && advanced) {
      double endCost = acc[m - 1] / len[m - 1];
      boolean longEnough = t - start[m - 1] + 1 >= config.minCycleFrames();
      if (endCost <= threshold && longEnough && (!held || endR < heldR)) {
        held = true;
        heldStart = start[m - 1];
        heldEnd = t;
        heldStill = 0;
        heldR = endR;
        heldCost = endCost;
      }
    }
    if (!held) {
      return null;
    }
    boolean open = false;
    for (int j = 0; j < m && !open; j++) {
      open = start[j] <= heldEnd && r[j] < INF && springScore(j) < heldR;
    }
    if (!advanced) {
      heldStill++;
    }
    if (open && t - heldEnd - heldStill < confirmDelay) {
      return null;
    }
    for (int j = 0; j < m; j++) {
      if (start[j] <= heldEnd) {
        r[j] = INF;
        len[j] = 0;
        acc[j] = 0;
        start[j] = t;
        hrun[j] = 0;
        vrun[j] = false;
      }
    }
    held = false;
    if (config.calibrated()) { // continuous mode only
      if (recent == recentCosts.length) {
        System.arraycopy(recentCosts, 1, recentCosts, 0, recent - 1);
        recent--;
      }
      recentCosts[recent++] = heldCost;
      cycleLevel = medianOfRecent(); // once per cycle, not per frame
    }
    return new Cycle(heldStart, heldEnd, heldCost);
  }

  /** AUTO: the threshold for this frame, from its nearest-frame cost and the last cycles. */
  private void calibrate() {
    double nearest = INF;
    for (int j = 0; j < m; j++) {
      nearest = Math.min(nearest, dist[j]);
    }
    nearest = Math.max(nearest, 1e-9);
    // A stochastic median in the log domain: scale-free, O(1), and idle or foreign content
    // that lasts less than half the time cannot raise it.
    double gain = Math.max(Config.AUTO_STEP, 0.5 / Math.sqrt(nearestFrames + 1.0));
    nearestLevel = nearestFrames++ == 0 ? nearest
        : nearestLevel * Math.exp(gain * (nearest < nearestLevel ? -0.5 : 0.5));
    double level = recent > 0 ? cycleLevel : nearestLevel;
    threshold = Math.max(Config.AUTO_FACTOR * Math.sqrt(level * mismatchLevel), 1e-9);
  }

  /** The median cost of the recent cycles (derived from them: not state of its own). */
  private double medianOfRecent() {
    double[] sorted = Arrays.copyOf(recentCosts, recent);
    Arrays.sort(sorted);
    return recent % 2 == 1 ? sorted[recent / 2]
        : 0.5 * (sorted[recent / 2 - 1] + sorted[recent / 2]);
  }

  /** How SPRING ranks paths: the soft cost, or the sum of the cells' scores below the threshold. */
  private double springScore(int j) {
    return r[j];
  }

  /** The whole state as bytes; {@link #restore} with the same reference continues exactly. */
  public byte[] snapshot() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_V4 + m * 33 + 8);
    b.putInt(MAGIC).put(VERSION)
        .put((byte) config.mode().ordinal()).put((byte) config.cost().ordinal())
        .put((byte) config.pattern().ordinal())
        .putDouble(config.gamma()).putDouble(config.matchThreshold())
        .putDouble(config.runPenalty())
        .putInt(config.confirmDelay()).putInt(config.minCycleFrames()).putInt(m)
        .putLong(fingerprint)
        .putLong(t).putLong(cycleStart)
        .put((byte) (held ? 1 : 0)).putLong(heldStart).putLong(heldEnd)
        .putDouble(heldR).putDouble(heldCost)
        .putDouble(threshold).putInt(recent).putDouble(nearestLevel).putLong(nearestFrames);
    for (int k = 0; k < Config.AUTO_WINDOW; k++) {
      b.putDouble(recentCosts[k]);
    }
    for (int j = 0; j < m; j++) {
      b.putDouble(r[j]).putInt(len[j]).putDouble(acc[j]).putLong(start[j]).putInt(hrun[j])
          .put((byte) (vrun[j] ? 1 : 0));
    }
    b.putLong(heldStill);
    return Arrays.copyOf(b.array(), b.position());
  }

  /**
   * Bytes before the per-frame state: versions 4 and 5 (5 adds 8 bytes after it); version 3 has
   * no calibration (101 bytes), version 2 neither pattern nor penalty.
   */
  private static final int HEADER_V3 = 101;
  private static final int HEADER_V4 = HEADER_V3 + 28 + 8 * Config.AUTO_WINDOW;
  private static final int FINGERPRINT_V2 = 35;
  private static final int FINGERPRINT_V3 = 44;

  /**
   * The fingerprint of the reference a snapshot was taken against, or 0 when the bytes are not
   * a snapshot of a version this aligner reads: a caller can tell a state saved against another
   * reference without an exception.
   */
  public static long savedAgainst(byte[] state) {
    int at = fingerprintAt(state);
    return at < 0 ? 0 : ByteBuffer.wrap(state).getLong(at);
  }

  private static int fingerprintAt(byte[] state) {
    if (state == null || state.length < HEADER_V3 - 9) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(state);
    if (b.getInt() != MAGIC) {
      return -1;
    }
    byte v = b.get();
    return v >= 3 && v <= VERSION ? FINGERPRINT_V3 : v == 2 ? FINGERPRINT_V2 : -1;
  }

  /** The frames pushed when a snapshot was taken, or -1 when the bytes are not a snapshot. */
  public static long savedFrames(byte[] state) {
    int at = fingerprintAt(state);
    return at < 0 ? -1 : ByteBuffer.wrap(state).getLong(at + 8);
  }

  /** Rebuilds an aligner from {@link #snapshot} bytes; the reference must be the same one. */
  public static StreamingAligner restore(Reference reference, byte[] state) {
    return restore(reference, reference.fingerprint(), state);
  }

  /** As {@link #restore(Reference, byte[])}, with the reference's known fingerprint. */
  public static StreamingAligner restore(Reference reference, long referenceFingerprint,
                                         byte[] state) {
    try {
      ByteBuffer b = ByteBuffer.wrap(state);
      byte version = b.getInt() == MAGIC ? b.get() : 0;
      if (version < 2 || version > VERSION) {
        throw new InvalidInputException("aligner state: not a version-2 to version-" + VERSION
            + " aligner snapshot");
      }
      Mode mode = Mode.values()[b.get()];
      Cost cost = Cost.values()[b.get()];
      // Version 2 snapshots come from the soft recursion, the only one release 0.1 had.
      Pattern pattern = version == 2 ? Pattern.SOFT : Pattern.values()[b.get()];
      double gamma = b.getDouble();
      double threshold = b.getDouble();
      double penalty = version == 2 ? Config.RUN_PENALTY : b.getDouble();
      Config config = new Config(mode, gamma, cost, threshold, b.getInt(), b.getInt(), pattern,
          penalty);
      int m = b.getInt();
      long fp = b.getLong();
      if (m != reference.length() || fp != referenceFingerprint) {
        throw new InvalidInputException("aligner state was saved against another reference ("
            + m + " frames, fingerprint " + Long.toHexString(fp) + "); this one has "
            + reference.length() + " frames, fingerprint "
            + Long.toHexString(referenceFingerprint));
      }
      StreamingAligner a = new StreamingAligner(reference, config, referenceFingerprint);
      a.t = b.getLong();
      a.cycleStart = b.getLong();
      a.held = b.get() == 1;
      a.heldStart = b.getLong();
      a.heldEnd = b.getLong();
      a.heldR = b.getDouble();
      a.heldCost = b.getDouble();
      if (version >= 4) {
        a.threshold = b.getDouble();
        a.recent = b.getInt();
        a.nearestLevel = b.getDouble();
        a.nearestFrames = b.getLong();
        for (int k = 0; k < Config.AUTO_WINDOW; k++) {
          a.recentCosts[k] = b.getDouble();
        }
        if (a.recent < 0 || a.recent > Config.AUTO_WINDOW || !(a.threshold >= 0)
            || a.nearestFrames < 0) {
          throw new InvalidInputException("aligner state is corrupt (calibration)");
        }
        a.cycleLevel = a.recent > 0 ? a.medianOfRecent() : 0;
      }
      for (int j = 0; j < m; j++) {
        a.r[j] = b.getDouble();
        a.len[j] = b.getInt();
        a.acc[j] = b.getDouble();
        a.start[j] = b.getLong();
        if (version >= 3) {
          a.hrun[j] = b.getInt();
          a.vrun[j] = b.get() == 1;
        }
      }
      a.heldStill = version >= 5 ? b.getLong() : 0;
      return a;
    } catch (BufferUnderflowException | ArrayIndexOutOfBoundsException e) {
      throw new InvalidInputException("aligner state is truncated or corrupt");
    }
  }
}
