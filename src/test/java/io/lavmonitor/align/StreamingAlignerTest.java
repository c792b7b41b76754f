package io.lavmonitor.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.align.StreamingAligner.Config;
import io.lavmonitor.align.StreamingAligner.Cycle;
import io.lavmonitor.align.StreamingAligner.Mode;
import io.lavmonitor.align.StreamingAligner.Pattern;
import io.lavmonitor.align.StreamingAligner.Step;
import io.lavmonitor.bench.SyntheticStreams;
import io.lavmonitor.io.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingAlignerTest {
  private final SyntheticStreams synth = new SyntheticStreams(16, 3);

  @Test
  void softCycleModeCostEqualsBatchSoftDtwOfThePrefix() {
    Random rnd = new Random(1);
    double[][] ref = SoftDtwTest.random(rnd, 9, 4);
    double[][] query = SoftDtwTest.random(rnd, 12, 4);
    double gamma = 0.5;
    StreamingAligner a = new StreamingAligner(Reference.unlabelled(ref),
        Config.defaults(Mode.CYCLE).withGamma(gamma).withPattern(Pattern.SOFT));
    for (int t = 0; t < query.length; t++) {
      Step s = a.push(query[t]);
      // Independent definition: batch soft-DTW of the prefix against the whole reference.
      double[][] prefix = Arrays.copyOf(query, t + 1);
      SoftDtw.Forward f = new SoftDtw(gamma).forward(Cost.SQEUCLIDEAN.matrix(prefix, ref),
          t + 1, ref.length);
      int bestJ = 0;
      for (int j = 1; j < ref.length; j++) {
        if (f.cumulative(t, j) < f.cumulative(t, bestJ)) {
          bestJ = j;
        }
      }
      assertEquals(bestJ, s.index(), "open-end position at frame " + t);
      assertEquals(Cost.SQEUCLIDEAN.between(query[t], ref[bestJ]), s.localCost(), 1e-9);
      double batchEnd = f.cumulative(t, ref.length - 1);
      if (t == query.length - 1) {
        // Soft-DTW of the whole query equals R at the last reference frame.
        assertEquals(new SoftDtw(gamma).value(query, ref, Cost.SQEUCLIDEAN), batchEnd, 1e-9);
      }
    }
  }

  @Test
  void cycleModeTracksAWarpedPerformance() {
    int m = 60;
    double[][] ref = synth.reference(m);
    int[] labels = new int[m];
    for (int j = 0; j < m; j++) {
      labels[j] = j * 3 / m;
    }
    Reference reference = new Reference(ref, labels, List.of("pick", "fasten", "inspect"));
    StreamingAligner a = new StreamingAligner(reference, Config.defaults(Mode.CYCLE));
    // A slow start and a fast finish: progress u^2.
    List<double[]> perf = synth.cycle(90, u -> u * u, 0.02, new Random(5));
    double maxError = 0;
    double lastProgress = -1;
    int regressions = 0;
    for (int i = 0; i < perf.size(); i++) {
      Step s = a.push(perf.get(i));
      double u = i / 89.0;
      double truth = u * u * (m - 1);
      maxError = Math.max(maxError, Math.abs(s.position() - truth));
      if (s.progress() < lastProgress - 0.02) {
        regressions++;
      }
      lastProgress = s.progress();
      assertEquals(labels[s.index()], reference.phaseNames().indexOf(s.phase()));
      assertTrue(s.confidence() >= 0 && s.confidence() <= 1);
    }
    assertTrue(maxError < 3.0, "position error up to " + maxError + " reference frames");
    assertEquals(0, regressions, "progress went backwards");
    assertEquals(1.0, lastProgress, 0.02);
  }

  @Test
  void resetStartsANewCycle() {
    double[][] ref = synth.reference(30);
    StreamingAligner a = new StreamingAligner(Reference.unlabelled(ref),
        Config.defaults(Mode.CYCLE));
    Step last = null;
    for (double[] f : ref) {
      last = a.push(f);
    }
    assertEquals(29, last.index());
    a.reset();
    Step first = a.push(ref[0]);
    assertEquals(0, first.index());
    assertEquals(30, first.frame());
    assertEquals(0.0, first.cost(), 1e-9);
  }

  @Test
  void continuousModeFindsEveryCycleBetweenIdleSpells() {
    // The tempo here goes far outside 0.5x-2x (u^0.5 starts infinitely fast, u^1.25 at rest):
    // the soft recursion finds the boundaries within a frame, the slope pattern within three.
    findsEveryCycle(Pattern.SOFT, 1);
    findsEveryCycle(Pattern.SLOPE, 3);
  }

  void findsEveryCycle(Pattern pattern, int tolerance) {
    assertEquals(4, cyclesFound(pattern, 0.3, 1, tolerance, true));
  }

  /**
   * The calibrated threshold needs no scale: with the features scaled by 10 (costs by 100) a
   * fixed threshold that worked finds nothing, the calibrated one finds every cycle, on both.
   * Steady tempos of 0.7x to 1.4x here: the bends above start infinitely fast, which no
   * threshold calibrated before the first cycle can foresee.
   */
  @Test
  void theCalibratedThresholdFindsEveryCycleWhateverTheScaleOfTheCosts() {
    assertEquals(4, cyclesFound(Pattern.SLOPE, 0.3, 1, 3, false));
    assertEquals(4, cyclesFound(Pattern.SLOPE, Config.AUTO, 1, 3, false));
    assertEquals(4, cyclesFound(Pattern.SLOPE, Config.AUTO, 10, 3, false));
    assertEquals(0, cyclesFound(Pattern.SLOPE, 0.3, 10, 3, false));
    assertThrows(InvalidInputException.class,
        () -> Config.defaults(Mode.CONTINUOUS).withMatchThreshold(-1));
  }

  /** Cycles found, each checked against the truth (all found cycles must be right). */
  int cyclesFound(Pattern pattern, double threshold, double scale, int tolerance,
                  boolean bends) {
    int m = 40;
    double[][] ref = synth.reference(m);
    StreamingAligner a = new StreamingAligner(Reference.unlabelled(scaled(ref, scale)),
        Config.defaults(Mode.CONTINUOUS).withGamma(0.01).withMatchThreshold(threshold)
            .withPattern(pattern));
    Random rnd = new Random(8);
    List<double[]> stream = new ArrayList<>();
    List<long[]> truth = new ArrayList<>();
    int[] durations = {40, 55, 32, 48};
    for (int c = 0; c < durations.length; c++) {
      stream.addAll(synth.idle(15 + 7 * c, 0.02, rnd));
      long s = stream.size();
      double bend = 0.5 + 0.25 * c;
      stream.addAll(synth.cycle(durations[c], u -> bends ? Math.pow(u, bend) : u, 0.02, rnd));
      truth.add(new long[] {s, stream.size() - 1});
    }
    stream.addAll(synth.idle(m + 5, 0.02, rnd));
    List<Cycle> found = new ArrayList<>();
    for (double[] f : stream) {
      Step step = a.push(scaled(new double[][] {f}, scale)[0]);
      if (step.completed() != null) {
        found.add(step.completed());
      }
    }
    if (found.isEmpty()) {
      return 0;
    }
    assertEquals(truth.size(), found.size(), pattern + ": cycles found: " + found);
    for (int c = 0; c < truth.size(); c++) {
      assertTrue(Math.abs(found.get(c).start() - truth.get(c)[0]) <= tolerance, pattern
          + ": start of " + c + ": " + found.get(c) + " vs " + Arrays.toString(truth.get(c)));
      assertTrue(Math.abs(found.get(c).end() - truth.get(c)[1]) <= tolerance, pattern
          + ": end of " + c + ": " + found.get(c) + " vs " + Arrays.toString(truth.get(c)));
      assertTrue(found.get(c).cost() > 0 && (threshold == Config.AUTO
          || found.get(c).cost() <= threshold), "cost " + found.get(c));
    }
    return found.size();
  }

  static double[][] scaled(double[][] rows, double k) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = rows[i].clone();
      for (int d = 0; d < out[i].length; d++) {
        out[i][d] *= k;
      }
    }
    return out;
  }

  @Test
  void softContinuousCycleCostMatchesBatchDtwOfTheSegment() {
    int m = 25;
    double[][] ref = synth.reference(m);
    Random rnd = new Random(4);
    List<double[]> stream = new ArrayList<>(synth.idle(10, 0.05, rnd));
    stream.addAll(synth.cycle(35, u -> u, 0.05, rnd));
    stream.addAll(synth.idle(40, 0.05, rnd));
    StreamingAligner a = new StreamingAligner(Reference.unlabelled(ref),
        Config.defaults(Mode.CONTINUOUS).withGamma(1e-4).withMatchThreshold(0.5)
            .withPattern(Pattern.SOFT));
    Cycle cycle = null;
    for (double[] f : stream) {
      Cycle c = a.push(f).completed();
      if (c != null) {
        assertNull(cycle, "one cycle expected");
        cycle = c;
      }
    }
    assertNotNull(cycle);
    double[][] segment = stream.subList((int) cycle.start(), (int) cycle.end() + 1)
        .toArray(new double[0][]);
    Dtw.Result dtw = Dtw.align(Cost.SQEUCLIDEAN.matrix(segment, ref), segment.length, m,
        Band.NONE);
    assertEquals(dtw.value() / dtw.path().size(), cycle.cost(), 2e-3);
    // SPRING reports the cheapest subsequence: no shift of the boundaries by one frame is cheaper.
    for (int ds = -1; ds <= 1; ds++) {
      for (int de = -1; de <= 1; de++) {
        double[][] seg = stream.subList((int) cycle.start() + ds, (int) cycle.end() + 1 + de)
            .toArray(new double[0][]);
        double v = Dtw.align(Cost.SQEUCLIDEAN.matrix(seg, ref), seg.length, m, Band.NONE).value();
        assertTrue(v >= dtw.value() - 1e-3, "shift " + ds + "," + de + " is cheaper");
      }
    }
  }

  @Test
  void snapshotRoundTripGivesBitIdenticalFutureOutputs() {
    for (Pattern pattern : Pattern.values()) {
      for (Mode mode : Mode.values()) {
        snapshotRoundTrip(mode, pattern, 0.2);
      }
      // Its calibration, too, before and after cycles were found (without a minimum cycle
      // length the calibrated threshold also takes a fast partial crossing at the start of
      // this stream: the counts are not checked, the round trip is).
      snapshotRoundTrip(Mode.CONTINUOUS, pattern, Config.AUTO, 18, -1);
      snapshotRoundTrip(Mode.CONTINUOUS, pattern, Config.AUTO, 60, -1);
    }
  }

  /** Two cycles between idle spells (seed 2): the stream of the snapshot tests. */
  List<double[]> twoCycles() {
    Random rnd = new Random(2);
    List<double[]> stream = new ArrayList<>(synth.idle(5, 0.05, rnd));
    stream.addAll(synth.cycle(25, u -> u, 0.05, rnd));
    stream.addAll(synth.idle(10, 0.05, rnd));
    stream.addAll(synth.cycle(22, u -> u, 0.05, rnd));
    stream.addAll(synth.idle(30, 0.05, rnd));
    return stream;
  }

  void snapshotRoundTrip(Mode mode, Pattern pattern, double threshold) {
    snapshotRoundTrip(mode, pattern, threshold, 18, 2);
  }

  void snapshotRoundTrip(Mode mode, Pattern pattern, double threshold, int split,
                         int cyclesAfter) {
    {
      StreamingAligner a = new StreamingAligner(Reference.unlabelled(synth.reference(20)),
          Config.defaults(mode).withMatchThreshold(threshold).withPattern(pattern));
      List<double[]> stream = twoCycles();
      int before = 0;
      for (int i = 0; i < split; i++) {
        before += a.push(stream.get(i)).completed() == null ? 0 : 1;
      }
      if (mode == Mode.CONTINUOUS && cyclesAfter >= 0) {
        assertEquals(2 - cyclesAfter, before);
      } else if (cyclesAfter < 0 && split == 60) {
        assertTrue(before > 0, "cycles before the snapshot: its calibration uses them");
      }
      if (threshold == Config.AUTO && mode == Mode.CONTINUOUS) {
        // Calibrated by the 18 frames: no longer 0.
        assertTrue(a.matchThreshold() > 0, "threshold " + a.matchThreshold());
      }
      byte[] state = a.snapshot();
      StreamingAligner b = StreamingAligner.restore(a.reference(), state);
      assertArrayEquals(state, b.snapshot());
      int cycles = 0;
      for (int i = split; i < stream.size(); i++) {
        Step sa = a.push(stream.get(i));
        Step sb = b.push(stream.get(i));
        assertEquals(sa, sb, "frame " + i + " in " + mode); // records compare doubles bitwise
        cycles += sa.completed() == null ? 0 : 1;
      }
      if (mode == Mode.CONTINUOUS && cyclesAfter >= 0) {
        assertEquals(cyclesAfter, cycles);
      }
      assertArrayEquals(a.snapshot(), b.snapshot());
      assertTrue(state.length <= 193 + 33 * 20 + 8, "snapshot of " + state.length + " bytes");
    }
  }

  /**
   * A version-3 snapshot (the previous release: no calibration) still restores, and continues
   * as a current aligner that saw the same frames would. The golden file was written by that
   * release's StreamingAligner: continuous mode, threshold 0.2, the stream of the round-trip
   * test after 18 frames.
   */
  @Test
  void versionThreeSnapshotsStillRestore() throws Exception {
    byte[] v3 = golden("aligner-v3.bin");
    assertEquals(3, v3[4], "the golden file is a version-3 snapshot");
    Reference ref = Reference.unlabelled(synth.reference(20));
    assertEquals(ref.fingerprint(), StreamingAligner.savedAgainst(v3));
    assertEquals(18, StreamingAligner.savedFrames(v3));
    StreamingAligner old = StreamingAligner.restore(ref, v3);
    assertEquals(0.2, old.matchThreshold());
    StreamingAligner now = new StreamingAligner(ref,
        Config.defaults(Mode.CONTINUOUS).withMatchThreshold(0.2));
    List<double[]> stream = twoCycles();
    int cycles = 0;
    for (int i = 0; i < stream.size(); i++) {
      Step b = now.push(stream.get(i));
      if (i >= 18) {
        assertEquals(b, old.push(stream.get(i)), "frame " + i);
        cycles += b.completed() == null ? 0 : 1;
      }
    }
    assertEquals(2, cycles);
  }

  /**
   * A version-4 snapshot (written by the release before still frames, commit ae2152d, 28 frames
   * into twoCycles() with the first cycle's end held) restores and continues exactly as an
   * aligner that saw the same frames: the held cycle is confirmed at the same frame.
   */
  @Test
  void versionFourSnapshotsStillRestore() throws Exception {
    byte[] v4 = golden("aligner-v4.bin");
    assertEquals(4, v4[4], "the golden file is a version-4 snapshot");
    Reference ref = Reference.unlabelled(synth.reference(20));
    assertEquals(28, StreamingAligner.savedFrames(v4));
    StreamingAligner old = StreamingAligner.restore(ref, v4);
    StreamingAligner now = new StreamingAligner(ref,
        Config.defaults(Mode.CONTINUOUS).withMatchThreshold(0.2));
    List<double[]> stream = twoCycles();
    List<Cycle> cycles = new ArrayList<>();
    for (int i = 0; i < stream.size(); i++) {
      Step b = now.push(stream.get(i));
      if (i >= 28) {
        assertEquals(b, old.push(stream.get(i)), "frame " + i);
        if (b.completed() != null) {
          cycles.add(b.completed());
        }
      }
    }
    assertEquals(2, cycles.size());
    assertEquals(5, cycles.get(0).start());
    assertEquals(5, StreamingAligner.restore(ref, now.snapshot()).snapshot()[4]);
  }

  /** A snapshot an earlier release wrote, kept beside this test. */
  private static byte[] golden(String name) throws java.io.IOException {
    try (var in = StreamingAlignerTest.class.getResourceAsStream("/io/lavmonitor/align/"
        + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void badInputThrowsAndLeavesStateUnchanged() {
    StreamingAligner a = new StreamingAligner(Reference.unlabelled(synth.reference(10)),
        Config.defaults(Mode.CYCLE));
    a.push(synth.at(0));
    byte[] before = a.snapshot();
    assertThrows(InvalidInputException.class, () -> a.push(new double[3]));
    double[] nan = synth.at(0.5);
    nan[2] = Double.NaN;
    assertThrows(InvalidInputException.class, () -> a.push(nan));
    double[] inf = synth.at(0.5);
    inf[0] = Double.POSITIVE_INFINITY;
    assertThrows(InvalidInputException.class, () -> a.push(inf));
    assertArrayEquals(before, a.snapshot());
    assertEquals(1, a.push(synth.at(0.1)).frame());
  }

  @Test
  void rejectsEmptyReferenceAndForeignSnapshots() {
    assertThrows(InvalidInputException.class, () -> Reference.unlabelled(new double[0][]));
    assertThrows(InvalidInputException.class,
        () -> new Reference(synth.reference(3), new int[] {0, 1}, null));
    StreamingAligner a = new StreamingAligner(Reference.unlabelled(synth.reference(10)),
        Config.defaults(Mode.CYCLE));
    byte[] state = a.snapshot();
    Reference other = Reference.unlabelled(new SyntheticStreams(16, 99).reference(10));
    assertThrows(InvalidInputException.class, () -> StreamingAligner.restore(other, state));
    assertThrows(InvalidInputException.class,
        () -> StreamingAligner.restore(a.reference(), Arrays.copyOf(state, 40)));
  }

  /**
   * Without its run penalty, the slope recursion is hard open-end DTW: checked against every
   * monotone path enumerated by brute force (the cheapest path to each cell and its number of
   * cells), and against the offline open-end DTW of the same costs.
   */
  @Test
  void slopeWithoutPenaltyIsOpenEndDtw() {
    Random rnd = new Random(12);
    for (int trial = 0; trial < 5; trial++) {
      double[][] ref = SoftDtwTest.random(rnd, 5, 3);
      double[][] query = SoftDtwTest.random(rnd, 6, 3);
      StreamingAligner a = new StreamingAligner(Reference.unlabelled(ref),
          Config.defaults(Mode.CYCLE).withRunPenalty(0));
      double[] cost = Cost.SQEUCLIDEAN.matrix(query, ref);
      int[] offline = Dtw.openEndPositions(cost, query.length, ref.length);
      for (int t = 0; t < query.length; t++) {
        Step s = a.push(query[t]);
        int bestJ = -1;
        double best = Double.POSITIVE_INFINITY;
        double bestCells = 0;
        for (int j = 0; j < ref.length; j++) {
          double[] sumCells = cheapestPath(cost, ref.length, t, j);
          if (sumCells[0] < best) {
            best = sumCells[0];
            bestJ = j;
            bestCells = sumCells[1];
          }
        }
        assertEquals(bestJ, s.index(), "trial " + trial + ", frame " + t);
        assertEquals(offline[t], s.index(), "offline DTW, trial " + trial + ", frame " + t);
        assertEquals(best / bestCells, s.cost(), 1e-12);
      }
    }
  }

  /** {sum, cells} of the cheapest monotone path from (0, 0) to (i, j), by enumeration. */
  static double[] cheapestPath(double[] cost, int m, int i, int j) {
    double here = cost[i * m + j];
    if (i == 0 && j == 0) {
      return new double[] {here, 1};
    }
    double[] best = null;
    int[][] prev = {{i - 1, j - 1}, {i - 1, j}, {i, j - 1}};
    for (int[] p : prev) {
      if (p[0] >= 0 && p[1] >= 0) {
        double[] c = cheapestPath(cost, m, p[0], p[1]);
        if (best == null || c[0] < best[0]) {
          best = c;
        }
      }
    }
    return new double[] {best[0] + here, best[1] + 1};
  }

  /** The reference replayed at a steady speed, frame j of the replay showing round(j x speed). */
  static double[][] replay(double[][] ref, double speed) {
    List<double[]> out = new ArrayList<>();
    for (double p = 0; p <= ref.length - 1 + 1e-9; p += speed) {
      out.add(ref[(int) Math.round(p)]);
    }
    return out.toArray(new double[0][]);
  }

  /**
   * Up to normal speed the replay is tracked exactly; at twice the speed within a frame: the
   * reference frame skipped between two stream frames is a cell of the path that costs
   * something, so the open end may stay one frame behind until the next frame settles it.
   */
  @Test
  void aReplayAtHalfToTwiceTheSpeedIsTrackedExactly() {
    double[][] ref = synth.reference(40);
    for (double speed : new double[] {0.5, 1.0, 2.0}) {
      StreamingAligner a = new StreamingAligner(Reference.unlabelled(ref),
          Config.defaults(Mode.CYCLE));
      double[][] q = replay(ref, speed);
      for (int t = 0; t < q.length; t++) {
        Step s = a.push(q[t]);
        assertEquals(Math.round(t * speed), s.index(), speed <= 1 ? 0 : 1,
            "speed " + speed + ", frame " + t);
        if (speed <= 1) { // at twice the speed the path's vertical cells cost something
          assertEquals(0.0, s.cost(), 1e-12, "the path matches exactly");
        }
      }
    }
  }

  /**
   * A stall costs the path the run penalty for every frame it lingers, three times the cost
   * between consecutive reference frames: the position creeps ahead by a few frames at most,
   * and the rest of the cycle is tracked within a frame after it.
   */
  @Test
  void aStallIsFollowedWithinAFewFrames() {
    double[][] ref = synth.reference(40);
    StreamingAligner a = new StreamingAligner(Reference.unlabelled(ref),
        Config.defaults(Mode.CYCLE));
    List<double[]> q = new ArrayList<>(Arrays.asList(ref).subList(0, 20));
    for (int i = 0; i < 30; i++) {
      q.add(ref[19]); // the work stops at reference frame 19 for 30 frames
    }
    q.addAll(Arrays.asList(ref).subList(20, 40));
    Step s = null;
    for (int t = 0; t < q.size(); t++) {
      s = a.push(q.get(t));
      if (t >= 19 && t < 50) {
        assertTrue(s.index() >= 19 && s.index() <= 23, "frame " + t + " of the stall at "
            + s.index());
      }
      if (t >= 55) {
        assertEquals(t - 30, s.index(), 1, "after the stall, frame " + t);
      }
    }
    assertEquals(39, s.index());
  }

  /**
   * A frozen feed in the middle of a cycle (60 repeats of one frame, pushed as still): the cycle
   * comes out once, from its true start to its true end, and the still frames add nothing to
   * it: the same start and cost as the same stream without them, the end 60 frames later.
   * Pushed without the still flag, the frozen frames change the cycle's cost.
   */
  @Test
  void aFrozenFeedInACycleAddsNothingToItsPath() {
    int m = 40;
    int freeze = 60;
    double[][] ref = synth.reference(m);
    Random rnd = new Random(5);
    List<double[]> before = new ArrayList<>(synth.idle(20, 0.02, rnd));
    List<double[]> cycle = synth.cycle(45, u -> u, 0.02, rnd);
    List<double[]> after = new ArrayList<>(synth.idle(m + 5, 0.02, rnd));
    int cut = before.size() + 22;
    List<double[]> plain = new ArrayList<>(before);
    plain.addAll(cycle);
    plain.addAll(after);
    List<Cycle> without = cycles(ref, plain, -1, 0, true);
    List<Cycle> still = cycles(ref, plain, cut, freeze, true);
    assertEquals(1, without.size(), without.toString());
    assertEquals(1, still.size(), "one cycle, not split at the freeze: " + still);
    assertTrue(Math.abs(without.get(0).start() - before.size()) <= 3, without.toString());
    assertTrue(Math.abs(without.get(0).end() - (before.size() + cycle.size() - 1)) <= 3,
        without.toString());
    assertEquals(without.get(0).start(), still.get(0).start());
    assertEquals(without.get(0).end() + freeze, still.get(0).end());
    assertEquals(without.get(0).cost(), still.get(0).cost(), 1e-12);
    List<Cycle> paid = cycles(ref, plain, cut, freeze, false);
    assertTrue(paid.isEmpty() || Math.abs(paid.get(0).cost() - without.get(0).cost()) > 1e-6,
        "without the flag the frozen frames are paid for: " + paid);
  }

  /**
   * Cycles found in continuous mode, frame {@code at} repeated {@code freeze} times (pushed as
   * still when {@code flagged}).
   */
  private static List<Cycle> cycles(double[][] ref, List<double[]> stream, int at, int freeze,
                                    boolean flagged) {
    StreamingAligner a = new StreamingAligner(Reference.unlabelled(ref),
        Config.defaults(Mode.CONTINUOUS).withMatchThreshold(0.3));
    List<Cycle> found = new ArrayList<>();
    for (int t = 0; t < stream.size(); t++) {
      for (int k = 0; k < (t == at ? freeze + 1 : 1); k++) {
        Step s = a.push(stream.get(t), flagged && k > 0);
        if (s.completed() != null) {
          found.add(s.completed());
        }
      }
    }
    return found;
  }
}
