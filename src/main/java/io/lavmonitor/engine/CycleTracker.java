package io.lavmonitor.engine;

import io.lavmonitor.align.Band;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Dtw;
import io.lavmonitor.align.StreamingAligner;
import io.lavmonitor.data.StepRules;
import io.lavmonitor.wire.Events;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One camera's cycles and anomaly rules on top of its live streaming aligner, against one
 * station reference: progress per frame, a summary per completed cycle (found by the aligner's
 * continuous mode, or given by PLC start/stop signals, which take precedence), and the rules
 * (cycle cost against a calibrated threshold, stall, skipped phase, unknown content). What must
 * outlive the process is in the {@link CameraState} and the {@link Track}; the aligner is
 * snapshotted into the state by the caller.
 */
final class CycleTracker {
  /**
   * Live skipped phase: a phase given less than this fraction of its expected frames by the
   * path so far (stricter than the cycle end's, which sees the whole cycle; chosen on the
   * detection benchmark's tune set: 0.25 doubled the false skipped alerts there).
   */
  static final double LIVE_SKIPPED_FRACTION = 0.1;

  /**
   * A frame this close to the one before (squared embedding distance) repeats it: a frozen feed,
   * or a scene where nothing moves, not even the sensor's noise. The aligner's paths wait on it
   * (see StreamingAligner.push). Far below the stall rule's still distance: a model whose
   * embeddings barely move with the scene must not stop the aligner.
   */
  static final double REPEAT_DISTANCE = 1e-5;

  private final String camera;
  private final CameraState s;
  private final StationReference ref;
  private StepRules rules; // the reference's step rules (replaced when only they change)
  private List<int[]> stepOrders; // the allowed orders of the reference's frames, when first needed
  private int holdFrames = -1;
  private final Thresholds th;
  private final Track track;
  private final int m;
  private final int capacity;
  private StreamingAligner aligner;
  private long lastEnd = -1; // aligner frame of the last cycle's end (in memory: a hint)
  // While a cycle's rules run: its first and last camera frame and its first capture time.
  private long[] spanFrames;
  private final CameraEngine.Peers peers;
  // The station's calibration as the rules read it (this camera's and its peers'), read again
  // after each cycle; in memory, rebuilt after a restore.
  private StationCalibration.Pool pool;
  private LivePath livePath; // the running cycle's exact path so far (in memory)
  private double[] frameCosts;
  private double unknownLimit;
  private boolean learnt; // this camera's own calibration changed since last asked

  CycleTracker(String camera, CameraState state, StationReference reference,
               Thresholds thresholds, Track track, StreamingAligner aligner,
               CameraEngine.Peers peers) {
    this.camera = camera;
    this.peers = peers;
    this.s = state;
    this.ref = reference;
    this.rules = reference.steps();
    this.th = thresholds;
    this.track = track;
    this.m = reference.reference().length();
    this.capacity = 4 * m;
    this.aligner = aligner;
  }

  /** The station's calibration pool, read from the peers at first use and after each cycle. */
  private StationCalibration.Pool pool() {
    if (pool == null) {
      pool = StationCalibration.pool(camera, s, peers.of(ref.station(), camera));
      PhaseProfile prof = pool.profile();
      unknownLimit = prof != null && prof.unknownCycles() >= th.calibrationCycles()
          ? prof.unknownLimit(th.unknownMargin()) : th.unknownCost();
    }
    return pool;
  }

  /** The profile the rules read (the station's pool), or null when it has another shape. */
  private PhaseProfile stationProfile() {
    PhaseProfile p = pool().profile();
    return p != null && p.phases() == phaseCount() ? p : null;
  }

  /** Whether this camera learnt from a cycle since the last call (its record is then due). */
  boolean takeLearnt() {
    boolean l = learnt;
    learnt = false;
    return l;
  }

  /** The live aligner's snapshot, or null before the first frame of a cycle (or stream). */
  byte[] alignerSnapshot() {
    return aligner == null ? null : aligner.snapshot();
  }

