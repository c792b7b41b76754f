package io.lavmonitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.align.Reference;
import io.lavmonitor.data.StepRules;
import io.lavmonitor.wire.Events;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-camera engine without Kafka: the order contract, restore, reference changes. */
class CameraEngineTest {
  static final StationReference REF = new StationReference("st1", "model-a",
      CameraStateSerdeTest.goldenReference(), 10);

  static CameraEngine engine() {
    CameraEngine e = new CameraEngine("cam1", new CameraState(), Thresholds.defaults(),
        new Track.InMemory());
    e.attach(REF);
    return e;
  }

  @Test
  void sequencesCountWithinAnAgentSession() {
    CameraEngine e = engine();
    assertEquals(CameraEngine.Admission.NEW_SESSION, e.admit(100, 1));
    assertEquals(CameraEngine.Admission.NEXT, e.admit(100, 2));
    assertEquals(CameraEngine.Admission.NEXT, e.admit(100, 5), "gaps are frames not sent");
    assertEquals(CameraEngine.Admission.REPEATED, e.admit(100, 5));
    assertEquals(CameraEngine.Admission.OLDER, e.admit(100, 3));
    // The agent restarts: sequence 1 again, in a new session.
    assertEquals(CameraEngine.Admission.NEW_SESSION, e.admit(200, 1));
    assertEquals(CameraEngine.Admission.NEXT, e.admit(200, 2));
    // A late frame of the replaced session is refused, and does not take over again.
    assertEquals(CameraEngine.Admission.STALE_SESSION, e.admit(100, 6));
    assertEquals(CameraEngine.Admission.NEXT, e.admit(200, 3));
    assertEquals(200, e.state().session());
    assertEquals(3, e.state().lastSequence());
    // Only the last few sessions are remembered.
    for (long s = 300; s < 300 + CameraState.SESSIONS + 1; s++) {
      assertEquals(CameraEngine.Admission.NEW_SESSION, e.admit(s, 1));
    }
    assertEquals(CameraState.SESSIONS, e.state().pastSessions.size());
    assertEquals(CameraEngine.Admission.NEW_SESSION, e.admit(100, 7), "long forgotten");
  }

