package io.lavmonitor.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.wire.Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detection benchmark's scoring on a recording small enough to score by hand. */
class DetectionScoreTest {
  private static final double EPS = 1e-9;

  /**
   * 100 frames at 10 fps, phases a and b (and idle between cycles), true cycles at frames 10-49 and 60-95, a stall at
   * frames 30-39. Reported: cycles at frames 10-49 (both boundaries right) and 49-95 (its start
   * 11 frames off, beyond 0.5 s; its end right); a stall alert raised at sequence 36 (frame 35,
   * inside the stall, 0.5 s after its start); a cost alert on the second cycle (nothing there).
   */
  @Test
  void scoresARecordingByHand() {
    int[] labels = new int[100];
    for (int f = 0; f < 100; f++) {
      labels[f] = (f >= 10 && f <= 29) || (f >= 60 && f <= 79) ? 0
          : (f >= 30 && f <= 49) || (f >= 80 && f <= 95) ? 1 : 2;
    }
    VideoLabels truth = new VideoLabels("v.mp4", 10, 100, List.of("a", "b", "idle"), labels,
        new int[0], List.of(new VideoLabels.Anomaly("stall", 30, 39, "b")),
        List.of(new VideoLabels.Span(10, 49), new VideoLabels.Span(60, 95)));
    List<Events.CycleSummary> cycles = List.of(
        cycle(11, 50, 2.5, 1.5), // truth: a 2.0 s, b 2.0 s
        cycle(50, 96, 2.0, 1.6)); // truth: a 2.0 s, b 1.6 s
    List<Events.Anomaly> alerts = List.of(
        alert("stall", Map.of("sequence", 36), 3500),
        alert("cycle_cost", Map.of("start_sequence", 61, "end_sequence", 96), 9700),
        alert("camera_silent", Map.of(), 9800)); // names no frames: not scored
    DetectionScore s = new DetectionScore(0.5);
    s.add(new DetectionScore.Recording(truth, cycles, alerts));
    Map<String, Object> r = s.result();

    Map<?, ?> overall = (Map<?, ?>) r.get("overall");
    assertEquals(2, overall.get("alerts"));
    assertEquals(0.5, (double) overall.get("precision"), EPS);
    assertEquals(1.0, (double) overall.get("recall"), EPS);
    assertEquals(0.5, (double) overall.get("delay_median_s"), EPS);
    assertEquals(0.5, (double) overall.get("alert_every_cycle_precision"), EPS);
    Map<?, ?> byAlert = (Map<?, ?>) r.get("precision_by_alert_type");
    assertEquals(1.0, (double) ((Map<?, ?>) byAlert.get("stall")).get("precision"), EPS);
    assertEquals(0.0, (double) ((Map<?, ?>) byAlert.get("cycle_cost")).get("precision"), EPS);

    Map<?, ?> c = (Map<?, ?>) r.get("cycles");
    assertEquals(2, c.get("found"));
    assertEquals(0, c.get("split"));
    assertEquals(0.75, (double) c.get("boundary_precision"), EPS);
    assertEquals(0.75, (double) c.get("boundary_recall"), EPS);
    assertEquals(0.75, (double) c.get("boundary_f1"), EPS);
    // |2.5-2| + |1.5-2| + 0 + 0 over 4 phases; the reference's 2 s each: 0.4 over 4.
    assertEquals(0.25, (double) c.get("phase_duration_error_s"), EPS);
    assertEquals(0.1, (double) c.get("phase_duration_error_constant_s"), EPS);
  }

  @Test
  void aCycleCoveredByThreeReportsIsSplitAndNotFound() {
    int[] labels = new int[60];
    VideoLabels truth = new VideoLabels("v.mp4", 10, 60, List.of("a", "b"), labels,
        new int[0], List.of(), List.of(new VideoLabels.Span(0, 39), new VideoLabels.Span(50,
            59)));
    DetectionScore s = new DetectionScore(0.5);
    s.add(new DetectionScore.Recording(truth, List.of(cycle(1, 14, 1, 1), cycle(15, 28, 1, 1),
        cycle(29, 40, 1, 1)),
        List.of()));
    Map<?, ?> c = (Map<?, ?>) s.result().get("cycles");
    assertEquals(1, c.get("split"));
    assertEquals(0, c.get("found")); // no third covers half of the union
    assertEquals(2, c.get("true"));
  }

  @Test
  void quantileInterpolates() {
    assertEquals(2.5, DetectionScore.quantile(List.of(4.0, 1.0, 2.0, 3.0), 0.5), EPS);
    assertEquals(3.7, DetectionScore.quantile(List.of(1.0, 2.0, 3.0, 4.0), 0.9), EPS);
  }

  private static Events.CycleSummary cycle(long s, long e, double a, double b) {
    return new Events.CycleSummary("cam", "st", "cam-0", s, e, s - 1, e - 1, 0, 0, 4, 4,
        List.of(new Events.PhaseDuration("a", a, 2.0, 0),
            new Events.PhaseDuration("b", b, 2.0, 0)), 0.1, "detected", "m");
  }

  private static Events.Anomaly alert(String type, Map<String, Object> ev, long ts) {
    return new Events.Anomaly(type, "warning", "st", "cam", "cam-0", null, "", ev, ts);
  }
}
