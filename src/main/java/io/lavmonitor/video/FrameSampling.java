package io.lavmonitor.video;

import java.util.Random;

/**
 * Which frames the encoder sees, as in the paper and the authors' code: p frames per video, one
 * from each of p equal segments, each with k context frames at a stride, clamped at frame 0.
 */
public final class FrameSampling {
  private FrameSampling() {}

  /** One random frame from each of p equal segments of n frames (training). */
  public static int[] segmentUniform(int n, int p, Random rnd) {
    check(n, p);
    int[] out = new int[p];
    for (int i = 0; i < p; i++) {
      int lo = (int) Math.min(n - 1L, segmentStart(n, p, i));
      int hi = (int) Math.max(lo, Math.min(n - 1L, segmentStart(n, p, i + 1) - 1));
      out[i] = lo + rnd.nextInt(hi - lo + 1);
    }
    return out;
  }

  /** The middle frame of each of p equal segments (deterministic, for evaluation). */
  public static int[] segmentCentres(int n, int p) {
    check(n, p);
    int[] out = new int[p];
    for (int i = 0; i < p; i++) {
      int lo = (int) Math.min(n - 1L, segmentStart(n, p, i));
      int hi = (int) Math.max(lo, Math.min(n - 1L, segmentStart(n, p, i + 1) - 1));
      out[i] = (lo + hi) / 2;
    }
    return out;
  }

  /** The k context frames of frame t, oldest first, ending at t: t-(k-1)s, ..., t-s, t. */
  public static int[] context(int t, int k, int stride) {
    if (k <= 0 || stride <= 0) {
      throw new VideoException("context needs k >= 1 and stride >= 1, got k=" + k
          + ", stride=" + stride);
    }
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = Math.max(0, t - (k - 1 - i) * stride);
    }
    return out;
  }

  /** First frame of segment i (0-based); segment p starts at n. Short videos repeat frames. */
  private static long segmentStart(int n, int p, int i) {
    return (long) i * n / p;
  }

  private static void check(int n, int p) {
    if (n <= 0 || p <= 0) {
      throw new VideoException("cannot sample " + p + " frames from a video of " + n);
    }
  }
}
