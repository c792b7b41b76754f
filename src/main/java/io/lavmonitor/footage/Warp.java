package io.lavmonitor.footage;

import java.util.SplittableRandom;

/**
 * A random monotone re-timing of a cycle: the cycle is cut into a few segments, each played at
 * its own constant speed in [minSpeed, maxSpeed] reference frames per output frame. Output
 * frame t shows the cycle at position {@code position(t)}, in reference frames from 0 to m - 1:
 * the exact truth an aligner is measured against.
 */
public final class Warp {
  private final double[] positions;

  private Warp(double[] positions) {
    this.positions = positions;
  }

  /** The identity: the cycle as recorded, one reference frame per output frame. */
  public static Warp identity(int m) {
    double[] p = new double[m];
    for (int t = 0; t < m; t++) {
      p[t] = t;
    }
    return new Warp(p);
  }

  /** A random warp of an m-frame cycle with 2 to 5 segments. */
  public static Warp random(int m, double minSpeed, double maxSpeed, SplittableRandom rnd) {
    int segments = 2 + rnd.nextInt(4);
    double[] cuts = new double[segments + 1];
    for (int i = 1; i < segments; i++) {
      cuts[i] = rnd.nextDouble() * (m - 1);
    }
    cuts[segments] = m - 1;
    java.util.Arrays.sort(cuts);
    double[] speed = new double[segments];
    for (int i = 0; i < segments; i++) {
      speed[i] = minSpeed + rnd.nextDouble() * (maxSpeed - minSpeed);
    }
    java.util.List<Double> p = new java.util.ArrayList<>();
    double pos = 0;
    int seg = 0;
    while (pos < m - 1) {
      p.add(pos);
      while (seg < segments - 1 && pos >= cuts[seg + 1]) {
        seg++;
      }
      pos += speed[seg];
    }
    p.add((double) (m - 1));
    return new Warp(p.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Output frames. */
  public int length() {
    return positions.length;
  }

  /** Where output frame t is in the cycle, in reference frames. */
  public double position(int t) {
    return positions[t];
  }
}