  private StreamingAligner aligner() {
    if (aligner == null) {
      StreamingAligner.Mode mode = s.explicit ? StreamingAligner.Mode.CYCLE
          : StreamingAligner.Mode.CONTINUOUS;
      aligner = new StreamingAligner(ref.reference(), StreamingAligner.Config.defaults(mode)
          .withMatchThreshold(th.matchThreshold())
          .withMinCycleFrames((int) Math.round(th.minCycleFraction() * m)), ref.fingerprint());
    }
    return aligner;
  }

  /**
   * Whether a model swap may happen now: between cycles (explicit mode: after a stop; continuous
   * mode: a cycle has been confirmed and the next one has not gone past the reference's first
   * tenth since: the camera is idle between cycles, or the next one has just begun).
   */
  boolean atBoundary() {
    if (aligner == null) {
      return true;
    }
    return s.explicit ? !s.inCycle : s.cycleEnded && s.heldEnd < 0 && s.lastIndex < 0.1 * m;
  }

  /** A PLC signal: "start" or "stop" of a cycle. */
  CameraEngine.Output onSignal(String type, long captureMicros) {
    List<Events.CycleSummary> cycles = new ArrayList<>();
    List<Events.Anomaly> anomalies = new ArrayList<>();
    s.explicit = true;
    if (type.equals("start")) {
      if (s.heldEnd >= 0 && aligner != null) { // a found cycle still held: summarise it now
        long f = aligner.frames() - 1;
        long start = s.heldStart;
        long end = s.heldEnd;
        s.heldStart = -1;
        s.heldEnd = -1;
        finishCycle(start, end, f, s.heldCost, "detected", captureMicros, cycles, anomalies);
      }
      s.heldStart = -1;
      s.heldEnd = -1;
      aligner = null; // a fresh cycle-mode aligner on the next frame
      s.inCycle = true;
      s.cycleStartMicros = captureMicros;
      s.stillSinceMicros = captureMicros;
      s.stallAlerted = false;
      s.live = null;
      livePath = null;
    } else if (type.equals("stop") && s.inCycle) {
      s.inCycle = false;
      if (aligner != null && aligner.frames() > 0) {
        finishCycle(0, aligner.frames() - 1, aligner.frames() - 1, s.runningCost, "signal",
            captureMicros, cycles, anomalies);
      }
      s.live = null;
      livePath = null;
    }
    return new CameraEngine.Output(null, cycles, anomalies);
  }

