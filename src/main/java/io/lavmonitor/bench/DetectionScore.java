package io.lavmonitor.bench;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.wire.Events;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores what a replay wrote against a recording's truth, as a plant engineer would judge it.
 *
 * <ul>
 *   <li>An alert points at frames (its evidence: start and end sequence, or the last sequence
 *       and a frame count, or the one sequence it was raised at); it is right when those frames
 *       overlap an injected anomaly. Precision is per alert type, recall per injected type (an
 *       alert type does not name an injected type one to one: a missing part shows as a costly
 *       cycle).
 *   <li>Detection delay: from the anomaly's first frame to the capture time of the frame whose
 *       processing raised the first alert that found it.
 *   <li>Cycles: a true cycle is found when a reported cycle covers at least half of the union
 *       of the two; a boundary (a start or an end) is right within a tolerance in seconds, each
 *       true boundary matched once. Phase durations of found cycles against the truth, next to
 *       the constant prediction (the reference's phase durations).
 * </ul>
 * Sequences are 1-based frame numbers of the recording (sequence s shows frame s - 1).
 */
public final class DetectionScore {
  /** One recording: its labels and what the replay wrote. */
  public record Recording(VideoLabels labels, List<Events.CycleSummary> cycles,
                          List<Events.Anomaly> alerts) {}

  private final double toleranceSeconds;
  private final Map<String, int[]> recall = new TreeMap<>(); // type -> injected, found
  private final Map<String, int[]> precision = new TreeMap<>(); // alert type -> alerts, right
  private final Map<String, List<Double>> delays = new TreeMap<>();
  private int trueCycles;
  private int reportedCycles;
  private int found;
  private int split;
  private int trueBoundaries;
  private int reportedBoundaries;
  private int rightBoundaries;
  private double phaseError;
  private double constantPhaseError;
  private int phaseCount;
  private int anomalousCycles;

  public DetectionScore(double toleranceSeconds) {
    this.toleranceSeconds = toleranceSeconds;
  }

  /** The frames (inclusive, 0-based) an alert points at, or null when it names none. */
  static int[] frames(Events.Anomaly a) {
    Map<String, Object> ev = a.evidence() == null ? Map.of() : a.evidence();
    if (ev.get("start_sequence") instanceof Number s && ev.get("end_sequence") instanceof Number e) {
      return new int[] {s.intValue() - 1, e.intValue() - 1};
    }
    if (ev.get("last_sequence") instanceof Number l && ev.get("frames") instanceof Number n) {
      return new int[] {l.intValue() - n.intValue(), l.intValue() - 1};
    }
    if (ev.get("sequence") instanceof Number s) {
      return new int[] {s.intValue() - 1, s.intValue() - 1};
    }
    return null;
  }

  public void add(Recording r) {
    VideoLabels l = r.labels();
    double fps = l.fps();
    List<VideoLabels.Anomaly> injected = l.anomalies() == null ? List.of() : l.anomalies();
    double[] firstAlert = new double[injected.size()];
    Arrays.fill(firstAlert, Double.NaN);
    for (Events.Anomaly a : r.alerts()) {
      int[] f = frames(a);
      if (f == null) {
        continue; // about the camera or the model, not about frames
      }
      boolean right = false;
      for (int i = 0; i < injected.size(); i++) {
        VideoLabels.Anomaly an = injected.get(i);
        if (f[0] <= an.end() && an.start() <= f[1]) {
          right = true;
          double t = a.timestampMillis() / 1000.0;
          if (Double.isNaN(firstAlert[i]) || t < firstAlert[i]) {
            firstAlert[i] = t;
          }
        }
      }
      int[] p = precision.computeIfAbsent(a.type(), k -> new int[2]);
      p[0]++;
      p[1] += right ? 1 : 0;
    }
    for (int i = 0; i < injected.size(); i++) {
      VideoLabels.Anomaly an = injected.get(i);
      int[] c = recall.computeIfAbsent(an.type(), k -> new int[2]);
      c[0]++;
      if (!Double.isNaN(firstAlert[i])) {
        c[1]++;
        delays.computeIfAbsent(an.type(), k -> new ArrayList<>())
            .add(Math.max(0, firstAlert[i] - an.start() / fps));
      }
    }
    scoreCycles(l, r.cycles(), injected);
  }

  private void scoreCycles(VideoLabels l, List<Events.CycleSummary> reported,
                           List<VideoLabels.Anomaly> injected) {
    List<VideoLabels.Span> truth = l.cycles() == null ? List.of() : l.cycles();
    trueCycles += truth.size();
    reportedCycles += reported.size();
    for (VideoLabels.Span t : truth) {
      for (VideoLabels.Anomaly an : injected) {
        if (an.start() <= t.end() && t.start() <= an.end()) {
          anomalousCycles++;
          break;
        }
      }
    }
    double tol = toleranceSeconds * l.fps();
    boolean[] startUsed = new boolean[reported.size()];
    boolean[] endUsed = new boolean[reported.size()];
    trueBoundaries += 2 * truth.size();
    reportedBoundaries += 2 * reported.size();
    for (VideoLabels.Span t : truth) {
      rightBoundaries += claim(t.start(), reported, startUsed, tol, true);
      rightBoundaries += claim(t.end(), reported, endUsed, tol, false);
      int covering = 0;
      Events.CycleSummary best = null;
      double bestIou = 0;
      for (Events.CycleSummary c : reported) {
        int s = (int) c.startSequence() - 1;
        int e = (int) c.endSequence() - 1;
        int inter = Math.min(e, t.end()) - Math.max(s, t.start()) + 1;
        if (inter <= 0) {
          continue;
        }
        if (inter >= 0.5 * (e - s + 1)) {
          covering++;
        }
        double iou = inter / (double) (Math.max(e, t.end()) - Math.min(s, t.start()) + 1);
        if (iou > bestIou) {
          bestIou = iou;
          best = c;
        }
      }
      split += covering > 1 ? 1 : 0;
      if (best == null || bestIou < 0.5) {
        continue;
      }
      found++;
      for (Events.PhaseDuration p : best.phases()) {
        int phase = l.phases().indexOf(p.phase());
        int n = 0;
        for (int f = t.start(); f <= t.end(); f++) {
          n += l.frameLabels()[f] == phase ? 1 : 0;
        }
        double secs = n / l.fps();
        phaseError += Math.abs(p.seconds() - secs);
        constantPhaseError += Math.abs(p.referenceSeconds() - secs);
        phaseCount++;
      }
    }
  }

  /** 1 when an unclaimed reported boundary lies within {@code tol} frames of {@code at}. */
  private static int claim(int at, List<Events.CycleSummary> reported, boolean[] used,
                           double tol, boolean start) {
    int best = -1;
    double bestGap = Double.POSITIVE_INFINITY;
    for (int i = 0; i < reported.size(); i++) {
      long b = (start ? reported.get(i).startSequence() : reported.get(i).endSequence()) - 1;
      double gap = Math.abs(b - at);
      if (!used[i] && gap <= tol && gap < bestGap) {
        best = i;
        bestGap = gap;
      }
    }
    if (best < 0) {
      return 0;
    }
    used[best] = true;
    return 1;
  }

  /** The figures, as the benchmark reports them. */
  public Map<String, Object> result() {
    Map<String, Object> out = new LinkedHashMap<>();
    int alerts = 0;
    int right = 0;
    Map<String, Object> byAlert = new LinkedHashMap<>();
    for (var e : precision.entrySet()) {
      alerts += e.getValue()[0];
      right += e.getValue()[1];
      byAlert.put(e.getKey(), Map.of("alerts", e.getValue()[0], "right", e.getValue()[1],
          "precision", ratio(e.getValue()[1], e.getValue()[0])));
    }
    int injected = 0;
    int detected = 0;
    Map<String, Object> byType = new LinkedHashMap<>();
    for (var e : recall.entrySet()) {
      injected += e.getValue()[0];
      detected += e.getValue()[1];
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("injected", e.getValue()[0]);
      t.put("detected", e.getValue()[1]);
      t.put("recall", ratio(e.getValue()[1], e.getValue()[0]));
      List<Double> d = delays.getOrDefault(e.getKey(), List.of());
      t.put("delay_median_s", quantile(d, 0.5));
      t.put("delay_p90_s", quantile(d, 0.9));
      byType.put(e.getKey(), t);
    }
    Map<String, Object> overall = new LinkedHashMap<>();
    overall.put("alerts", alerts);
    overall.put("right", right);
    overall.put("precision", ratio(right, alerts));
    overall.put("injected", injected);
    overall.put("detected", detected);
    overall.put("recall", ratio(detected, injected));
    List<Double> all = new ArrayList<>();
    delays.values().forEach(all::addAll);
    overall.put("delay_median_s", quantile(all, 0.5));
    // The constant baseline: one alert on every cycle finds every anomaly at this precision.
    overall.put("alert_every_cycle_precision", ratio(anomalousCycles, trueCycles));
    out.put("overall", overall);
    out.put("recall_by_injected_type", byType);
    out.put("precision_by_alert_type", byAlert);
    Map<String, Object> cycles = new LinkedHashMap<>();
    cycles.put("true", trueCycles);
    cycles.put("reported", reportedCycles);
    cycles.put("found", found);
    cycles.put("split", split);
    double bp = ratio(rightBoundaries, reportedBoundaries);
    double br = ratio(rightBoundaries, trueBoundaries);
    cycles.put("boundary_tolerance_s", toleranceSeconds);
    cycles.put("boundary_precision", bp);
    cycles.put("boundary_recall", br);
    cycles.put("boundary_f1", bp + br > 0 ? 2 * bp * br / (bp + br) : 0.0);
    cycles.put("phase_duration_error_s", phaseCount == 0 ? Double.NaN : phaseError / phaseCount);
    cycles.put("phase_duration_error_constant_s",
        phaseCount == 0 ? Double.NaN : constantPhaseError / phaseCount);
    out.put("cycles", cycles);
    return out;
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  static double quantile(List<Double> v, double q) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }
}
