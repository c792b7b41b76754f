package io.lavmonitor.monitor;

import io.lavmonitor.align.StreamingAligner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One camera's cycle logic on top of the streaming aligner, free of Kafka so it can be tested
 * frame by frame: progress per frame, a summary per completed cycle (found by the aligner's
 * continuous mode, or given by PLC start/stop signals, which take precedence), and the anomaly
 * rules (cycle cost against a calibrated threshold, stall, skipped phase, unknown content).
 * All state lives in the {@link CameraState}, which the caller persists after each call.
 */
public final class CycleTracker {
  /** What one frame or signal produced. */
  public record Output(Events.Progress progress, List<Events.CycleSummary> cycles,
                       List<Events.Anomaly> anomalies) {}

  private final String camera;
  private final CameraState s;
  private final StationReference ref;
  private final Thresholds th;
  private final int m;

  public CycleTracker(String camera, CameraState state, StationReference reference,
                      Thresholds thresholds) {
    this.camera = camera;
    this.s = state;
    this.ref = reference;
    this.th = thresholds;
    this.m = reference.reference().length();
    int d = reference.reference().dimension();
    if (s.track.length != 4 * m || s.trackEmb.length != 4 * m * d) {
      s.track = new short[4 * m];
      s.trackMicros = new long[4 * m];
      s.trackEmb = new byte[4 * m * d];
    }
  }

  private StreamingAligner aligner() {
    if (s.aligner != null) {
      return StreamingAligner.restore(ref.reference(), s.aligner);
    }
    StreamingAligner.Mode mode = s.explicit ? StreamingAligner.Mode.CYCLE
        : StreamingAligner.Mode.CONTINUOUS;
    return new StreamingAligner(ref.reference(), StreamingAligner.Config.defaults(mode)
        .withMatchThreshold(th.matchThreshold())
        .withMinCycleFrames((int) Math.round(th.minCycleFraction() * m)));
  }

  /**
   * Whether a model swap may happen now: between cycles (explicit mode: after a stop; continuous
   * mode: a cycle has been confirmed and the next one has not gone past the reference's first
   * tenth since: the camera is idle between cycles, or the next one has just begun).
   */
  public boolean atBoundary() {
    if (s.aligner == null) {
      return true;
    }
    return s.explicit ? !s.inCycle : s.cycleEnded && s.lastIndex < 0.1 * m;
  }

  /** Starts over against another reference (after a model swap); the cycle count goes on. */
  public void resetForNewReference(String modelId) {
    s.aligner = null;
    s.modelId = modelId;
    s.cycleEnded = false;
    s.costs.clear(); // costs under another model are on another scale: calibrate afresh
    s.features.clear();
    s.previous = null;
    s.stallAlerted = false;
    s.unknownRun = 0;
    s.unknownAlerted = false;
  }

  /** A PLC signal: "start" or "stop" of a cycle. */
  public Output onSignal(String type, long captureMicros) {
    List<Events.CycleSummary> cycles = new ArrayList<>();
    List<Events.Anomaly> anomalies = new ArrayList<>();
    s.explicit = true;
    if (type.equals("start")) {
      s.aligner = null; // a fresh cycle-mode aligner on the next frame
      s.inCycle = true;
      s.cycleStartSeq = -1;
      s.cycleStartMicros = captureMicros;
      s.stillSinceMicros = captureMicros;
      s.stallAlerted = false;
    } else if (type.equals("stop") && s.inCycle) {
      s.inCycle = false;
      if (s.aligner != null) {
        StreamingAligner a = aligner();
        long frames = a.frames();
        if (frames > 0) {
          double cost = s.runningCost;
          finishCycle(0, frames - 1, cost, "signal", captureMicros, cycles, anomalies);
        }
      }
    } else if (!type.equals("stop")) {
      throw new IllegalArgumentException("unknown signal '" + type + "' (start or stop)");
    }
    return new Output(null, cycles, anomalies);
  }

