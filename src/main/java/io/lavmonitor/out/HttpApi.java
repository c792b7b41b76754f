package io.lavmonitor.out;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lavmonitor.engine.CameraState;
import io.lavmonitor.monitor.RecentEvents;
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
import java.util.function.Supplier;

/**
 * The monitor's HTTP endpoint, read-only: {@code /metrics} (Prometheus), {@code /api/cameras}
 * and {@code /api/cameras/ID} (camera state by interactive query), {@code /api/anomalies} and
 * {@code /api/cycles} (recent events), and {@code /} (the live page). It answers GET and HEAD;
 * any other method gets 405.
 */
public final class HttpApi implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;

  /**
   * Serves on {@code bind}:{@code port} ({@code lav.http.bind}, {@code lav.http.port}); port 0
   * takes a free one.
   */
  public HttpApi(String bind, int port, PrometheusMeterRegistry prometheus,
                 Supplier<Map<String, CameraState>> cameras, RecentEvents recent)
      throws IOException {
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
        all.forEach((id, s) -> out.add(view(id, s)));
        send(ex, 200, "application/json", JSON.writeValueAsString(out));
      } else {
        String id = path.substring("/api/cameras/".length());
        CameraState s = all.get(id);
        if (s == null) {
          send(ex, 404, "application/json", JSON.writeValueAsString(Map.of("error",
              "no camera '" + id + "'")));
        } else {
          send(ex, 200, "application/json", JSON.writeValueAsString(view(id, s)));
        }
      }
    });
    context("/api/anomalies", ex -> send(ex, 200, "application/json",
        JSON.writeValueAsString(recent.anomalies())));
    context("/api/cycles", ex -> send(ex, 200, "application/json",
        JSON.writeValueAsString(recent.cycles())));
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
      h.handle(ex);
    });
  }

  public int port() {
    return server.getAddress().getPort();
  }

  static Map<String, Object> view(String camera, CameraState s) {
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
    return m;
  }

  private static void send(HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
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

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
