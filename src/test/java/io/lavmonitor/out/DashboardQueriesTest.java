package io.lavmonitor.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.wire.Topics;
import io.lavmonitor.monitor.MonitorApp;
import io.lavmonitor.monitor.MonitorConfig;
import io.lavmonitor.monitor.TestLine;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PromQL query of the Grafana dashboard, run by Debian's real Prometheus server scraping
 * the running monitor: each must parse and return data. Grafana itself cannot be installed here.
 * Also checks the monitor's HTTP API and live page.
 */
class DashboardQueriesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static Path prometheus() {
    String env = System.getenv("LAV_PROMETHEUS");
    List<Path> candidates = new ArrayList<>();
    if (env != null) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of(System.getProperty("user.home"),
        ".cache/lav-monitor/tools/prometheus/usr/bin/prometheus"));
    candidates.add(Path.of("/usr/bin/prometheus"));
    return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  @Test
  @Timeout(300)
  void everyPanelQueryReturnsData() throws Exception {
    Path prom = prometheus();
    assumeTrue(prom != null, "Prometheus not found: run .ci/fetch-prometheus (CI does)");
    TestLine line = new TestLine(dir);
    try (LocalKafka kafka = LocalKafka.start()) {
      Map<String, Object> admin = new HashMap<>();
      admin.put("bootstrap.servers", kafka.bootstrapServers());
      MonitorApp.createTopics(admin, 1);
      line.publishReference(kafka.bootstrapServers());
      MonitorConfig cfg = MonitorConfig.of(line.config(kafka.bootstrapServers(),
          dir.resolve("state")), Map.of());
      try (MonitorApp app = new MonitorApp(cfg);
           HttpApi http = new HttpApi("127.0.0.1", 0, app.prometheus(), app::cameras,
               app.services().recent())) {
        app.start();
        assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
        Path promDir = dir.resolve("prom");
        Files.createDirectories(promDir);
        Files.writeString(promDir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n"
            + "scrape_configs:\n  - job_name: lav-monitor\n    static_configs:\n"
            + "      - targets: ['localhost:" + http.port() + "']\n");
        int promPort = freePort();
        Process p = new ProcessBuilder(prom.toString(), "--config.file="
            + promDir.resolve("prometheus.yml"), "--storage.tsdb.path=" + promDir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + promPort)
            .redirectErrorStream(true).redirectOutput(promDir.resolve("log").toFile()).start();
        try {
          try (CameraAgent agent = new CameraAgent(new CameraAgent.Settings(
              line.cycles(4).toString(), "cam1", "st1", 25, 0.9f, 64, true, false,
              Topics.FRAMES.name()), kafka.clients())) {
            agent.run(new AtomicBoolean(), 0);
            agent.flush();
          }
          Thread.sleep(4000); // a few more scrapes after the last cycle
          HttpClient web = HttpClient.newHttpClient();
          // The monitor's own endpoints.
          String page = get(web, "http://localhost:" + http.port() + "/");
          assertTrue(page.contains("Line overview"));
          JsonNode cams = JSON.readTree(get(web, "http://localhost:" + http.port()
              + "/api/cameras"));
          assertEquals("cam1", cams.get(0).get("camera").asText());
          assertTrue(get(web, "http://localhost:" + http.port() + "/metrics")
              .contains("lav_frames_total"));
          // Every panel's queries through Prometheus.
          JsonNode dash = JSON.readTree(Path.of("grafana/dashboards/line-overview.json")
              .toFile());
          List<String> failures = new ArrayList<>();
          int queries = 0;
          for (JsonNode panel : dash.get("panels")) {
            for (JsonNode t : panel.get("targets")) {
              String expr = t.get("expr").asText().replace("$__rate_interval", "1m");
              queries++;
              JsonNode r = JSON.readTree(get(web, "http://127.0.0.1:" + promPort
                  + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
              if (!r.get("status").asText().equals("success")) {
                failures.add(panel.get("title").asText() + ": " + r);
              } else if (r.get("data").get("result").isEmpty()) {
                failures.add(panel.get("title").asText() + ": no data for " + expr);
              }
            }
          }
          assertTrue(queries >= 9);
          assertTrue(failures.isEmpty(), String.join("\n", failures) + "\nprometheus log:\n"
              + Files.readString(promDir.resolve("log")));
        } finally {
          p.destroy();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  static String get(HttpClient web, String url) throws Exception {
    HttpResponse<String> r = web.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
