package io.lavmonitor.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.monitor.MonitorApp;
import io.lavmonitor.monitor.MonitorConfig;
import io.lavmonitor.monitor.TestLine;
import io.lavmonitor.wire.Topics;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page's evidence against a real broker and monitor: a cycle's archived frames come
 * back over HTTP as the JPEGs the camera sent, a second endpoint (a restarted monitor) serves
 * them again from lav.archive, and the camera's state carries the running cycle's checklist of
 * the reference's steps.
 */
class LiveEvidenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  @Timeout(300)
  void aCyclesFramesAndTheChecklistAreServed() throws Exception {
    TestLine line = new TestLine(dir);
    try (LocalKafka kafka = LocalKafka.start()) {
      Map<String, Object> admin = new HashMap<>();
      admin.put("bootstrap.servers", kafka.bootstrapServers());
      MonitorApp.createTopics(admin, 1);
      line.publishReference(kafka.bootstrapServers());
      java.util.Properties p = line.config(kafka.bootstrapServers(), dir.resolve("state"));
      p.put("lav.http.bind", "127.0.0.1");
      MonitorConfig cfg = MonitorConfig.of(p, Map.of());
      HttpClient web = HttpClient.newHttpClient();
      try (MonitorApp app = new MonitorApp(cfg)) {
        JsonNode cycle;
        byte[] served;
        try (HttpApi http = HttpApi.serve(cfg, app, 0)) {
          app.start();
          assertTrue(app.awaitRunning(Duration.ofSeconds(60)));
          try (CameraAgent agent = new CameraAgent(new CameraAgent.Settings(
              line.cycles(3).toString(), "cam1", "st1", 25, 0.9f, 64, true, false,
              Topics.FRAMES.name()), kafka.clients())) {
            agent.run(new AtomicBoolean(), 0);
            agent.flush();
          }
          String base = "http://127.0.0.1:" + http.port();
          cycle = await(() -> {
            JsonNode c = JSON.readTree(get(web, base + "/api/cycles").body());
            return c.isEmpty() ? null : c.get(c.size() - 1);
          });
          long start = cycle.get("start_frame").asLong();
          long end = cycle.get("end_frame").asLong();
          JsonNode kept = await(() -> {
            JsonNode f = JSON.readTree(get(web, base + "/api/frames/cam1").body()).get("frames");
            return f.size() > 0 && f.get(f.size() - 1).asLong() >= end ? f : null;
          });
          // The archive samples every lav.archive.every frames: the kept numbers step by it.
          long every = cfg.getInt("lav.archive.every");
          for (int i = 1; i < kept.size(); i++) {
            assertEquals(every, kept.get(i).asLong() - kept.get(i - 1).asLong(), kept.toString());
          }
          long mid = (start + end) / 2;
          HttpResponse<byte[]> r = getBytes(web, base + "/api/frames/cam1/" + mid);
          assertEquals(200, r.statusCode());
          assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
          long at = Long.parseLong(r.headers().firstValue("X-Lav-Frame").orElseThrow());
          assertTrue(Math.abs(at - mid) <= every / 2 + 1, at + " for " + mid);
          served = r.body();
          assertNotNull(ImageIO.read(new ByteArrayInputStream(served)), "a JPEG");
          assertEquals(404, getBytes(web, base + "/api/frames/cam9/" + mid).statusCode());
          assertEquals(400, getBytes(web, base + "/api/frames/cam1/x").statusCode());
          assertEquals(400, getBytes(web, base + "/api/frames/cam1/-3").statusCode());
          assertEquals(404, getBytes(web, base + "/api/frames/cam1/3/more").statusCode());
          assertEquals(404, getBytes(web, base + "/api/frames/").statusCode());
          // The checklist: the reference's steps in order, done ones before the current one
          // and those to come after it (here the stream ended with a cycle: all to come).
          JsonNode cam = JSON.readTree(get(web, base + "/api/cameras/cam1").body());
          List<String> phases = new ArrayList<>();
          StringBuilder statuses = new StringBuilder();
          for (JsonNode s : cam.get("steps")) {
            phases.add(s.get("phase").asText());
            statuses.append(s.get("status").asText()).append(',');
            assertTrue(s.get("reference_seconds").asDouble() > 0, s.toString());
          }
          assertTrue(statuses.toString().matches("(done,)*(current,)?(todo,)*"), statuses
              .toString());
          List<String> names = new ArrayList<>();
          cycle.get("phases").forEach(ph -> names.add(ph.get("phase").asText()));
          assertEquals(names, phases);
        }
        // Another endpoint, as after a restart: the same frame, read back from lav.archive.
        try (HttpApi again = HttpApi.serve(cfg, app, 0)) {
          long mid = (cycle.get("start_frame").asLong() + cycle.get("end_frame").asLong()) / 2;
          byte[] back = await(() -> {
            HttpResponse<byte[]> r = getBytes(web, "http://127.0.0.1:" + again.port()
                + "/api/frames/cam1/" + mid);
            return r.statusCode() == 200 ? r.body() : null;
          });
          assertTrue(java.util.Arrays.equals(served, back));
        }
      }
    }
  }

  private interface Probe<T> {
    T get() throws Exception;
  }

  private static <T> T await(Probe<T> probe) throws Exception {
    long until = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < until) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not within 90 s");
  }

  private static HttpResponse<String> get(HttpClient web, String url) throws Exception {
    return web.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> getBytes(HttpClient web, String url) throws Exception {
    return web.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