  /** Aligns one embedded frame. */
  CameraEngine.Output onFrame(long seq, long captureMicros, double[] embedding, long wallMillis,
                              double latencyMillis) {
    List<Events.CycleSummary> cycles = new ArrayList<>();
    List<Events.Anomaly> anomalies = new ArrayList<>();
    if (s.explicit && !s.inCycle) {
      return new CameraEngine.Output(null, cycles, anomalies); // between a stop and a start
    }
    StreamingAligner a = aligner();
    long f = a.frames();
    double moved = movedSince(embedding);
    StreamingAligner.Step step = a.push(embedding, moved <= REPEAT_DISTANCE);
    s.runningCost = step.cost();
    track.put((int) (f % capacity), new TrackEntry(step.index(), captureMicros, seq,
        s.frames - 1, TrackEntry.quantise(embedding)));
    if (s.cycleEnded && step.completed() == null && step.index() >= 0.1 * m) {
      s.cycleEnded = false; // the next cycle is under way: the window for a swap has closed
    }
    // The cycle this frame belongs to. Once a cycle's end has been found (confirmed a few
    // frames later), a frame whose best path began after that end is the next cycle's.
    StreamingAligner.Cycle done = step.completed();
    boolean hold = holdFrames() > 0;
    boolean next = done != null ? !hold && done.end() < f
        : step.pendingEnd() >= 0 && step.pathStart() > step.pendingEnd();
    String frameCycle = s.cycleId(camera, next ? 1 : 0);
    LiveCycle live = live();
    live.add(phaseOf(step.index()), captureMicros, s.frames - 1, f);
    checkStall(step, moved, captureMicros, frameCycle, anomalies);
    checkUnknown(step, captureMicros, frameCycle, anomalies);
    if (th.liveSkipped()) { // the live path costs O(m phases) a frame: only when asked for
      checkLiveSkip(livePath(live, f), live, captureMicros, frameCycle, anomalies);
    }
    List<Events.CycleStarted> starts = new ArrayList<>();
    if (s.heldEnd >= 0 && (done != null || f - s.heldEnd >= holdFrames())) {
      // The held cycle ends where it fits best, before the next one found (if any) began.
      long until = done != null ? Math.max(s.heldEnd, Math.min(f, done.start() - 1)) : f;
      long start = s.heldStart;
      long end = s.heldEnd;
      s.heldStart = -1;
      s.heldEnd = -1;
      starts.add(summarise(start, end, until, s.heldCost, seq, f, captureMicros, cycles,
          anomalies));
    }
    if (done != null && hold) {
      s.heldStart = done.start();
      s.heldEnd = done.end();
      s.heldCost = done.cost();
    } else if (done != null) {
      starts.add(summarise(done.start(), done.end(), done.end(), done.cost(), seq, f,
          captureMicros, cycles, anomalies));
    }
    s.lastPhase = step.phase();
    s.lastProgress = step.progress();
    s.lastIndex = step.index();
    Events.Progress p = new Events.Progress(camera, ref.station(), frameCycle, seq,
        captureMicros / 1000, step.phase(), step.progress(), step.position(), step.localCost(),
        step.cost(), step.confidence(), latencyMillis, s.modelId);
    return new CameraEngine.Output(p, cycles, anomalies, starts);
  }

  /**
   * Summarises a found cycle (aligner frames start..end, or on to {@code until} for steps in
   * another allowed order), starts the next cycle's live view after it, and says where the next
   * cycle began: progress sent between the cycle's end and now may have carried its id, so
   * that consumers can correct.
   */
  private Events.CycleStarted summarise(long start, long end, long until, double cost,
                                        long seq, long f, long captureMicros,
                                        List<Events.CycleSummary> cycles,
                                        List<Events.Anomaly> anomalies) {
    String previous = s.cycleId(camera);
    if (lastEnd >= 0 && holdFrames() > 0) {
      start = Math.max(start, Math.min(end, lastEnd + 1)); // a held cycle may have run into it
    }
    long last = finishCycle(start, end, until, cost, "detected", captureMicros, cycles,
        anomalies);
    restartLive(last + 1, f);
    long first = cycles.isEmpty() ? seq : cycles.get(cycles.size() - 1).endSequence() + 1;
    return new Events.CycleStarted(camera, ref.station(), s.cycleId(camera), first, previous,
        seq, captureMicros / 1000);
  }

  private int phaseOf(int j) {
    int[] labels = ref.reference().labels();
    return labels == null || j < 0 || j >= labels.length ? -1 : labels[j];
  }

  private int phaseCount() {
    return ref.phases() == null ? 0 : ref.phases().size();
  }

  private LiveCycle live() {
    if (s.live == null || s.live.phases() != phaseCount()) {
      s.live = new LiveCycle(phaseCount());
    }
    return s.live;
  }

  /** The next cycle's live view, from the frames already aligned after the last one's end. */
  private void restartLive(long from, long to) {
    s.live = new LiveCycle(phaseCount());
    livePath = th.liveSkipped() ? newLivePath() : null;
    tracked(from, to, (g, e) -> {
      s.live.add(phaseOf(e.index()), e.captureMicros(), e.frame(), g);
      if (livePath != null) {
        livePath.push(CyclePath.dequantise(e.emb()));
      }
    });
  }

