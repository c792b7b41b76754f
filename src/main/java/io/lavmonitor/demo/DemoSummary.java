package io.lavmonitor.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.lavmonitor.data.VideoLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's end summary: per camera the cycles completed with their durations, the anomalies
 * raised and those the generator injected, and detection precision and recall. A camera plays
 * its recording in a loop at the recording's frame rate, so sequence number s shows frame
 * (s - 1) mod N; an alert matches an injected anomaly when their frame ranges overlap.
 */
public final class DemoSummary {
  private DemoSummary() {}

  /** Frame ranges an alert points at, from its evidence; empty when it names none. */
  static List<long[]> alertSequences(JsonNode a) {
    JsonNode ev = a.path("evidence");
    List<long[]> out = new ArrayList<>();
    if (ev.has("start_sequence") && ev.has("end_sequence")) {
      out.add(new long[] {ev.get("start_sequence").asLong(), ev.get("end_sequence").asLong()});
    } else if (ev.has("last_sequence") && ev.has("frames")) {
      long last = ev.get("last_sequence").asLong();
      out.add(new long[] {last - ev.get("frames").asLong() + 1, last});
    } else if (ev.has("sequence")) {
      long s = ev.get("sequence").asLong();
      long back = (long) Math.ceil(ev.path("stuck_seconds").asDouble(0) * 30) + 1;
      out.add(new long[] {Math.max(1, s - back), s});
    }
    return out;
  }

  public static Map<String, Object> build(DemoLine line, List<JsonNode> cycles,
                                          List<JsonNode> anomalies, Map<String, Long> lastSeq) {
    Map<String, Object> cams = new LinkedHashMap<>();
    int tp = 0;
    int alerts = 0;
    int injectedTotal = 0;
    int found = 0;
    for (DemoLine.Camera cam : line.cameras) {
      int n = cam.labels().numFrames();
      long last = lastSeq.getOrDefault(cam.id(), 0L);
      List<Map<String, Object>> cs = new ArrayList<>();
      for (JsonNode c : cycles) {
        if (c.path("camera").asText().equals(cam.id())) {
          cs.add(Map.of("cycle_id", c.path("cycle_id").asText(), "duration_s",
              c.path("duration_s").asDouble(), "reference_s", c.path("reference_s").asDouble(),
              "cost", c.path("cost").asDouble()));
        }
      }
      List<JsonNode> mine = anomalies.stream()
          .filter(a -> a.path("camera").asText().equals(cam.id())).toList();
      // Injected anomalies that were fully played, as sequence ranges over the loops.
      List<long[]> injected = new ArrayList<>();
      List<String> injectedTypes = new ArrayList<>();
      for (long loop = 0; loop * n < last; loop++) {
        for (VideoLabels.Anomaly an : cam.labels().anomalies()) {
          long s = loop * n + an.start() + 1;
          long e = loop * n + an.end() + 1;
          if (e <= last) {
            injected.add(new long[] {s, e});
            injectedTypes.add(an.type());
          }
        }
      }
      boolean[] hit = new boolean[injected.size()];
      List<Map<String, Object>> raised = new ArrayList<>();
      for (JsonNode a : mine) {
        List<long[]> ranges = alertSequences(a);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", a.path("type").asText());
        r.put("cycle_id", a.path("cycle_id").asText());
        if (ranges.isEmpty()) {
          r.put("matched", null); // camera_silent, model_rejected: not about a cycle
          raised.add(r);
          continue;
        }
        alerts++;
        boolean match = false;
        for (int i = 0; i < injected.size(); i++) {
          for (long[] q : ranges) {
            if (q[0] <= injected.get(i)[1] && injected.get(i)[0] <= q[1]) {
              hit[i] = true;
              match = true;
            }
          }
        }
        tp += match ? 1 : 0;
        r.put("matched", match);
        raised.add(r);
      }
      int f = 0;
      for (boolean h : hit) {
        f += h ? 1 : 0;
      }
      found += f;
      injectedTotal += injected.size();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("station", cam.station());
      m.put("frames_processed", last);
      m.put("cycles_completed", cs.size());
      m.put("cycles", cs);
      m.put("anomalies_raised", raised);
      m.put("anomalies_injected", injectedTypes);
      m.put("injected_detected", f);
      cams.put(cam.id(), m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cameras", cams);
    Map<String, Object> det = new LinkedHashMap<>();
    det.put("alerts_with_frames", alerts);
    det.put("alerts_matching_an_injected_anomaly", tp);
    det.put("injected", injectedTotal);
    det.put("injected_detected", found);
    det.put("precision", alerts == 0 ? null : (double) tp / alerts);
    det.put("recall", injectedTotal == 0 ? null : (double) found / injectedTotal);
    out.put("detection", det);
    return out;
  }
}
