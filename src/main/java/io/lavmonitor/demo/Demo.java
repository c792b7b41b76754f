package io.lavmonitor.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.kafka.TopicReader;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.wire.Topic;
import io.lavmonitor.wire.Topics;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.engine.CameraState;
import io.lavmonitor.monitor.MonitorApp;
import io.lavmonitor.monitor.MonitorConfig;
import io.lavmonitor.out.HttpApi;
import io.lavmonitor.out.PageScreenshot;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code lav demo}: a whole line on one machine. A real single-node KRaft broker in this
 * process, a synthetic line (two stations, three cameras, anomalies at known cycles), the model
 * that ships with the project, the references, camera agents replaying the recordings in real
 * time, and the monitor with its metrics and live page.
 */
public final class Demo {
  /** Where the shipped model lives on the classpath. */
  static final String MODEL_RESOURCE = "/io/lavmonitor/demo/model/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Settings; duration 0 runs until {@code stop}. */
  /** @param screenshot where to write a PNG of the live page near the run's end, or null */
  public record Options(Path work, int httpPort, double durationSeconds, int cycles, long seed,
                        Path model, Path screenshot) {}

  private Demo() {}

  private static void screenshot(PrintWriter out, long t0, String url, Path png) {
    try {
      PageScreenshot.take(url, png, 1400, 1050, 4000);
      say(out, t0, "live page screenshot: " + png);
    } catch (java.io.IOException e) {
      say(out, t0, "WARNING: no screenshot of the live page: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Copies the shipped model into a store and returns its version folder. */
  public static Path installShippedModel(Path store) throws Exception {
    byte[] card;
    try (InputStream in = Demo.class.getResourceAsStream(MODEL_RESOURCE + "model.json")) {
      if (in == null) {
        throw new IllegalStateException("the shipped demo model is missing from the jar");
      }
      card = in.readAllBytes();
    }
    String id = JSON.readTree(card).get("id").asText();
    Path dir = store.resolve(id);
    if (!Files.exists(dir.resolve("model.json"))) {
      Files.createDirectories(dir);
      Files.write(dir.resolve("model.json"), card);
      try (InputStream in = Demo.class.getResourceAsStream(MODEL_RESOURCE
          + ModelCard.WEIGHTS_FILE)) {
        Files.copy(in, dir.resolve(ModelCard.WEIGHTS_FILE));
      }
    }
    return dir;
  }

  public static Map<String, Object> run(Options o, AtomicBoolean stop, PrintWriter out)
      throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(o.work());
    try (LocalKafka kafka = LocalKafka.start()) {
      say(out, t0, "Kafka broker (KRaft, in-process) at " + kafka.bootstrapServers());
      Map<String, Object> admin = Map.of("bootstrap.servers", kafka.bootstrapServers());
      MonitorApp.createTopics(new HashMap<>(admin), 3);
      Path store = o.work().resolve("models");
      Path modelDir = o.model() != null ? o.model() : installShippedModel(store);
      ModelStore.Version version = ModelStore.resolve(modelDir);
      say(out, t0, "model " + version.card().id() + " (" + version.card().backbone() + ", "
          + version.card().inputSize() + " px)");
      DemoLine line = DemoLine.generate(o.work().resolve("line"), version.card().inputSize(),
          10, o.cycles(), o.seed());
      say(out, t0, "synthetic line: " + line.stations.size() + " stations, "
          + line.cameras.size() + " cameras, " + line.cameras.stream()
          .mapToInt(c -> c.labels().anomalies().size()).sum() + " anomalies injected");
      KafkaClients client = kafka.clients();
      line.publishReferences(client, version);
      say(out, t0, "references published for st1, st2");
      Properties p = new Properties();
      p.put("bootstrap.servers", kafka.bootstrapServers());
      p.put("application.id", "lav-demo");
      p.put("state.dir", o.work().resolve("state").toString());
      p.put("commit.interval.ms", "200");
      p.put("lav.models.dir", version.dir().toAbsolutePath().getParent().toString());
      p.put("lav.stations", "st1,st2");
      p.put("lav.device", "cpu");
      p.put("lav.http.port", Integer.toString(o.httpPort()));
      MonitorConfig cfg = MonitorConfig.of(p, Map.of());
      Map<String, Long> lastSeq = new HashMap<>();
      try (MonitorApp app = new MonitorApp(cfg);
           HttpApi http = HttpApi.serve(cfg, app, o.httpPort())) {
        app.start();
        if (!app.awaitRunning(Duration.ofSeconds(60))) {
          throw new IllegalStateException("the monitor did not start: " + app.streams().state());
        }
        say(out, t0, "monitor running: http://localhost:" + http.port() + "/  (metrics: /metrics)");
        List<CameraAgent> agents = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean camerasStop = new AtomicBoolean();
        for (DemoLine.Camera c : line.cameras) {
          CameraAgent a = new CameraAgent(new CameraAgent.Settings(c.video().toString(), c.id(),
              c.station(), line.fps, 0.85f, 8, true, true, Topics.FRAMES.name()), client);
          agents.add(a);
          Thread t = new Thread(() -> a.run(camerasStop, 0), "camera-" + c.id());
          t.setDaemon(true);
          t.start();
          threads.add(t);
        }
        say(out, t0, "cameras streaming; ready (Ctrl-C to stop"
            + (o.durationSeconds() > 0 ? ", or after " + (long) o.durationSeconds() + " s" : "")
            + ")");
        long end = o.durationSeconds() > 0
            ? System.nanoTime() + (long) (o.durationSeconds() * 1e9) : Long.MAX_VALUE;
        boolean shot = o.screenshot() == null;
        while (!stop.get() && System.nanoTime() < end) {
          Thread.sleep(1000);
          status(out, app);
          if (!shot && end - System.nanoTime() < 8e9) {
            shot = true; // the live page while the cameras still stream
            screenshot(out, t0, "http://127.0.0.1:" + http.port() + "/", o.screenshot());
          }
        }
        camerasStop.set(true);
        for (Thread t : threads) {
          t.join(5000);
        }
        agents.forEach(CameraAgent::flush);
        // Let the monitor catch up with what was sent, then read the committed outputs.
        Thread.sleep(3000);
        try {
          app.cameras().forEach((id, s) -> lastSeq.put(id, s.lastSequence()));
        } catch (RuntimeException e) {
          say(out, t0, "camera state not readable at the end: " + e.getMessage());
        }
        agents.forEach(CameraAgent::close);
      }
      List<JsonNode> cycles = readAll(client, Topics.CYCLES);
      List<JsonNode> anomalies = readAll(client, Topics.ANOMALIES);
      return DemoSummary.build(line, cycles, anomalies, lastSeq);
    }
  }

  private static void status(PrintWriter out, MonitorApp app) {
    Map<String, CameraState> cams;
    try {
      cams = app.cameras();
    } catch (RuntimeException e) {
      return; // rebalancing
    }
    StringBuilder sb = new StringBuilder();
    cams.forEach((id, s) -> sb.append(String.format(Locale.ROOT, "%s %s %-18s %3.0f%% | ", id,
        s.cycleId(id), s.lastPhase() == null ? "-" : s.lastPhase(), 100 * s.lastProgress())));
    out.println(sb.length() == 0 ? "waiting for frames" : sb.substring(0, sb.length() - 3));
    out.flush();
  }

  static <V> List<JsonNode> readAll(KafkaClients client, Topic<String, V> topic) {
    List<JsonNode> out = new ArrayList<>();
    for (V v : TopicReader.committedValues(client, topic, Duration.ofSeconds(20))) {
      out.add(JSON.valueToTree(v));
    }
    return out;
  }

  private static void say(PrintWriter out, long t0, String msg) {
    out.printf(Locale.ROOT, "[%5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, msg);
    out.flush();
  }
}