  /** Each track entry still kept of aligner frames from..to, in order, with its frame. */
  private void tracked(long from, long to, java.util.function.BiConsumer<Long, TrackEntry> each) {
    for (long g = Math.max(Math.max(0, from), to - capacity + 1); g <= to; g++) {
      TrackEntry e = track.get((int) (g % capacity));
      if (e != null) {
        each.accept(g, e);
      }
    }
  }

  private LivePath newLivePath() {
    return new LivePath(ref.reference().frames(), ref.reference().labels(), phaseCount());
  }

  /**
   * The running cycle's live path with frame f pushed; after a restore it is rebuilt from the
   * track (the cycle's frames since the live view began).
   */
  private LivePath livePath(LiveCycle live, long f) {
    if (livePath == null) {
      LivePath rebuilt = newLivePath();
      tracked(live.alignerStart, f - 1, (g, e) -> rebuilt.push(CyclePath.dequantise(e.emb())));
      livePath = rebuilt;
    }
    if (frameCosts == null || frameCosts.length != m) {
      frameCosts = new double[m];
    }
    aligner.lastFrameCosts(frameCosts); // the aligner's distances of this frame: no second pass
    livePath.pushCosts(frameCosts);
    return livePath;
  }

  /**
   * A step skipped, while the cycle runs: once the live path's best end has stayed in a later
   * phase q for as many frames as q is expected to take (3 to 40), each earlier phase that the
   * path gave less than {@link #LIVE_SKIPPED_FRACTION} of its expected frames. Expected frames
   * follow this cycle's pace over all the phases before q (the phase itself included: leaving
   * it out, which keeps a skipped phase from slowing its own yardstick, gave more false alerts
   * on the tune set): their share of a normal cycle once the profile knows them, else their
   * reference durations. Each phase is alerted once a cycle; the cycle's end does not alert it
   * again.
   */
  private void checkLiveSkip(LivePath path, LiveCycle live, long now, String cycle,
                             List<Events.Anomaly> out) {
    int end = path.bestEnd();
    int q = end < 0 ? -1 : phaseOf(end);
    int run = live.ahead(q);
    if (q < 1 || ref.phases() == null) {
      return;
    }
    PhaseProfile prof = stationProfile();
    boolean calibrated = prof != null && prof.shareCycles(0) >= th.calibrationCycles();
    double doneFrames = 0;
    double doneWeight = 0;
    for (int r = 0; r < q; r++) {
      doneFrames += path.frames(end, r);
      doneWeight += calibrated ? prof.share(r) : ref.framesOf(r);
    }
    if (doneWeight <= 0 || doneFrames <= 0) {
      return;
    }
    double pace = doneFrames / doneWeight;
    double expectedQ = (calibrated ? prof.share(q) : ref.framesOf(q)) * pace;
    int confirm = (int) Math.max(3, Math.min(40, Math.round(expectedQ)));
    if (run < confirm) {
      return; // (each phase is alerted once: skippedAlerted)
    }
    for (int p = 0; p < q; p++) {
      double expected = (calibrated ? prof.share(p) : ref.framesOf(p)) * pace;
      int seen = path.frames(end, p);
      String name = ref.phases().get(p);
      if (rules.isOptional(name) || rules.isUnordered(name)) {
        continue; // absent or later by right: only the cycle's end can tell
      }
      if (!live.skippedAlerted(p) && expected >= 2 && seen < LIVE_SKIPPED_FRACTION * expected) {
        live.markSkipped(p);
        String ph = ref.phases().get(p);
        spanFrames = new long[] {live.firstFrame, s.frames - 1, live.startMicros};
        out.add(anomaly("skipped_phase", "critical", ph, String.format(Locale.ROOT,
            "phase %s was passed in %d frames, %.0f expected; the cycle is in %s now", ph, seen,
            expected, ref.phases().get(q)), evidence("observed_frames", seen, "expected_frames",
            expected, "live", true, "now_in_phase", ref.phases().get(q), "sequence", s.lastSeq),
            now, cycle));
        spanFrames = null;
      }
    }
  }