  /** Aligns one embedded frame. */
  public Output onFrame(long seq, long captureMicros, double[] embedding, long wallMillis,
                        double latencyMillis) {
    List<Events.CycleSummary> cycles = new ArrayList<>();
    List<Events.Anomaly> anomalies = new ArrayList<>();
    s.lastSeq = seq;
    s.lastCaptureMicros = captureMicros;
    s.lastWallMillis = wallMillis;
    s.silentAlerted = false;
    if (s.explicit && !s.inCycle) {
      return new Output(null, cycles, anomalies); // between a stop and the next start
    }
    StreamingAligner a = aligner();
    long f = a.frames();
    StreamingAligner.Step step = a.push(embedding);
    s.aligner = a.snapshot();
    s.runningCost = step.cost();
    int slot = (int) (f % s.track.length);
    s.track[slot] = (short) step.index();
    s.trackMicros[slot] = captureMicros;
    int d = embedding.length;
    for (int k = 0; k < d; k++) {
      s.trackEmb[slot * d + k] = (byte) Math.round(Math.max(-1, Math.min(1, embedding[k])) * 127);
    }
    if (s.cycleStartSeq < 0) {
      s.cycleStartSeq = seq;
      s.cycleStartMicros = captureMicros;
    }
    if (s.cycleEnded && step.completed() == null && step.index() >= 0.1 * m) {
      s.cycleEnded = false; // the next cycle is under way: the window for a swap has closed
    }
    checkStall(step, embedding, captureMicros, anomalies);
    checkUnknown(step, captureMicros, anomalies);
    if (step.completed() != null) {
      StreamingAligner.Cycle c = step.completed();
      finishCycle(c.start(), c.end(), c.cost(), "detected", captureMicros, cycles, anomalies);
    }
    s.lastPhase = step.phase();
    s.lastProgress = step.progress();
    s.lastIndex = step.index();
    Events.Progress p = new Events.Progress(camera, ref.station(), s.cycleId(camera), seq,
        captureMicros / 1000, step.phase(), step.progress(), step.position(), step.localCost(),
        step.cost(), step.confidence(), latencyMillis, s.modelId);
    return new Output(p, cycles, anomalies);
  }

  /**
   * A stall: the scene has not changed (consecutive embeddings within the still distance) for
   * longer than a factor of the current phase's reference duration, inside a cycle. Waiting
   * before the first or after the last part of the cycle is idling, not a stall.
   */
  private void checkStall(StreamingAligner.Step step, double[] e, long now,
                          List<Events.Anomaly> out) {
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
    if (moved > th.stillDistance()) {
      s.stillSinceMicros = now;
      s.stallAlerted = false;
      return;
    }
    double progress = step.progress();
    if (s.stallAlerted || progress < 0.05 || progress > 0.95) {
      return;
    }
    int j = step.index();
    int phase = ref.reference().labels() == null ? -1 : ref.reference().labels()[j];
    double expected = phase < 0 ? ref.cycleSeconds() : ref.secondsOf(phase);
    double limit = Math.max(th.minStallSeconds(), th.stallFactor() * expected);
    double stuck = (now - s.stillSinceMicros) / 1e6;
    if (stuck > limit) {
      s.stallAlerted = true;
      String ph = ref.reference().phaseAt(j);
      out.add(anomaly("stall", "warning", ph, String.format(Locale.ROOT,
          "nothing moved for %.1f s in phase %s (the reference phase lasts %.1f s)", stuck, ph,
          expected), Map.of("stuck_seconds", stuck, "limit_seconds", limit,
          "reference_phase_seconds", expected, "progress", progress, "sequence", s.lastSeq),
          now));
    }
  }

  private void checkUnknown(StreamingAligner.Step step, long now, List<Events.Anomaly> out) {
    if (step.localCost() > th.unknownCost()) {
      s.unknownRun++;
      if (s.unknownRun >= th.unknownFrames() && !s.unknownAlerted) {
        s.unknownAlerted = true;
        out.add(anomaly("unknown_content", "warning", step.phase(), String.format(Locale.ROOT,
            "%d frames in a row unlike any reference frame (cost %.2f > %.2f)", s.unknownRun,
            step.localCost(), th.unknownCost()), Map.of("frames", s.unknownRun,
            "local_cost", step.localCost(), "threshold", th.unknownCost(),
            "last_sequence", s.lastSeq), now));
      }
    } else {
      s.unknownRun = 0;
      s.unknownAlerted = false;
    }
  }

