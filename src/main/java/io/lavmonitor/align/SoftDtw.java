package io.lavmonitor.align;

import io.lavmonitor.io.InvalidInputException;
import java.util.Arrays;

/**
 * Soft-DTW (Cuturi &amp; Blondel 2017; LAV paper Eq. 3-4): the soft-minimum over all monotone
 * alignment paths of the summed cost, and its gradient.
 *
 * <p>The forward pass fills R(i, j) = D(i, j) + softmin(R(i-1, j-1), R(i-1, j), R(i, j-1)) with a
 * max-shifted log-sum-exp, so gamma from 1e-3 to 1e3 neither overflows nor loses the minimum. The
 * backward pass computes the expected alignment matrix E = dR(n, m)/dD by the reverse recursion of
 * reference implementation, written as a flow of probability mass through the soft-min weights
 * kept by the forward pass. R is flat with a one-cell border: (i, j) for 0 <= i <= n, 0 <= j <= m,
 * where 1..n and 1..m are the real cells and the border holds +inf (and R(0, 0) = 0).
 */
public final class SoftDtw {
  private final double gamma;
  private final Band band;

  public SoftDtw(double gamma) {
    this(gamma, Band.NONE);
  }

  public SoftDtw(double gamma, Band band) {
    if (!(gamma > 0) || !Double.isFinite(gamma)) {
      throw new InvalidInputException("gamma must be a positive finite number, got " + gamma);
    }
    this.gamma = gamma;
    this.band = band;
  }

  public double gamma() {
    return gamma;
  }

  public Band band() {
    return band;
  }

  /** Soft-DTW value of two sequences under the given cost. */
  public double value(double[][] x, double[][] y, Cost cost) {
    Sequences.checkPair(x, y);
    int n = x.length;
    int m = y.length;
    Scratch s = Scratch.get(n, m);
    double[] c = cost.matrix(x, y, s.cost(n, m));
    return run(c, n, m, s.r(n, m), null, null, null).value();
  }

  /** Value and gradients with respect to the cost matrix and to both sequences. */
  public Gradient gradient(double[][] x, double[][] y, Cost cost) {
    Sequences.checkPair(x, y);
    int n = x.length;
    int m = y.length;
    Scratch s = Scratch.get(n, m);
    Forward f = run(cost.matrix(x, y, s.cost(n, m)), n, m, s.r(n, m), s.pDiag(n, m),
        s.pTop(n, m), s.pLeft(n, m));
    double[] e = f.expectedAlignment();
    double[][] gx = new double[n][x[0].length];
    double[][] gy = new double[m][y[0].length];
    cost.backprop(e, x, y, gx, gy);
    return new Gradient(f.value(), e, gx, gy);
  }

  /**
   * Per-thread work arrays for {@link #value} and {@link #gradient}, whose intermediate tables
   * never leave the call. Reusing them avoids allocating five n x m arrays per call, which on a
   * virtual machine costs more in first-touch page faults than the recursion itself. Tables
   * larger than {@link #KEEP_CELLS} cells are allocated per call and not kept.
   */
  private static final class Scratch {
    private static final int KEEP_CELLS = 1 << 20;
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    private double[] cost = new double[0];
    private double[] r = new double[0];
    private double[] pDiag = new double[0];
    private double[] pTop = new double[0];
    private double[] pLeft = new double[0];

    static Scratch get(int n, int m) {
      return (long) (n + 1) * (m + 1) <= KEEP_CELLS ? LOCAL.get() : new Scratch();
    }

    double[] cost(int n, int m) {
      return cost.length == n * m ? cost : (cost = new double[n * m]);
    }

    double[] r(int n, int m) {
      int size = (n + 1) * (m + 1);
      return r.length >= size ? r : (r = new double[size]);
    }

    double[] pDiag(int n, int m) {
      return pDiag.length >= n * m ? pDiag : (pDiag = new double[n * m]);
    }