  /**
   * A stall: the scene has not changed (consecutive embeddings within the still distance) for
   * longer than a factor of the current phase's reference duration, inside a cycle. Waiting
   * before the first or after the last part of the cycle is idling, not a stall.
   */
  private void checkStall(StreamingAligner.Step step, double moved, long now, String cycle,
                          List<Events.Anomaly> out) {
    if (moved > th.stillDistance()) {
      s.stillSinceMicros = now;
      s.stallAlerted = false;
      return;
    }
    int j = step.index();
    int phase = phaseOf(j);
    double stuck = (now - s.stillSinceMicros) / 1e6;
    double progress = step.progress();
    if (progress < 0.05 || progress > 0.95) {
      return; // idling before or after the cycle: not a stall, and not learnt as one
    }
    LiveCycle live = live();
    live.still(phase, (now - Math.max(s.stillSinceMicros, live.startMicros)) / 1e6);
    if (s.stallAlerted) {
      return;
    }
    double expected = phase < 0 ? ref.cycleSeconds() : ref.secondsOf(phase);
    double limit = Math.max(th.minStallSeconds(), th.stallFactor() * expected);
    // A phase whose normal cycles stand still for a while (a part settling, a pause the work
    // needs) may do so again: the limit is at least what normal cycles show, once known.
    PhaseProfile prof = stationProfile();
    if (phase >= 0 && prof != null && prof.stillCycles() >= th.calibrationCycles()) {
      double learnt = prof.stillLimit(phase, th.profileMadFactor());
      if (!Double.isNaN(learnt)) {
        limit = Math.max(limit, learnt);
      }
    }
    if (stuck > limit) {
      s.stallAlerted = true;
      String ph = ref.reference().phaseAt(j);
      out.add(anomaly("stall", "warning", ph, String.format(Locale.ROOT,
          "nothing moved for %.1f s in phase %s (the reference phase lasts %.1f s)", stuck, ph,
          expected), Map.of("stuck_seconds", stuck, "limit_seconds", limit,
          "reference_phase_seconds", expected, "progress", progress, "sequence", s.lastSeq,
          "frame", s.frames - 1, "delay_s", stuck),
          now, cycle));
    }
  }

  /**
   * The squared distance of this frame's embedding from the previous frame's (infinite for the
   * first), which becomes the previous one.
   */
  private double movedSince(double[] e) {
    double moved = Double.POSITIVE_INFINITY;
    if (s.previous != null && s.previous.length == e.length) {
      moved = 0;
      for (int i = 0; i < e.length; i++) {
        double d = e[i] - s.previous[i];
        moved += d * d;
      }
    }
    if (s.previous == null || s.previous.length != e.length) {
      s.previous = new float[e.length];
    }
    for (int i = 0; i < e.length; i++) {
      s.previous[i] = (float) e[i];
    }
    return moved;
  }

  /** Seconds the current unknown run has lasted (its frames at the camera's mean interval). */
  private double unknownDelay() {
    double dt = s.live == null ? Double.NaN : s.live.frameSeconds();
    return Double.isNaN(dt) ? 0 : (s.unknownRun - 1) * dt;
  }

  /**
   * Unknown content: a run of frames unlike every reference frame, beyond what normal cycles
   * show (see {@link #unknownLimit}).
   */
  private void checkUnknown(StreamingAligner.Step step, long now, String cycle,
                            List<Events.Anomaly> out) {
    double limit = unknownLimit();
    if (step.nearestCost() > limit) {
      s.unknownRun++;
      if (s.unknownRun >= th.unknownFrames() && !s.unknownAlerted) {
        s.unknownAlerted = true;
        out.add(anomaly("unknown_content", "warning", step.phase(), String.format(Locale.ROOT,
            "%d frames in a row unlike any reference frame (cost %.2f > %.2f)", s.unknownRun,
            step.nearestCost(), limit), Map.of("frames", s.unknownRun,
            "nearest_cost", step.nearestCost(), "threshold", limit,
            "last_sequence", s.lastSeq, "frame", s.frames - 1, "delay_s", unknownDelay()),
            now, cycle));
      }
    } else {
      s.unknownRun = 0;
      s.unknownAlerted = false;
    }
  }

