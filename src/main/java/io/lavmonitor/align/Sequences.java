package io.lavmonitor.align;

import io.lavmonitor.io.InvalidInputException;

/** Input checks shared by the alignment code: every failure names what was wrong. */
public final class Sequences {
  private Sequences() {}

  /** A non-empty sequence of equally long, finite frames. */
  public static void check(double[][] x, String what) {
    if (x == null || x.length == 0) {
      throw new InvalidInputException(what + " is empty");
    }
    int d = x[0].length;
    if (d == 0) {
      throw new InvalidInputException(what + " has frames of dimension 0");
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != d) {
        throw new InvalidInputException(what + ": frame " + i + " has dimension " + x[i].length
            + ", frame 0 has " + d);
      }
      checkFinite(x[i], what + ": frame " + i);
    }
  }

  /** Two valid sequences of the same frame dimension. */
  public static void checkPair(double[][] x, double[][] y) {
    check(x, "sequence X");
    check(y, "sequence Y");
    if (x[0].length != y[0].length) {
      throw new InvalidInputException("dimension mismatch: X has " + x[0].length
          + "-d frames, Y has " + y[0].length + "-d frames");
    }
  }

  public static void checkFinite(double[] v, String what) {
    for (int k = 0; k < v.length; k++) {
      if (!Double.isFinite(v[k])) {
        throw new InvalidInputException(what + " has a non-finite value (" + v[k]
            + ") at index " + k);
      }
    }
  }
}