    double[] pTop(int n, int m) {
      return pTop.length >= n * m ? pTop : (pTop = new double[n * m]);
    }

    double[] pLeft(int n, int m) {
      return pLeft.length >= n * m ? pLeft : (pLeft = new double[n * m]);
    }
  }

  /** Value, expected alignment E (n x m, row-major) and gradients for X and Y. */
  public record Gradient(double value, double[] expectedAlignment, double[][] gradX,
                         double[][] gradY) {}

  /** Runs the forward recursion over an n x m cost matrix (row-major). */
  public Forward forward(double[] cost, int n, int m) {
    return run(cost, n, m, new double[(n + 1) * (m + 1)], new double[n * m], new double[n * m],
        new double[n * m]);
  }

  /** The value alone, without keeping what the backward pass needs. */
  public double forwardValue(double[] cost, int n, int m) {
    return run(cost, n, m, Scratch.get(n, m).r(n, m), null, null, null).value();
  }

  /**
   * The forward pass into the given arrays. The weight arrays (null for a value-only pass) need
   * not be cleared: the backward pass only reads weights of cells this pass reached.
   */
  private Forward run(double[] cost, int n, int m, double[] r, double[] pDiag, double[] pTop,
                      double[] pLeft) {
    if (n <= 0 || m <= 0) {
      throw new InvalidInputException("soft-DTW needs two non-empty sequences, got " + n
          + " and " + m + " frames");
    }
    if (cost.length != n * m) {
      throw new IllegalArgumentException("cost matrix has " + cost.length + " cells, expected "
          + n + " x " + m);
    }
    int w = m + 1;
    Arrays.fill(r, 0, (n + 1) * w, Double.POSITIVE_INFINITY);
    r[0] = 0.0;
    // The soft-min weight of each predecessor, kept so that the backward pass needs no exp and
    // E stays a probability flow (in [0, 1]) however large R grows.
    Table t = new Table(cost, r, m, gamma, pDiag, pTop, pLeft);
    // Wavefront over blocks of rows: cell (i0 + k, s - k) for k = 0..BLOCK-1 are independent, so
    // the CPU overlaps their exp/log chains instead of waiting on each cell's left neighbour.
    for (int i0 = 1; i0 <= n; i0 += BLOCK) {
      int rows = Math.min(BLOCK, n - i0 + 1);
      int[] lo = new int[rows];
      int[] hi = new int[rows];
      for (int k = 0; k < rows; k++) {
        lo[k] = band.lo(i0 + k - 1, n, m) + 1;
        hi[k] = band.hi(i0 + k - 1, n, m) + 1;
      }
      int last = hi[rows - 1] + rows - 1;
      for (int step = lo[0]; step <= last; step++) {
        for (int k = 0; k < rows; k++) {
          int j = step - k;
          if (j >= lo[k] && j <= hi[k]) {
            t.cell(i0 + k, j);
          }
        }
      }
    }
    double value = r[n * w + m];
    if (value == Double.POSITIVE_INFINITY) {
      throw new InvalidInputException("no alignment path fits in the band of width "
          + band.width() + " for " + n + " x " + m + " frames");
    }
    return new Forward(r, pDiag, pTop, pLeft, n, m, value);
  }

  private static final int BLOCK = 4;

  /** The arrays of one forward pass and the soft-min recursion for one cell. */
  private static final class Table {
    final double[] cost;
    final double[] r;
    final int m;
    final int w;
    final double gamma;
    final double inv;
    final double[] pDiag;
    final double[] pTop;
    final double[] pLeft;

    Table(double[] cost, double[] r, int m, double gamma, double[] pDiag, double[] pTop,
          double[] pLeft) {
      this.cost = cost;
      this.r = r;
      this.m = m;
      this.w = m + 1;
      this.gamma = gamma;
      this.inv = 1.0 / gamma;
      this.pDiag = pDiag;
      this.pTop = pTop;
      this.pLeft = pLeft;
    }

