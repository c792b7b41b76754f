package io.lavmonitor.align;

import io.lavmonitor.io.InvalidInputException;

/**
 * Sakoe-Chiba band: cell (i, j) of an n x m cost matrix is allowed when it lies within
 * {@code width} cells of the diagonal band that joins (0, 0) to (n-1, m-1). For n != m the band is
 * widened by |n - m| on one side (as tslearn does), so every width >= 0 leaves a feasible path.
 */
public record Band(int width) {
  /** No band: every cell is allowed. */
  public static final Band NONE = new Band(Integer.MAX_VALUE);

  public Band {
    if (width < 0) {
      throw new InvalidInputException("band width must be >= 0, got " + width);
    }
  }

  public static Band of(Integer width) {
    return width == null ? NONE : new Band(width);
  }

  public boolean isNone() {
    return width == Integer.MAX_VALUE;
  }

  /** First allowed column of row i (0-based). */
  public int lo(int i, int n, int m) {
    if (isNone()) {
      return 0;
    }
    long lo = (long) i - width - Math.max(0, n - m);
    return (int) Math.max(0, lo);
  }

  /** Last allowed column of row i (0-based, inclusive). */
  public int hi(int i, int n, int m) {
    if (isNone()) {
      return m - 1;
    }
    long hi = (long) i + width - Math.min(0, n - m);
    return (int) Math.min(m - 1, hi);
  }

  public boolean allows(int i, int j, int n, int m) {
    return j >= lo(i, n, m) && j <= hi(i, n, m);
  }
}
