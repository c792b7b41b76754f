package io.lavmonitor.bench;

import io.lavmonitor.align.Band;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.SoftDtw;

/**
 * Times soft-DTW forward + backward with the cost matrix and the gradients for X and Y, on the
 * same pseudo-random data as the C baseline ({@code softdtw_baseline.c}), so both print the same
 * value and the timings compare like for like.
 */
public final class SoftDtwBench {
  private static final long WARM_UP_NANOS = 2_000_000_000L;

  private SoftDtwBench() {}

  /** Result of one timed run. */
  public record Result(int n, int m, int d, int repeat, double nsPerCall, double value,
                       double gradX00) {
    public double nsPerCell() {
      return nsPerCall / ((double) n * m);
    }

    public double cellsPerSecond() {
      return 1e9 / nsPerCell();
    }
  }

  public static Result run(int n, int m, int d, int repeat, double gamma, Band band,
                           Runnable tick) {
    double[][] x = new double[n][d];
    double[][] y = new double[m][d];
    long[] state = {42};
    fill(x, state);
    fill(y, state);
    SoftDtw sdtw = new SoftDtw(gamma, band);
    SoftDtw.Gradient g = null;
    // Warm-up: at least a third of the timed calls and at least two seconds, so the JIT has
    // compiled the hot loops and the heap has grown before timing starts.
    int warm = Math.max(repeat / 3, 1);
    long until = System.nanoTime() + WARM_UP_NANOS;
    for (int r = 0; r < warm || System.nanoTime() < until; r++) {
      g = sdtw.gradient(x, y, Cost.SQEUCLIDEAN);
      if (r < warm) {
        tick.run();
      }
    }
    long t0 = System.nanoTime();
    for (int r = 0; r < repeat; r++) {
      g = sdtw.gradient(x, y, Cost.SQEUCLIDEAN);
      tick.run();
    }
    long t1 = System.nanoTime();
    return new Result(n, m, d, repeat, (t1 - t0) / (double) repeat, g.value(), g.gradX()[0][0]);
  }

  /** The same 64-bit LCG as the C baseline, mapped to [0, 1) with 53 bits. */
  private static void fill(double[][] a, long[] state) {
    for (double[] row : a) {
      for (int k = 0; k < row.length; k++) {
        state[0] = state[0] * 6364136223846793005L + 1;
        row[k] = (state[0] >>> 11) / 9007199254740992.0;
      }
    }
  }
}
