package io.lavmonitor.out;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lavmonitor.engine.CameraState;
import io.lavmonitor.monitor.MonitorApp;
import io.lavmonitor.monitor.MonitorConfig;
import io.lavmonitor.monitor.RecentEvents;
import io.lavmonitor.wire.ReferenceRecord;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The monitor's HTTP endpoint, read-only: {@code /metrics} (Prometheus), {@code /api/cameras}
 * and {@code /api/cameras/ID} (camera state by interactive query, with the running cycle as a
 * checklist of the reference's steps), {@code /api/anomalies} and {@code /api/cycles} (recent
 * events), {@code /api/frames/CAMERA} and {@code /api/frames/CAMERA/FRAME} (archived frames:
 * an alert's evidence, as JPEG), and {@code /} (the live page). It answers GET and HEAD; any
 * other method gets 405.
 */
public final class HttpApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** An archived frame this many camera frames from the one asked for still answers. */
  static final long NEAREST_WITHIN = 50;
  private final HttpServer server;
  private final ArchiveFrames frames;

  /**
   * What the endpoint shows: camera states, recent events, each station's reference (for the
   * checklist; null when unknown) and the archived frames (null: none served).
   */
  public record Sources(Supplier<Map<String, CameraState>> cameras, RecentEvents recent,
                        Function<String, ReferenceRecord> references, ArchiveFrames frames) {}

  /**
   * The endpoint of a running monitor: its camera states and recent events, the station
   * catalog's references, and the recent frames of {@code lav.archive}
   * ({@code lav.http.frames.keep} per camera), on {@code port}.
   */
  public static HttpApi serve(MonitorConfig cfg, MonitorApp app, int port) throws IOException {
    ArchiveFrames frames = ArchiveFrames.start(MonitorApp.clients(cfg),
        cfg.getInt("lav.http.frames.keep"));
    try {
      return new HttpApi(cfg.get("lav.http.bind"), port, app.prometheus(), new Sources(
          app::cameras, app.services().recent(), station -> {
            var e = app.services().catalog().reference(station);
            return e == null ? null : e.record();
          }, frames));
    } catch (IOException | RuntimeException e) {
      frames.close();
      throw e;
    }
  }

  /** Camera states and recent events only: no checklist, no frames. */
  public HttpApi(String bind, int port, PrometheusMeterRegistry prometheus,
                 Supplier<Map<String, CameraState>> cameras, RecentEvents recent)
      throws IOException {
    this(bind, port, prometheus, new Sources(cameras, recent, station -> null, null));
  }

  /**
   * Serves on {@code bind}:{@code port} ({@code lav.http.bind}, {@code lav.http.port}); port 0
   * takes a free one.
   */
  public HttpApi(String bind, int port, PrometheusMeterRegistry prometheus, Sources sources)
      throws IOException {
    Supplier<Map<String, CameraState>> cameras = sources.cameras();
    RecentEvents recent = sources.recent();
    this.frames = sources.frames();
    server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "lav-http");
      t.setDaemon(true);
      return t;
    }));
    context("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
        prometheus.scrape()));
    context("/api/cameras", ex -> {
      String path = ex.getRequestURI().getPath();
      Map<String, CameraState> all;
      try {
        all = cameras.get();
      } catch (RuntimeException e) { // the store is not queryable while Streams rebalances
        send(ex, 503, "application/json", JSON.writeValueAsString(Map.of("error",
            "camera state not available yet: " + e.getMessage())));
        return;
      }
      if (path.equals("/api/cameras") || path.equals("/api/cameras/")) {
        List<Map<String, Object>> out = new ArrayList<>();
        all.forEach((id, s) -> out.add(view(id, s, sources.references())));
        send(ex, 200, "application/json", JSON.writeValueAsString(out));
      } else {
        String id = path.substring("/api/cameras/".length());
        CameraState s = all.get(id);
        if (s == null) {
          send(ex, 404, "application/json", JSON.writeValueAsString(Map.of("error",
              "no camera '" + id + "'")));
        } else {
          send(ex, 200, "application/json", JSON.writeValueAsString(view(id, s,
              sources.references())));
        }
      }
    });
    context("/api/anomalies", ex -> send(ex, 200, "application/json",
        JSON.writeValueAsString(recent.anomalies())));
    context("/api/cycles", ex -> {
      List<?> cycles = recent.cycles();
      int limit = limit(ex, cycles.size());
      send(ex, 200, "application/json", JSON.writeValueAsString(cycles.subList(0,
          Math.min(limit, cycles.size()))));
    });
    context("/api/frames/", ex -> frames(ex, sources.frames()));
    context("/", ex -> {
      if (!ex.getRequestURI().getPath().equals("/")) {
        send(ex, 404, "text/plain", "not found");
        return;
      }
      try (InputStream in = HttpApi.class.getResourceAsStream("live.html")) {
        send(ex, 200, "text/html; charset=utf-8", new String(in.readAllBytes(),
            StandardCharsets.UTF_8));
      }
    });
    server.start();
  }

  /** A read-only handler: GET and HEAD are served, anything else is 405. */
  private void context(String path, com.sun.net.httpserver.HttpHandler h) {
    server.createContext(path, ex -> {
      String m = ex.getRequestMethod();
      if (!m.equals("GET") && !m.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain", "method " + m + " not allowed: this endpoint is read-only");
        return;
      }
      try {
        h.handle(ex);
      } catch (IOException | RuntimeException e) {
        try {
          send(ex, 500, "application/json", JSON.writeValueAsString(Map.of("error",
              String.valueOf(e.getMessage()))));
        } catch (IOException | RuntimeException ignored) {
          // the reply had begun: nothing more to say on this exchange
        } finally {
          ex.close();
        }
      }
    });
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The {@code limit} query parameter (newest first), or {@code all}. */
  private static int limit(HttpExchange ex, int all) {
    String q = ex.getRequestURI().getQuery();
    if (q != null) {
      for (String kv : q.split("&")) {
        if (kv.startsWith("limit=")) {
          try {
            return Math.max(0, Integer.parseInt(kv.substring(6)));
          } catch (NumberFormatException e) {
            return all;
          }
        }
      }
    }
    return all;
  }

  /** {@code /api/frames/CAMERA}: the frames kept; {@code /api/frames/CAMERA/N}: one, as JPEG. */
  private static void frames(HttpExchange ex, ArchiveFrames frames) throws IOException {
    String[] parts = ex.getRequestURI().getPath().substring("/api/frames/".length()).split("/");
    if (parts.length == 0 || parts[0].isEmpty() || parts.length > 2) {
      send(ex, 404, "application/json", JSON.writeValueAsString(Map.of("error",
          "use /api/frames/CAMERA or /api/frames/CAMERA/FRAME")));
      return;
    }
    if (frames == null) {
      send(ex, 404, "application/json", JSON.writeValueAsString(Map.of("error",
          "this monitor serves no archived frames")));
      return;
    }
    String camera = parts[0];
    if (parts.length == 1) {
      send(ex, 200, "application/json", JSON.writeValueAsString(Map.of("camera", camera,
          "frames", frames.frames(camera))));
      return;
    }
    long frame;
    try {
      frame = Long.parseLong(parts[1].replaceFirst("\\.jpe?g$", ""));
      if (frame < 0) {
        throw new NumberFormatException("negative");
      }
    } catch (NumberFormatException e) {
      send(ex, 400, "application/json", JSON.writeValueAsString(Map.of("error",
          "not a frame number: " + parts[1])));
      return;
    }
    ArchiveFrames.Frame f = frames.nearest(camera, frame, NEAREST_WITHIN);
    if (f == null) {
      send(ex, 404, "application/json", JSON.writeValueAsString(Map.of("error", "no archived "
          + "frame of camera '" + camera + "' within " + NEAREST_WITHIN + " frames of " + frame
          + " (the monitor keeps the recent ones; lav.archive has them all)")));
      return;
    }
    ex.getResponseHeaders().set("X-Lav-Frame", Long.toString(f.frame()));
    send(ex, 200, "image/jpeg", f.jpeg());
  }

  static Map<String, Object> view(String camera, CameraState s,
                                  Function<String, ReferenceRecord> references) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("camera", camera);
    m.put("station", s.station());
    m.put("cycle_id", s.cycleId(camera));
    m.put("phase", s.lastPhase());
    m.put("progress", s.lastProgress());
    m.put("model_id", s.modelId());
    m.put("last_sequence", s.lastSequence());
    m.put("last_frame_ms", s.lastWallMillis());
    m.put("recent_anomalies", s.recentAnomalies());
    ReferenceRecord ref = s.station() == null ? null : references.apply(s.station());
    if (ref != null && ref.phases() != null && ref.phaseSeconds() != null) {
      List<Double> secs = ref.phases().stream()
          .map(p -> ref.phaseSeconds().getOrDefault(p, 0.0)).toList();
      List<Map<String, Object>> steps = new ArrayList<>();
      for (var st : s.checklist(ref.phases(), secs)) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("phase", st.phase());
        one.put("status", st.status());
        one.put("frames", st.frames());
        one.put("seconds", st.seconds());
        one.put("reference_seconds", st.referenceSeconds());
        if (ref.stepRules().isOptional(st.phase())) {
          one.put("optional", true);
        }
        if (ref.stepRules().isUnordered(st.phase())) {
          one.put("unordered", true);
        }
        steps.add(one);
      }
      m.put("steps", steps);
    }
    return m;
  }

  private static void send(HttpExchange ex, int code, String type, String body)
      throws IOException {
    send(ex, code, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int code, String type, byte[] b)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(code, head ? -1 : b.length);
    try (OutputStream o = ex.getResponseBody()) {
      if (!head) {
        o.write(b);
      }
    }
  }

  /** Stops serving, and stops the archived frames' reader it was given. */
  @Override
  public void close() {
    if (frames != null) {
      frames.close();
    }
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
