package io.lavmonitor.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * What a normal cycle looks like, phase by phase: for each phase of the reference, the mean
 * matched frame cost of that phase in recent normal cycles. An anomaly that touches one phase
 * (a missing part, a foreign object in the hands) raises that phase's cost well above its own
 * spread while it hardly moves the whole cycle's mean; phases also differ in how well they
 * match at all (a hand in motion blurs, a still scene does not), so each gets its own
 * threshold: median + factor x MAD of its recent costs, with a floor on the MAD.
 */
final class PhaseProfile {
  /** Normal cycles kept per phase. */
  static final int KEEP = 50;
  /** The MAD floor, as a fraction of the median: identical costs would give MAD 0. */
  static final double MAD_FLOOR = 0.1;

  private final Deque<Double>[] costs;

  @SuppressWarnings("unchecked")
  PhaseProfile(int phases) {
    costs = new Deque[phases];
    for (int p = 0; p < phases; p++) {
      costs[p] = new ArrayDeque<>();
    }
  }

  int phases() {
    return costs.length;
  }

  /** Normal cycles seen for phase p (a phase a cycle did not show is not counted). */
  int cycles(int p) {
    return costs[p].size();
  }

  /** Adds a normal cycle's per-phase mean costs (NaN where the phase had no frames). */
  void add(double[] phaseCosts) {
    for (int p = 0; p < costs.length && p < phaseCosts.length; p++) {
      if (!Double.isNaN(phaseCosts[p])) {
        costs[p].addLast(phaseCosts[p]);
        while (costs[p].size() > KEEP) {
          costs[p].removeFirst();
        }
      }
    }
  }

  /** Median + factor x MAD of phase p's recent costs; NaN before any. */
  double limit(int p, double factor) {
    if (costs[p].isEmpty()) {
      return Double.NaN;
    }
    double[] c = costs[p].stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double med = median(c);
    double[] dev = Arrays.stream(c).map(v -> Math.abs(v - med)).sorted().toArray();
    return med + factor * Math.max(median(dev), MAD_FLOOR * med);
  }

  /** Phase p's median cost; NaN before any. */
  double median(int p) {
    return costs[p].isEmpty() ? Double.NaN
        : median(costs[p].stream().mapToDouble(Double::doubleValue).sorted().toArray());
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  void write(DataOutputStream o) throws IOException {
    o.writeShort(costs.length);
    for (Deque<Double> d : costs) {
      o.writeByte(d.size());
      for (double v : d) {
        o.writeFloat((float) v);
      }
    }
  }

  static PhaseProfile read(DataInputStream in) throws IOException {
    int phases = in.readShort();
    if (phases < 0 || phases > 4096) {
      throw new IOException("profile of " + phases + " phases");
    }
    PhaseProfile p = new PhaseProfile(phases);
    for (int i = 0; i < phases; i++) {
      int n = in.readByte() & 0xff;
      for (int k = 0; k < n; k++) {
        p.costs[i].addLast((double) in.readFloat());
      }
    }
    return p;
  }
}
