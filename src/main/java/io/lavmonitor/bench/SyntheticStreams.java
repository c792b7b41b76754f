package io.lavmonitor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/** Embedding sequences with a known ground truth, for alignment tests and benchmarks. */
public final class SyntheticStreams {
  private final int d;
  private final double[] freq;
  private final double[] phase;

  /** A smooth closed-form trajectory f(s), s in [0, 1], through d dimensions. */
  public SyntheticStreams(int d, long seed) {
    this.d = d;
    Random rnd = new Random(seed);
    freq = new double[d];
    phase = new double[d];
    for (int k = 0; k < d; k++) {
      freq[k] = 1.0 + rnd.nextDouble() * 3.0;
      phase[k] = rnd.nextDouble() * 2 * Math.PI;
    }
  }

  /** The point of the trajectory at s, L2-normalised like the encoder's embeddings. */
  public double[] at(double s) {
    double[] v = new double[d];
    for (int k = 0; k < d; k++) {
      v[k] = Math.sin(2 * Math.PI * freq[k] * s + phase[k]);
    }
    return normalise(v);
  }

  /** m reference frames evenly spaced along the trajectory. */
  public double[][] reference(int m) {
    double[][] out = new double[m][];
    for (int j = 0; j < m; j++) {
      out[j] = at(m == 1 ? 0 : j / (double) (m - 1));
    }
    return out;
  }

  /** A performance of the cycle in n frames whose progress follows warp(u), u in [0, 1]. */
  public List<double[]> cycle(int n, DoubleUnaryOperator warp, double noise, Random rnd) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(jitter(at(warp.applyAsDouble(i / (double) (n - 1))), noise, rnd));
    }
    return out;
  }

  /** Frames of an idle station: a fixed pose unlike any frame of the cycle. */
  public List<double[]> idle(int n, double noise, Random rnd) {
    double[] pose = new double[d];
    for (int k = 0; k < d; k++) {
      pose[k] = (k % 2 == 0 ? 1 : -1) * (1 + 0.1 * k);
    }
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(jitter(normalise(pose), noise, rnd));
    }
    return out;
  }

  private double[] jitter(double[] v, double noise, Random rnd) {
    double[] out = v.clone();
    for (int k = 0; k < d; k++) {
      out[k] += noise * rnd.nextGaussian();
    }
    return normalise(out);
  }

  /** n random directions in d dimensions: unit vectors with no structure. */
  public static double[][] unitRows(Random rnd, int n, int d) {
    double[][] a = new double[n][d];
    for (double[] row : a) {
      for (int k = 0; k < d; k++) {
        row[k] = rnd.nextGaussian();
      }
      normalise(row);
    }
    return a;
  }

  private static double[] normalise(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    double inv = 1.0 / Math.sqrt(s);
    for (int k = 0; k < v.length; k++) {
      v[k] *= inv;
    }
    return v;
  }
}