  /** Emits the summary of aligner frames from..to and runs the per-cycle rules. */
  private void finishCycle(long from, long to, double cost, String boundary, long now,
                           List<Events.CycleSummary> cycles, List<Events.Anomaly> anomalies) {
    int cap = s.track.length;
    from = Math.max(from, to - cap + 1);
    int nPhases = ref.phases() == null ? 0 : ref.phases().size();
    int[] frames = new int[nPhases];
    int[] matched = exactPath(from, to);
    for (int j : matched) {
      if (nPhases > 0) {
        frames[ref.reference().labels()[Math.min(j, m - 1)]]++;
      }
    }
    long startMicros = s.trackMicros[(int) (from % cap)];
    long endMicros = s.trackMicros[(int) (to % cap)];
    int n = (int) (to - from + 1);
    double secs = n > 1 ? (endMicros - startMicros) / 1e6 * n / (n - 1) : 1 / ref.fps();
    double perFrame = secs / n;
    List<Events.PhaseDuration> phases = new ArrayList<>();
    for (int p = 0; p < nPhases; p++) {
      phases.add(new Events.PhaseDuration(ref.phases().get(p), frames[p] * perFrame,
          ref.secondsOf(p), frames[p]));
    }
    String id = s.cycleId(camera);
    long seqEnd = s.lastSeq - (s.aligner == null ? 0 : aligner().frames() - 1 - to);
    long seqStart = seqEnd - (to - from);
    cycles.add(new Events.CycleSummary(camera, ref.station(), id, seqStart, seqEnd,
        startMicros / 1000, endMicros / 1000, secs, ref.cycleSeconds(), phases, cost, boundary,
        s.modelId));
    double threshold = costThreshold();
    if (cost > threshold) {
      anomalies.add(anomaly("cycle_cost", cost > 2 * threshold ? "critical" : "warning", null,
          String.format(Locale.ROOT, "cycle %s matched the reference badly: cost %.3f above "
              + "threshold %.3f", id, cost, threshold), evidence("cost", cost, "threshold",
              threshold, "calibrated", s.costs.size() >= th.calibrationCycles(),
              "start_sequence", seqStart, "end_sequence", seqEnd), now, id));
    } else {
      s.costs.addLast(cost);
      while (s.costs.size() > CameraState.COSTS) {
        s.costs.removeFirst();
      }
    }
    double scale = (double) n / m;
    for (int p = 0; p < nPhases; p++) {
      double expected = ref.framesOf(p) * scale;
      if (expected >= 2 && frames[p] < th.skippedPhaseFraction() * expected) {
        anomalies.add(anomaly("skipped_phase", "critical", ref.phases().get(p),
            String.format(Locale.ROOT, "cycle %s passed phase %s in %d frames, %.0f expected",
                id, ref.phases().get(p), frames[p], expected),
            evidence("observed_frames", frames[p], "expected_frames", expected,
                "observed_seconds", frames[p] * perFrame, "reference_seconds",
                ref.secondsOf(p), "start_sequence", seqStart, "end_sequence", seqEnd), now, id));
      }
    }
    s.cycleCounter++;
    s.cycleStartSeq = -1;
    s.cycleEnded = true;
  }

  /**
   * The reference frame each frame of the cycle matches on the cycle's optimal DTW path against
   * the whole reference, from the kept (int8) embeddings: the online path may wander while a
   * cycle runs, the finished cycle's path does not. A frame matched to several reference frames
   * takes the middle one.
   */
  private int[] exactPath(long from, long to) {
    int cap = s.track.length;
    int n = (int) (to - from + 1);
    int d = ref.reference().dimension();
    double[][] q = new double[n][d];
    for (int i = 0; i < n; i++) {
      int slot = (int) ((from + i) % cap);
      for (int k = 0; k < d; k++) {
        q[i][k] = s.trackEmb[slot * d + k] / 127.0;
      }
    }
    double[] cost = io.lavmonitor.align.Cost.SQEUCLIDEAN.matrix(q, ref.reference().frames());
    java.util.List<int[]> path = io.lavmonitor.align.Dtw.align(cost, n, m,
        io.lavmonitor.align.Band.NONE).path();
    int[] lo = new int[n];
    int[] hi = new int[n];
    Arrays.fill(lo, Integer.MAX_VALUE);
    for (int[] cell : path) {
      lo[cell[0]] = Math.min(lo[cell[0]], cell[1]);
      hi[cell[0]] = Math.max(hi[cell[0]], cell[1]);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (lo[i] + hi[i]) / 2;
    }
    return out;
  }

  /** Median + factor x MAD of recent normal cycle costs, or the default before calibration. */
  double costThreshold() {
    if (s.costs.size() < th.calibrationCycles()) {
      return th.costDefault();
    }
    double[] c = s.costs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
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