  /**
   * Emits the summary of aligner frames from..to and runs the per-cycle rules. A cycle that
   * followed another order its step rules allow may end later, up to {@code until}; returns the
   * aligner frame where it ended.
   */
  private long finishCycle(long from, long to, long until, double cost, String boundary,
                           long now, List<Events.CycleSummary> cycles,
                           List<Events.Anomaly> anomalies) {
    // The track is a ring of the last `capacity` frames the aligner saw: older ones of a long
    // cycle are gone (its summary covers what is left).
    long newest = aligner == null ? to : Math.max(to, aligner.frames() - 1);
    until = Math.min(Math.max(until, to), newest);
    from = Math.max(from, newest - capacity + 1);
    int n = (int) (until - from + 1);
    int closed = (int) (to - from + 1);
    TrackEntry[] entries = new TrackEntry[n];
    for (int i = 0; i < n; i++) {
      entries[i] = track.get((int) ((from + i) % capacity));
      if (entries[i] == null) { // a track lost with a reset store: summarise what is left
        entries = Arrays.copyOf(entries, i);
        break;
      }
    }
    closed = Math.min(closed, entries.length);
    if (entries.length == 0) {
      s.cycleCounter++;
      s.cycleEnded = true;
      return to;
    }
    // Judged against the allowed order of the steps (optional ones left out, unordered groups
    // in any order) that the cycle followed best; its cost scaled by how much better that fits.
    CyclePath path = CyclePath.best(entries, closed, ref.reference(), stepOrders());
    cost *= path.costRatio();
    long end = path.order() == 0 ? to : from + path.rows() - 1;
    entries = Arrays.copyOfRange(entries, path.first(), path.last() + 1);
    n = entries.length;
    int nPhases = phaseCount();
    int[] frames = nPhases == 0 ? new int[0] : path.phaseFrames(nPhases);
    double[] phaseCosts = nPhases == 0 ? new double[0] : path.phaseCosts(nPhases);
    TrackEntry first = entries[0];
    TrackEntry last = entries[n - 1];
    double secs = n > 1 ? (last.captureMicros() - first.captureMicros()) / 1e6 * n / (n - 1)
        : 1 / ref.fps();
    double perFrame = secs / n;
    List<Events.PhaseDuration> phases = new ArrayList<>();
    for (int p = 0; p < nPhases; p++) {
      phases.add(new Events.PhaseDuration(ref.phases().get(p), frames[p] * perFrame,
          ref.secondsOf(p), frames[p]));
    }
    String id = s.cycleId(camera);
    long seqStart = first.sequence();
    long seqEnd = last.sequence();
    cycles.add(new Events.CycleSummary(camera, ref.station(), id, seqStart, seqEnd,
        first.frame(), last.frame(), first.captureMicros() / 1000, last.captureMicros() / 1000,
        secs, ref.cycleSeconds(), phases, cost, boundary, s.modelId));
    // Cycle-level alerts name the camera frames of their span, as lav.archive frames carry them.
    spanFrames = new long[] {first.frame(), last.frame(), first.captureMicros()};
    double threshold = costThreshold();
    if (cost > threshold) {
      anomalies.add(anomaly("cycle_cost", cost > 2 * threshold ? "critical" : "warning", null,
          String.format(Locale.ROOT, "cycle %s matched the reference badly: cost %.3f above "
              + "threshold %.3f", id, cost, threshold), evidence("cost", cost, "threshold",
              threshold, "calibrated", pool().costs().size() >= th.calibrationCycles(),
              "start_sequence", seqStart, "end_sequence", seqEnd), now, id));
    } else {
      s.costs.addLast(cost);
      while (s.costs.size() > CameraState.COSTS) {
        s.costs.removeFirst();
      }
    }
    double scale = (double) n / m;
    PhaseProfile prof = stationProfile();
    LiveCycle live = s.live != null && s.live.phases() == nPhases ? s.live : null;
    for (int p = 0; p < nPhases; p++) {
      if (live != null && live.skippedAlerted(p)) {
        continue; // alerted while the cycle ran
      }
      if (rules.isOptional(ref.phases().get(p))) {
        continue; // may be left out
      }
      // What normal cycles show of the phase, once known (the model may see a phase shorter
      // or longer than the reference labels it); the reference's share until then.
      double expected = prof != null && prof.shareCycles(p) >= th.calibrationCycles()
          ? prof.share(p) * n : ref.framesOf(p) * scale;
      if (expected >= 2 && frames[p] < th.skippedPhaseFraction() * expected) {
        anomalies.add(anomaly("skipped_phase", "critical", ref.phases().get(p),
            String.format(Locale.ROOT, "cycle %s passed phase %s in %d frames, %.0f expected",
                id, ref.phases().get(p), frames[p], expected),
            evidence("observed_frames", frames[p], "expected_frames", expected,
                "observed_seconds", frames[p] * perFrame, "reference_seconds",
                ref.secondsOf(p), "start_sequence", seqStart, "end_sequence", seqEnd), now, id));
      }
    }
    checkPhaseCosts(id, phaseCosts, seqStart, seqEnd, now, anomalies);
    spanFrames = null;
    // Every cycle that matched the reference as a whole teaches the profile, alerted or not:
    // medians shrug off the anomalous third, and learning from unalerted cycles alone
    // deadlocks when the reference itself is unusual (every cycle alerted, none learnt from).
    if (cost <= threshold) {
      double[] shares = new double[nPhases];
      for (int p = 0; p < nPhases; p++) {
        shares[p] = frames[p] / (double) n;
      }
      PhaseProfile learning = profile(nPhases);
      learning.add(phaseCosts, shares, worstRunSince(from, to));
      if (live != null) {
        learning.addStill(live.stillSpells());
      }
      learnt = true;
    }
    pool = null; // the station's view is read again, with this cycle and the peers' latest
    lastEnd = end;
    s.cycleCounter++;
    s.cycleEnded = true;
    return end;
  }

