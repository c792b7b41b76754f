package io.lavmonitor.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * What a normal cycle looks like, phase by phase: for each phase of the reference, the mean
 * matched frame cost of that phase in recent normal cycles and the share of the cycle's frames
 * it took; and for the whole cycle, how unlike the reference its worst run of frames was (the
 * highest level that a run of frames all stayed above, against their nearest reference
 * frames), which calibrates the unknown-content rule. An anomaly that touches one phase
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
  private final Deque<Double>[] shares;
  private final Deque<Double>[] still; // longest still spell per phase and cycle, seconds
  private final Deque<Double> unknown = new ArrayDeque<>();

  @SuppressWarnings("unchecked")
  PhaseProfile(int phases) {
    costs = new Deque[phases];
    shares = new Deque[phases];
    still = new Deque[phases];
    for (int p = 0; p < phases; p++) {
      costs[p] = new ArrayDeque<>();
      shares[p] = new ArrayDeque<>();
      still[p] = new ArrayDeque<>();
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
    add(phaseCosts, null, Double.NaN);
  }

  /**
   * Adds a normal cycle: per-phase mean costs (NaN where the phase had no frames), per-phase
   * shares of its frames (or null), and its worst run's level (or NaN).
   */
  void add(double[] phaseCosts, double[] phaseShares, double unknownLevel) {
    for (int p = 0; p < costs.length && p < phaseCosts.length; p++) {
      if (!Double.isNaN(phaseCosts[p])) {
        push(costs[p], phaseCosts[p]);
      }
      if (phaseShares != null) {
        push(shares[p], phaseShares[p]);
      }
    }
    if (!Double.isNaN(unknownLevel)) {
      push(unknown, unknownLevel);
    }
  }

  /** Adds a normal cycle's longest still spell per phase, in seconds (0 where none). */
  void addStill(double[] stillSpells) {
    for (int p = 0; p < still.length && p < stillSpells.length; p++) {
      push(still[p], stillSpells[p]);
    }
  }

  /** Normal cycles whose still spells were learnt. */
  int stillCycles() {
    return still.length == 0 ? 0 : still[0].size();
  }

  /**
   * How long the scene may stand still in phase p before it is a stall: median + factor x MAD
   * of the phase's longest still spell in normal cycles (a phase whose normal cycles hold a
   * still moment, such as a part settling, gets that much more); NaN before any.
   */
  double stillLimit(int p, double factor) {
    return limit(still[p], factor);
  }

  private static void push(Deque<Double> d, double v) {
    d.addLast(v);
    while (d.size() > KEEP) {
      d.removeFirst();
    }
  }

  /** Median + factor x MAD of phase p's recent costs; NaN before any. */
  double limit(int p, double factor) {
    return limit(costs[p], factor);
  }

  /**
   * Unknown content: above what nearly every normal cycle showed (the 95th percentile of their
   * worst runs) by a margin. Not median + MAD: a tenth of normal cycles may well have a run
   * a little unlike the reference (a hand that moves otherwise), and a threshold among them
   * would alert on each.
   */
  double unknownLimit(double margin) {
    if (unknown.isEmpty()) {
      return Double.NaN;
    }
    double[] c = unknown.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return margin * c[(int) Math.floor(0.95 * (c.length - 1))];
  }

  /** Normal cycles that measured their worst run. */
  int unknownCycles() {
    return unknown.size();
  }

  /** Phase p's median share of a normal cycle's frames; NaN before any. */
  double share(int p) {
    return median(shares[p]);
  }

  /** Normal cycles that measured phase shares. */
  int shareCycles(int p) {
    return shares[p].size();
  }

  private static double limit(Deque<Double> d, double factor) {
    if (d.isEmpty()) {
      return Double.NaN;
    }
    double[] c = d.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double med = median(c);
    double[] dev = Arrays.stream(c).map(v -> Math.abs(v - med)).sorted().toArray();
    return med + factor * Math.max(median(dev), MAD_FLOOR * med);
  }

  /** Phase p's median cost; NaN before any. */
  double median(int p) {
    return median(costs[p]);
  }

  private static double median(Deque<Double> d) {
    return d.isEmpty() ? Double.NaN
        : median(d.stream().mapToDouble(Double::doubleValue).sorted().toArray());
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * The station's view: this camera's profile pooled with its peers' (each phase's samples of
   * all of them together, so medians and quantiles are the station's). Profiles of another
   * phase count are left out.
   */
  static PhaseProfile pooled(PhaseProfile own, List<PhaseProfile> peers) {
    PhaseProfile p = new PhaseProfile(own.phases());
    for (PhaseProfile q : concat(own, peers)) {
      if (q.phases() != own.phases()) {
        continue;
      }
      for (int i = 0; i < q.phases(); i++) {
        p.costs[i].addAll(q.costs[i]);
        p.shares[i].addAll(q.shares[i]);
        p.still[i].addAll(q.still[i]);
      }
      p.unknown.addAll(q.unknown);
    }
    return p;
  }

  private static List<PhaseProfile> concat(PhaseProfile own, List<PhaseProfile> peers) {
    List<PhaseProfile> all = new java.util.ArrayList<>();
    all.add(own);
    all.addAll(peers);
    return all;
  }

  /** Writes the current layout (2: with still spells). */
  void write(DataOutputStream o) throws IOException {
    o.writeShort(costs.length);
    for (int p = 0; p < costs.length; p++) {
      write(o, costs[p]);
      write(o, shares[p]);
      write(o, still[p]);
    }
    write(o, unknown);
  }

  private static void write(DataOutputStream o, Deque<Double> d) throws IOException {
    o.writeByte(d.size());
    for (double v : d) {
      o.writeFloat((float) v);
    }
  }

  private static void read(DataInputStream in, Deque<Double> d) throws IOException {
    int n = in.readByte() & 0xff;
    for (int k = 0; k < n; k++) {
      d.addLast((double) in.readFloat());
    }
  }

  /**
   * Reads a profile of {@code layout} 2 (camera state format 4) or 1 (format 3: no still spells
   * or lengths; those are learnt again from the next cycles).
   */
  static PhaseProfile read(DataInputStream in, int layout) throws IOException {
    int phases = in.readShort();
    if (phases < 0 || phases > 4096) {
      throw new IOException("profile of " + phases + " phases");
    }
    PhaseProfile p = new PhaseProfile(phases);
    for (int i = 0; i < phases; i++) {
      read(in, p.costs[i]);
      read(in, p.shares[i]);
      if (layout >= 2) {
        read(in, p.still[i]);
      }
    }
    read(in, p.unknown);
    return p;
  }
}