    /** R(i, j) for 1-based (i, j), from its three filled predecessors. */
    void cell(int i, int j) {
      int at = i * w + j;
      double diag = r[at - w - 1];
      double top = r[at - w];
      double left = r[at - 1];
      // Sort the three predecessors: the smallest contributes exp(0) = 1, so two exps suffice.
      double lo2 = Math.min(diag, top);
      double hi2 = Math.max(diag, top);
      double mn = Math.min(lo2, left);
      if (mn == Double.POSITIVE_INFINITY) {
        return; // unreachable cell: stays +inf
      }
      double med = Math.max(lo2, Math.min(hi2, left));
      double mx = Math.max(hi2, left);
      // Max-shifted log-sum-exp: every exponent is <= 0.
      double eMed = expNeg((mn - med) * inv);
      double eMax = expNeg((mn - mx) * inv);
      double s = 1.0 + eMed + eMax;
      int c = (i - 1) * m + j - 1;
      // log(1) = 0 exactly: far from the path both terms flush and the log is skipped.
      r[at] = cost[c] + mn - (s == 1.0 ? 0.0 : gamma * Math.log(s));
      if (pDiag != null) {
        double is = 1.0 / s;
        pDiag[c] = weight(diag, mn, med, eMed, eMax) * is;
        pTop[c] = weight(top, mn, med, eMed, eMax) * is;
        pLeft[c] = weight(left, mn, med, eMed, eMax) * is;
      }
    }
  }

  /**
   * exp(z) for z <= 0, flushed to zero below -40: there exp(z) < 2^-54, so adding it to a sum
   * that already holds 1 cannot change the sum, and the call is skipped far from the path.
   */
  static double expNeg(double z) {
    return z < -40.0 ? 0.0 : Math.exp(z);
  }

  /** exp((mn - value) / gamma) for a predecessor value that is one of mn, med or mx. */
  private static double weight(double value, double mn, double med, double eMed, double eMax) {
    return value == mn ? 1.0 : value == med ? eMed : eMax;
  }

  /** The filled forward table, from which the expected alignment can be computed. */
  public static final class Forward {
    private final double[] r;
    private final double[] pDiag;
    private final double[] pTop;
    private final double[] pLeft;
    private final int n;
    private final int m;
    private final double value;

    private Forward(double[] r, double[] pDiag, double[] pTop, double[] pLeft, int n, int m,
                    double value) {
      this.r = r;
      this.pDiag = pDiag;
      this.pTop = pTop;
      this.pLeft = pLeft;
      this.n = n;
      this.m = m;
      this.value = value;
    }

    public double value() {
      return value;
    }

    /** R(i, j) for 0-based cell (i, j): the soft cost of aligning x[0..i] with y[0..j]. */
    public double cumulative(int i, int j) {
      return r[(i + 1) * (m + 1) + j + 1];
    }

    /**
     * Expected alignment matrix E (n x m, row-major): the probability that a path drawn from the
     * Gibbs distribution over paths passes through each cell, which is also the gradient of the
     * value with respect to the cost matrix. It flows backwards from E(n-1, m-1) = 1, each cell
     * passing its mass to its predecessors in proportion to their soft-min weights.
     */
    public double[] expectedAlignment() {
      double[] e = new double[n * m];
      e[n * m - 1] = 1.0;
      for (int i = n - 1; i >= 0; i--) {
        int row = i * m;
        for (int j = m - 1; j >= 0; j--) {
          int c = row + j;
          double ec = e[c];
          if (ec == 0.0) {
            continue;
          }
          if (i > 0) {
            e[c - m] += ec * pTop[c];
            if (j > 0) {
              e[c - m - 1] += ec * pDiag[c];
            }
          }
          if (j > 0) {
            e[c - 1] += ec * pLeft[c];
          }
        }
      }
      return e;
    }
  }
}