  /** The orders of the reference's frames its step rules allow, the reference's own first. */
  private List<int[]> stepOrders() {
    if (stepOrders == null) {
      stepOrders = StepOrders.of(m, ref.reference().labels(), ref.phases(), rules);
    }
    return stepOrders;
  }

  /** Other step rules for the same reference (a republished reference record). */
  void useSteps(StepRules r) {
    rules = r;
    stepOrders = null;
    holdFrames = -1;
  }

  /**
   * How long a found cycle is held before it is summarised: with unordered steps, the aligner
   * (which follows the reference's order) can end a cycle early, when a later step of a group
   * comes first; the cycle may run on by up to twice the largest group's reference frames
   * (a step at half speed). 0 without unordered groups: summarised at once.
   */
  private int holdFrames() {
    if (holdFrames < 0) {
      int most = 0;
      for (List<Integer> g : rules.unorderedIndices(ref.phases())) {
        int frames = 0;
        for (int p : g) {
          frames += ref.framesOf(p);
        }
        most = Math.max(most, frames);
      }
      holdFrames = Math.min(m, 2 * most);
    }
    return holdFrames;
  }

  /**
   * The worst run of frames unlike the reference from the last cycle's end (or this cycle's
   * start) to this cycle's end: what the unknown-content rule saw, idle spells included.
   */
  private double worstRunSince(long from, long to) {
    long since = lastEnd < 0 ? from : Math.min(from, lastEnd + 1);
    List<TrackEntry> seen = new ArrayList<>();
    tracked(since, to, (g, e) -> seen.add(e));
    return CyclePath.worstRun(seen.toArray(new TrackEntry[0]), ref.reference(),
        th.unknownFrames());
  }