  /** Pushes frames j of the reference, cycles times over, returning the positions. */
  static List<Double> push(CameraEngine e, int from, int count, long[] seq) {
    Reference r = REF.reference();
    List<Double> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      seq[0]++;
      e.admit(1, seq[0]);
      double[] f = r.frames()[i % r.length()].clone();
      f[i % f.length] += 0.01 * Math.sin(i); // not quite the reference, as a camera sees it
      Events.Progress p = e.onEmbedded(seq[0], seq[0] * 100_000, f, 0, 0).progress();
      out.add(p.position());
    }
    return out;
  }

  @Test
  void aRestoredEngineContinuesExactly() {
    int m = REF.reference().length();
    CameraEngine whole = engine();
    List<Double> expected = push(whole, 0, 3 * m, new long[1]);

    Track track = new Track.InMemory();
    CameraEngine first = new CameraEngine("cam1", new CameraState(), Thresholds.defaults(),
        track);
    first.attach(REF);
    long[] seq = new long[1];
    List<Double> got = new ArrayList<>(push(first, 0, m + m / 2, seq));
    byte[] saved = first.stateBytes();
    CameraEngine second = new CameraEngine("cam1", CameraStateSerde.read(saved).state(),
        Thresholds.defaults(), track);
    second.attach(REF);
    got.addAll(push(second, m + m / 2, 3 * m - (m + m / 2), seq));
    assertEquals(expected, got, "bit for bit");
    assertEquals(whole.state().cycleCounter, second.state().cycleCounter);
  }

  @Test
  void anotherReferenceStartsOverAndKeepsTheCycleCount() {
    CameraEngine e = engine();
    long[] seq = new long[1];
    push(e, 0, 3 * REF.reference().length(), seq);
    long cycles = e.state().cycleCounter;
    assertTrue(cycles >= 2, "cycles " + cycles);
    assertTrue(e.state().costs.size() >= 2);
    double[][] other = REF.reference().frames().clone();
    other[0] = other[1];
    e.attach(new StationReference("st1", "model-a", new Reference(other,
        REF.reference().labels(), REF.reference().phaseNames()), 10));
    assertEquals(cycles, e.state().cycleCounter);
    assertTrue(e.state().costs.isEmpty(), "calibration afresh");
    assertNull(e.state().aligner);
    e.attach(new StationReference("st1", "model-b", REF.reference(), 10));
    assertEquals("model-b", e.state().modelId());
  }

  @Test
  void aBadEmbeddingIsRefusedWithoutTouchingTheCalibration() {
    CameraEngine e = engine();
    long[] seq = new long[1];
    push(e, 0, 3 * REF.reference().length(), seq);
    List<Double> costs = new ArrayList<>(e.state().costs);
    assertTrue(costs.size() >= 2);
    double[] nan = REF.reference().frames()[0].clone();
    nan[3] = Double.NaN;
    org.junit.jupiter.api.Assertions.assertThrows(io.lavmonitor.io.InvalidInputException.class,
        () -> e.onEmbedded(999, 0, nan, 0, 0));
    org.junit.jupiter.api.Assertions.assertThrows(io.lavmonitor.io.InvalidInputException.class,
        () -> e.onEmbedded(999, 0, new double[3], 0, 0));
    assertEquals(costs, new ArrayList<>(e.state().costs), "calibration kept");
    assertEquals("model-a", e.state().modelId());
  }

  /**
   * After normal cycles, a cycle whose phase b shows something else (each of its frames pulled
   * towards another direction) is alerted as that phase's cost, with the cycle's frames; the
   * normal cycles before it raise nothing, and it does not join the profile.
   */
  @Test
  void aPhaseUnlikeItsNormalCyclesIsAlerted() {
    CameraEngine e = engine();
    Reference r = REF.reference();
    int m = r.length();
    long[] seq = new long[1];
    List<Events.Anomaly> alerts = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      alerts.addAll(pushAlerts(e, r, m, seq, false));
    }
    assertTrue(alerts.isEmpty(), "normal cycles: " + alerts);
    int before = e.state().profile.cycles(1);
    assertTrue(before >= Thresholds.defaults().calibrationCycles());
    alerts.addAll(pushAlerts(e, r, m, seq, true));
    alerts.addAll(pushAlerts(e, r, m, seq, false)); // the next cycle confirms the odd one
    List<Events.Anomaly> phase = alerts.stream().filter(a -> a.type().equals("phase_cost"))
        .toList();
    assertEquals(1, phase.size(), alerts.toString());
    assertEquals("b", phase.get(0).phase());
    long start = ((Number) phase.get(0).evidence().get("start_sequence")).longValue();
    long end = ((Number) phase.get(0).evidence().get("end_sequence")).longValue();
    assertTrue(start <= 8L * m + 9 && end >= 8L * m + 16, start + ".." + end);
    // It names the camera frames of its span (what lav.archive frames carry): here frame =
    // sequence - 1, one agent session.
    assertEquals(start - 1, ((Number) phase.get(0).evidence().get("start_frame")).longValue());
    assertEquals(end - 1, ((Number) phase.get(0).evidence().get("end_frame")).longValue());
    // Its delay: from the span's first capture (sequence x 0.1 s here) to the alert's.
    assertEquals(phase.get(0).timestampMillis() / 1000.0 - start * 0.1,
        ((Number) phase.get(0).evidence().get("delay_s")).doubleValue(), 1e-6);
    assertEquals(before + 1, e.state().profile.cycles(1), "only the normal cycle after it");
  }

  /**
   * A phase whose normal cycles stand still for a while (3.5 s in phase b, past the rule's own
   * limit of 3 x its 0.8 s) is alerted as a stall only until the profile has learnt it; then a
   * hold of that length passes, and a hold well past what normal cycles show is still a stall.
   */
  @Test
  void aStillMomentThatNormalCyclesShowIsNotAStall() {
    CameraEngine e = engine();
    Reference r = REF.reference();
    int m = r.length();
    long[] seq = new long[1];
    List<Long> stalls = new ArrayList<>();
    int cal = Thresholds.defaults().calibrationCycles();
    for (int c = 0; c < cal + 4; c++) {
      int before = stalls.size();
      pushHold(e, r, m, seq, 35).stream().filter(a -> a.type().equals("stall"))
          .forEach(a -> stalls.add((long) before));
      if (c == 0) {
        assertEquals(1, stalls.size(), "the first cycle: the profile knows nothing yet");
      }
    }
    assertTrue(e.state().profile.stillCycles() >= cal);
    int known = stalls.size();
    assertTrue(known <= cal + 1, "stalls before the profile knew the hold: " + known);
    List<Events.Anomaly> last = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      last.addAll(pushHold(e, r, m, seq, 35));
    }
    assertTrue(last.stream().noneMatch(a -> a.type().equals("stall")), last.toString());
    List<Events.Anomaly> longHold = pushHold(e, r, m, seq, 80).stream()
        .filter(a -> a.type().equals("stall")).toList();
    assertEquals(1, longHold.size(), "an 8-s hold");
    assertEquals("b", longHold.get(0).phase());
    double limit = ((Number) longHold.get(0).evidence().get("limit_seconds")).doubleValue();
    assertTrue(limit > 3.4 && limit < 8, "limit " + limit);
  }

  /**
   * The running cycle as a checklist: a cycle and a half in, the second cycle's phase a is done
   * in about its 8 frames (0.8 s at 10 fps), b is current, c is to come.
   */
  @Test
  void theRunningCycleIsAChecklistOfTheReferenceSteps() {
    CameraEngine e = engine();
    int m = REF.reference().length();
    push(e, 0, m + 12, new long[1]);
    List<LiveCycle.Step> steps = e.state().checklist(REF.phases(), List.of(0.8, 0.8, 0.8));
    assertEquals(List.of("done", "current", "todo"), steps.stream().map(LiveCycle.Step::status)
        .toList(), steps.toString());
    assertTrue(Math.abs(steps.get(0).frames() - 8) <= 2, steps.toString());
    assertEquals(steps.get(0).frames() * 0.1, steps.get(0).seconds(), 1e-9);
    assertTrue(steps.get(1).frames() >= 2, steps.toString());
    assertEquals(0, steps.get(2).frames());
  }

  /**
   * With lav.anomaly.skipped-phase.live, a skipped step is alerted while its cycle runs: a
   * cycle that goes from phase a straight to
   * a slow phase c gets one skipped_phase alert for b, live, before the cycle's end is even
   * found, and the cycle's end does not alert b again; the normal cycles after it get none.
   */
  @Test
  void aSkippedStepIsAlertedWhileTheCycleRuns() {
    // Three phases that look unlike each other (each a drift around its own direction).
    Reference r = distinctPhases(List.of("a", "b", "c"), 8, 8, new java.util.Random(11));
    int m = r.length();
    Thresholds live = Thresholds.from(java.util.Map.of("anomaly.skipped-phase.live", "true"));
    assertTrue(live.liveSkipped() && !Thresholds.defaults().liveSkipped());
    CameraEngine e = new CameraEngine("cam1", new CameraState(), live, new Track.InMemory());
    e.attach(new StationReference("st1", "model-a", r, 10));
    long[] seq = new long[1];
    java.util.function.IntFunction<List<Integer>> normal = n -> {
      List<Integer> js = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        js.add(j);
      }
      return js;
    };
    List<Integer> plays = new ArrayList<>();
    int oddFrom = plays.size();
    for (int j = 0; j < m; j++) {
      if (r.labels()[j] == 0) {
        plays.add(j);
      } else if (r.labels()[j] == 2) {
        plays.add(j);
        plays.add(j); // c at half speed
      }
    }
    int oddTo = plays.size() - 1;
    plays.addAll(normal.apply(m));
    plays.addAll(normal.apply(m));
    plays.addAll(normal.apply(m));
    List<Events.Anomaly> skipped = new ArrayList<>();
    List<Events.CycleSummary> cycles = new ArrayList<>();
    for (int j : plays) {
      seq[0]++;
      e.admit(1, seq[0]);
      double[] f = r.frames()[j].clone();
      f[(int) (seq[0] % f.length)] += 0.01 * Math.sin(seq[0]);
      CameraEngine.Output out = e.onEmbedded(seq[0], seq[0] * 100_000, f, 0, 0);
      out.anomalies().stream().filter(a -> a.type().equals("skipped_phase"))
          .forEach(skipped::add);
      cycles.addAll(out.cycles());
    }
    assertEquals(1, skipped.size(), skipped.toString());
    Events.Anomaly a = skipped.get(0);
    assertEquals("b", a.phase());
    assertEquals(0, ((Number) a.evidence().get("observed_frames")).intValue());
    assertEquals(true, a.evidence().get("live"));
    long at = ((Number) a.evidence().get("sequence")).longValue();
    assertTrue(at > oddFrom + 8 && at <= oddTo + 1, "alerted at " + at + ", the cycle played "
        + (oddFrom + 1) + ".." + (oddTo + 1));
    // The odd cycle is the first one reported; the alert came while it ran, with its id.
    assertEquals("cam1-0", a.cycleId());
    assertEquals("cam1-0", cycles.get(0).cycleId());
    assertTrue(at <= cycles.get(0).endSequence(), "alerted at " + at + ", the cycle ended at "
        + cycles.get(0).endSequence());
  }

  /** One cycle at 10 fps whose reference frame 10 (phase b) is held for {@code hold} frames. */
  private static List<Events.Anomaly> pushHold(CameraEngine e, Reference r, int m, long[] seq,
                                               int hold) {
    return pushHold(e, r, m, seq, hold, new ArrayList<>());
  }

  /** As above, also collecting the cycles summarised into {@code cycles}. */
  private static List<Events.Anomaly> pushHold(CameraEngine e, Reference r, int m, long[] seq,
                                               int hold, List<Events.CycleSummary> cycles) {
    List<Events.Anomaly> out = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < (j == 10 ? hold : 1); k++) {
        seq[0]++;
        e.admit(1, seq[0]);
        double[] f = r.frames()[j].clone();
        if (k == 0) {
          f[j % f.length] += 0.01 * Math.sin(seq[0]);
        }
        CameraEngine.Output o = e.onEmbedded(seq[0], seq[0] * 100_000, f, 0, 0);
        out.addAll(o.anomalies());
        cycles.addAll(o.cycles());
      }
    }
    return out;
  }

  private static List<Events.Anomaly> pushAlerts(CameraEngine e, Reference r, int m,
                                                 long[] seq, boolean odd) {
    List<Events.Anomaly> out = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      seq[0]++;
      e.admit(1, seq[0]);
      double[] f = r.frames()[j].clone();
      f[j % f.length] += 0.01 * Math.sin(seq[0]);
      if (odd && r.labels()[j] == 1) {
        f[7] += 0.8;
        double n = 0;
        for (double v : f) {
          n += v * v;
        }
        for (int k = 0; k < f.length; k++) {
          f[k] /= Math.sqrt(n);
        }
      }
      out.addAll(e.onEmbedded(seq[0], seq[0] * 100_000, f, 0, 0).anomalies());
    }
    return out;
  }

  /**
   * Back-to-back cycles: at each confirmation a cycle_started record names the next cycle and
   * where it began, and every frame's progress carries its own cycle's id. (Here boundaries are
   * confirmed at once; ReplayTest checks the frames between an end and a later confirmation.)
   */
  @Test
  void progressCarriesTheCycleItsFrameBelongsTo() {
    CameraEngine e = engine();
    Reference r = REF.reference();
    int m = r.length();
    java.util.Map<Long, String> ids = new java.util.HashMap<>();
    List<Events.CycleSummary> cycles = new ArrayList<>();
    List<Events.CycleStarted> starts = new ArrayList<>();
    for (long seq = 1; seq <= 5L * m; seq++) {
      e.admit(1, seq);
      double[] f = r.frames()[(int) ((seq - 1) % m)].clone();
      f[(int) (seq % f.length)] += 0.01 * Math.sin(seq);
      CameraEngine.Output out = e.onEmbedded(seq, seq * 100_000, f, 0, 0);
      ids.put(seq, out.progress().cycleId());
      cycles.addAll(out.cycles());
      starts.addAll(out.starts());
    }
    assertTrue(cycles.size() >= 3, cycles.toString());
    assertEquals(cycles.size(), starts.size());
    for (int k = 0; k < cycles.size(); k++) {
      Events.CycleSummary c = cycles.get(k);
      Events.CycleStarted st = starts.get(k);
      assertEquals("cam1-" + k, c.cycleId());
      assertEquals("cam1-" + (k + 1), st.cycleId());
      assertEquals("cam1-" + k, st.previousCycleId());
      assertEquals(c.endSequence() + 1, st.startSequence());
      assertTrue(st.confirmedAtSequence() >= c.endSequence(), "confirmed at or after the end");
      for (long seq = c.startSequence(); seq <= c.endSequence(); seq++) {
        assertEquals("cam1-" + k, ids.get(seq), "frame " + seq + " of cycle " + k);
      }
      for (long seq = st.startSequence(); seq <= st.confirmedAtSequence(); seq++) {
        assertEquals("cam1-" + (k + 1), ids.get(seq), "frame " + seq + ", after cycle " + k
            + " ended at " + c.endSequence() + ", confirmed at " + st.confirmedAtSequence());
      }
    }
  }

  /**
   * Steps the reference's labels declare optional or unordered: with those rules a cycle that
   * leaves the optional step b out, and one that does the unordered c and d the other way
   * round, raise no alert, and the swapped cycle's phase durations are those of the work done;
   * the same cycles without the rules are alerted. (The swap makes the aligner, which follows
   * the reference's order, end the cycle at c: it is held and ends where the allowed order
   * fits.)
   */
  @Test
  void optionalAndUnorderedStepsAreNotAlerted() {
    Reference r = distinctPhases(List.of("a", "b", "c", "d", "e"), 8, 8,
        new java.util.Random(5));
    StepRules rules = new StepRules(List.of("b"), List.of(List.of("c", "d")));
    List<Integer> plays = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      plays.addAll(inOrder(r, List.of(0, 1, 2, 3, 4)));
    }
    int cutFrom = plays.size() + 1;
    plays.addAll(inOrder(r, List.of(0, 2, 3, 4))); // b left out
    int swapFrom = plays.size() + 1;
    plays.addAll(inOrder(r, List.of(0, 1, 3, 2, 4))); // d before c
    int swapTo = plays.size();
    for (int c = 0; c < 3; c++) {
      plays.addAll(inOrder(r, List.of(0, 1, 2, 3, 4)));
    }
    Played with = play(new StationReference("st1", "model-a", r, 10).withSteps(rules), plays);
    assertTrue(with.alerts().isEmpty(), with.alerts().toString());
    Events.CycleSummary swapped = with.cycles().stream()
        .filter(c -> Math.abs(c.startSequence() - swapFrom) <= 2
            && Math.abs(c.endSequence() - swapTo) <= 2)
        .findFirst().orElseThrow(() -> new AssertionError(with.cycles().toString()));
    for (Events.PhaseDuration ph : swapped.phases()) {
      assertTrue(Math.abs(ph.frames() - 8) <= 2, "phase durations of the swapped cycle: "
          + swapped.phases());
    }
    // A restart while the swapped cycle is held (its state written and read back) changes
    // nothing: the same cycles and alerts.
    Played restarted = play(new StationReference("st1", "model-a", r, 10).withSteps(rules),
        plays, swapTo - 4);
    assertEquals(summaries(with.cycles()), summaries(restarted.cycles()));
    assertEquals(with.alerts().size(), restarted.alerts().size());
    Played without = play(new StationReference("st1", "model-a", r, 10), plays);
    java.util.function.LongPredicate alerted = from -> without.alerts().stream().anyMatch(a ->
        Math.abs(((Number) a.evidence().get("start_sequence")).longValue() - from) <= 2);
    assertTrue(alerted.test(cutFrom) && alerted.test(swapFrom), "no rules, the cut cycle from "
        + cutFrom + " and the swapped one from " + swapFrom + ": " + without.alerts());
  }

  /**
   * A frozen feed in the middle of each cycle (reference frame 10 repeated for 3.4 s, longer
   * than the whole 2.4-s reference): every cycle is summarised once, from its first frame to
   * its last, the freeze inside it, and the freeze is alerted as a stall while it lasts. Before
   * the aligner waited on repeated frames, the path raced through the rest of the reference
   * within the freeze: the first cycle ended 12 frames into the freeze.
   */
  @Test
  void aFrozenFeedInsideACycleLeavesItOneCycle() {
    CameraEngine e = engine();
    Reference r = REF.reference();
    int m = r.length();
    int hold = 35;
    int length = m - 1 + hold; // frames a cycle takes
    long[] seq = new long[1];
    List<Events.CycleSummary> cycles = new ArrayList<>();
    List<Events.Anomaly> alerts = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      alerts.addAll(pushHold(e, r, m, seq, hold, cycles));
    }
    assertTrue(cycles.size() >= 5, cycles.toString());
    for (int c = 0; c < cycles.size(); c++) {
      Events.CycleSummary s = cycles.get(c);
      long first = 1 + (long) c * length;
      assertTrue(Math.abs(s.startSequence() - first) <= 3 && Math.abs(s.endSequence()
          - (first + length - 1)) <= 3, "cycle " + c + " from " + first + ": " + s);
    }
    assertTrue(alerts.stream().noneMatch(a -> a.type().equals("cycle_cost")), alerts.toString());
    List<Events.Anomaly> stalls = alerts.stream().filter(a -> a.type().equals("stall")).toList();
    assertFalse(stalls.isEmpty(), alerts.toString());
    long at = ((Number) stalls.get(0).evidence().get("sequence")).longValue();
    assertTrue(at > 11 && at <= 11 + hold, "the first stall alert during the freeze: " + at);
  }

  /**
   * A PLC-signalled cycle far longer than the kept track (a stall between start and stop): it
   * is summarised from the frames that are left, ending at the stop, without an error.
   */
  @Test
  void aCycleLongerThanTheTrackIsSummarisedFromWhatIsLeft() {
    CameraEngine e = engine();
    Reference r = REF.reference();
    int m = r.length();
    e.onSignal("start", 0);
    long seq = 0;
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < (j == m / 2 ? 9 * m : 1); k++) {
        seq++;
        e.admit(1, seq);
        double[] f = r.frames()[j].clone();
        f[(int) (seq % f.length)] += 0.01 * Math.sin(seq);
        e.onEmbedded(seq, seq * 100_000, f, 0, 0);
      }
    }
    CameraEngine.Output out = e.onSignal("stop", seq * 100_000 + 1);
    assertEquals(1, out.cycles().size(), out.toString());
    assertEquals(seq, out.cycles().get(0).endSequence());
    assertTrue(out.cycles().get(0).endSequence() - out.cycles().get(0).startSequence() < 4 * m,
        out.cycles().get(0).toString());
  }

  private record Played(List<Events.Anomaly> alerts, List<Events.CycleSummary> cycles) {}

  private static List<String> summaries(List<Events.CycleSummary> cycles) {
    return cycles.stream().map(c -> c.cycleId() + ":" + c.startSequence() + "-"
        + c.endSequence() + ":" + c.phases()).toList();
  }

  /** Plays reference frames (by index, a little noise on each) through a fresh engine. */
  private static Played play(StationReference ref, List<Integer> plays) {
    return play(ref, plays, -1);
  }

  /**
   * As {@link #play(StationReference, List)}, the engine restarted from its written state
   * after frame {@code restartAfter} (which must find a found cycle held).
   */
  private static Played play(StationReference ref, List<Integer> plays, long restartAfter) {
    Track track = new Track.InMemory();
    CameraEngine e = new CameraEngine("cam1", new CameraState(), Thresholds.defaults(), track);
    e.attach(ref);
    List<Events.Anomaly> alerts = new ArrayList<>();
    List<Events.CycleSummary> cycles = new ArrayList<>();
    long seq = 0;
    for (int j : plays) {
      seq++;
      e.admit(1, seq);
      double[] f = ref.reference().frames()[j].clone();
      f[(int) (seq % f.length)] += 0.01 * Math.sin(seq);
      CameraEngine.Output out = e.onEmbedded(seq, seq * 100_000, f, 0, 0);
      alerts.addAll(out.anomalies());
      cycles.addAll(out.cycles());
      if (seq == restartAfter) {
        assertTrue(e.state().heldEnd >= 0, "a cycle is held at frame " + seq);
        e = new CameraEngine("cam1", CameraStateSerde.read(e.stateBytes()).state(),
            Thresholds.defaults(), track);
        e.attach(ref);
      }
    }
    return new Played(alerts, cycles);
  }

  /** The reference frames of the given phases, phase after phase. */
  private static List<Integer> inOrder(Reference r, List<Integer> phases) {
    List<Integer> out = new ArrayList<>();
    for (int p : phases) {
      for (int j = 0; j < r.length(); j++) {
        if (r.labels()[j] == p) {
          out.add(j);
        }
      }
    }
    return out;
  }

  /**
   * A reference of phases that look unlike each other: {@code per} frames each, drifting
   * around the phase's own direction in d dimensions (unit vectors).
   */
  static Reference distinctPhases(List<String> names, int per, int d, java.util.Random rnd) {
    int m = names.size() * per;
    double[][] centre = new double[names.size()][d];
    for (double[] c : centre) {
      for (int k = 0; k < d; k++) {
        c[k] = rnd.nextGaussian();
      }
    }
    double[][] frames = new double[m][d];
    int[] labels = new int[m];
    for (int j = 0; j < m; j++) {
      labels[j] = j / per;
      double n = 0;
      for (int k = 0; k < d; k++) {
        frames[j][k] = centre[labels[j]][k] + 0.3 * Math.sin(0.8 * j + k);
        n += frames[j][k] * frames[j][k];
      }
      for (int k = 0; k < d; k++) {
        frames[j][k] /= Math.sqrt(n);
      }
    }
    return new Reference(frames, labels, names);
  }
}