  /**
   * The station's normal cycles' worst runs x a margin once calibrated; the fixed default
   * before (computed with the pool, not per frame).
   */
  private double unknownLimit() {
    pool();
    return unknownLimit;
  }

  private PhaseProfile profile(int phases) {
    if (s.profile == null || s.profile.phases() != phases) {
      s.profile = new PhaseProfile(phases);
    }
    return s.profile;
  }

  /**
   * Phase cost: a phase that matched the reference much worse than it does in normal cycles
   * (its own median + factor x MAD), once enough normal cycles have shown that phase.
   */
  private void checkPhaseCosts(String id, double[] phaseCosts, long seqStart, long seqEnd,
                               long now, List<Events.Anomaly> out) {
    PhaseProfile prof = stationProfile();
    if (prof == null || prof.phases() != phaseCosts.length) {
      return;
    }
    int worst = -1;
    double worstRatio = 1;
    List<String> over = new ArrayList<>();
    for (int p = 0; p < phaseCosts.length; p++) {
      if (Double.isNaN(phaseCosts[p]) || prof.cycles(p) < th.calibrationCycles()) {
        continue;
      }
      double ratio = phaseCosts[p] / prof.limit(p, th.profileMadFactor());
      if (ratio > 1) {
        over.add(ref.phases().get(p));
        if (ratio > worstRatio) {
          worstRatio = ratio;
          worst = p;
        }
      }
    }
    if (worst < 0) {
      return;
    }
    // One alert per cycle, on its worst phase: the operator looks at one cycle, not a list.
    String ph = ref.phases().get(worst);
    double limit = prof.limit(worst, th.profileMadFactor());
    double med = prof.median(worst);
    out.add(anomaly("phase_cost", worstRatio > 2 ? "critical" : "warning", ph,
        String.format(Locale.ROOT, "cycle %s: phase %s looked unlike its normal cycles "
            + "(cost %.3f, normal %.3f, threshold %.3f)", id, ph, phaseCosts[worst], med,
            limit), evidence("phase_cost", phaseCosts[worst], "normal_median", med,
            "threshold", limit, "normal_cycles", prof.cycles(worst), "phases_over", over,
            "start_sequence", seqStart, "end_sequence", seqEnd), now, id));
  }

  /**
   * Median + factor x MAD of the station's recent normal cycle costs, or the default before
   * calibration.
   */
  double costThreshold() {
    List<Double> costs = pool().costs();
    if (costs.size() < th.calibrationCycles()) {
      return th.costDefault();
    }
    double[] c = costs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double med = median(c);
    double[] dev = Arrays.stream(c).map(v -> Math.abs(v - med)).sorted().toArray();
    double mad = Math.max(median(dev), 0.05 * med); // a floor: identical costs give MAD 0
    return med + th.costMadFactor() * mad;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private Events.Anomaly anomaly(String type, String severity, String phase, String message,
                                 Map<String, Object> evidence, long nowMicros) {
    return anomaly(type, severity, phase, message, evidence, nowMicros, s.cycleId(camera));
  }

  private Events.Anomaly anomaly(String type, String severity, String phase, String message,
                                 Map<String, Object> evidence, long nowMicros, String cycle) {
    Map<String, Object> ev = new LinkedHashMap<>(evidence);
    if (spanFrames != null) {
      ev.put("start_frame", spanFrames[0]);
      ev.put("end_frame", spanFrames[1]);
      // How long after its span began the alert came (capture time to capture time).
      ev.put("delay_s", Math.max(0, (nowMicros - spanFrames[2]) / 1e6));
    }
    ev.put("camera", camera);
    s.noteAnomaly(type + " " + cycle);
    return new Events.Anomaly(type, severity, ref.station(), camera, cycle, phase, message, ev,
        nowMicros / 1000);
  }

  private static Map<String, Object> evidence(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
