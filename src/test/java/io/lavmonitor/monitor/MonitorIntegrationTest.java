package io.lavmonitor.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.kafka.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor against a real KRaft broker: a video file through the camera agent to the output
 * topics, and a monitor process killed mid-cycle (SIGKILL) and restarted on an empty state
 * folder, after which the committed progress and cycle records have no gap and no duplicate.
 */
class MonitorIntegrationTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static MonitorFixture fx;

  @BeforeAll
  static void fixture() throws Exception {
    fx = new MonitorFixture(dir);
  }

  static Properties config(LocalKafka kafka, Path state, Map<String, String> extra) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("application.id", "lav-it");
    p.put("state.dir", state.toString());
    p.put("commit.interval.ms", "100");
    p.put("lav.models.dir", fx.store.toString());
    p.put("lav.stations", "st1");
    p.put("lav.device", "cpu");
    p.put("lav.http.port", "0");
    p.putAll(extra);
    return p;
  }

  static void publishReference(LocalKafka kafka) {
    Properties client = new Properties();
    client.put("bootstrap.servers", kafka.bootstrapServers());
    ReferenceBuilder.publish(client, fx.reference);
  }

  /** Committed records of a topic (read_committed), in offset order per partition. */
  static List<JsonNode> committed(LocalKafka kafka, String topic) throws Exception {
    return committedAt(kafka.bootstrapServers(), topic);
  }

  static List<JsonNode> committedAt(String bootstrap, String topic) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (byte[] v : io.lavmonitor.kafka.TopicReader.committedValues(bootstrap, topic,
        Duration.ofSeconds(30))) {
      out.add(JSON.readTree(v));
    }
    return out;
  }

  static List<JsonNode> awaitCommitted(LocalKafka kafka, String topic, int atLeast,
                                       Duration timeout) throws Exception {
    return awaitCommittedAt(kafka.bootstrapServers(), topic, atLeast, timeout);
  }

  static List<JsonNode> awaitCommittedAt(String bootstrap, String topic, int atLeast,
                                         Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    List<JsonNode> got = List.of();
    while (System.nanoTime() < end) {
      got = committedAt(bootstrap, topic);
      if (got.size() >= atLeast) {
        return got;
      }
      Thread.sleep(500);
    }
    return got;
  }

  /** The reference cycle n times over, as a folder of JPEGs the agent reads. */
  static Path cycles(int n) throws IOException {
    return frames(n, 0, n * fx.frames());
  }

  /** Frames from..to (exclusive) of the reference cycle repeated n times, as a folder. */
  static Path frames(int n, int from, int to) throws IOException {
    Path folder = dir.resolve("stream-" + n + "-" + from + "-" + to);
    if (!Files.exists(folder)) {
      Files.createDirectories(folder);
      for (int i = from; i < to; i++) {
        Files.write(folder.resolve(String.format("%06d.jpg", i)),
            fx.jpegs.get(i % fx.frames()));
      }
    }
    return folder;
  }

  @Test
  @Timeout(240)
  void aVideoThroughTheCameraAgentReachesEveryOutputTopic() throws Exception {
    try (LocalKafka kafka = LocalKafka.start()) {
      Map<String, Object> admin = new HashMap<>();
      admin.put("bootstrap.servers", kafka.bootstrapServers());
      MonitorApp.createTopics(admin, 2);
      publishReference(kafka);
      MonitorConfig cfg = MonitorConfig.of(config(kafka, dir.resolve("state-e2e"),
          Map.of("lav.anomaly.silent.seconds", "2")), Map.of());
      try (MonitorApp app = new MonitorApp(cfg)) {
        app.start();
        assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "monitor running");
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        int frames = 3 * fx.frames();
        try (CameraAgent agent = new CameraAgent(new CameraAgent.Settings(
            cycles(3).toString(), "cam1", "st1", 40, 0.9f, 64, true, false, Topics.FRAMES),
            client)) {
          agent.run(new AtomicBoolean(), 0);
          agent.flush();
          assertEquals(frames, agent.sent() + agent.dropped());
          List<JsonNode> progress = awaitCommitted(kafka, Topics.PHASE_PROGRESS,
              (int) agent.sent(), Duration.ofSeconds(90));
          assertEquals(agent.sent(), progress.size(), "one progress record per frame sent");
        }
        // The camera went quiet after its video: the wall-clock check alerts.
        List<JsonNode> anomalies = awaitCommitted(kafka, Topics.ANOMALIES, 1,
            Duration.ofSeconds(30));
        assertTrue(anomalies.stream().anyMatch(a -> a.get("type").asText()
            .equals("camera_silent") && a.get("camera").asText().equals("cam1")), anomalies
            .toString());
        assertTrue(awaitCommitted(kafka, Topics.CYCLES, 1, Duration.ofSeconds(10)).size() >= 1);
        assertTrue(app.cameras().get("cam1").lastSequence() > 0, "interactive query");
      }
    }
  }

  static Process monitorProcess(Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx1g", "-Dai.djl.offline=true", "-cp",
        System.getProperty("java.class.path"), "io.lavmonitor.cli.LavCommand", "monitor",
        "--config", config.toString(), "--no-create-topics")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  @Timeout(300)
  void aMonitorKilledMidCycleResumesWithoutGapsOrDuplicates() throws Exception {
    try (LocalKafka kafka = LocalKafka.start()) {
      Map<String, Object> admin = new HashMap<>();
      admin.put("bootstrap.servers", kafka.bootstrapServers());
      MonitorApp.createTopics(admin, 1);
      publishReference(kafka);
      Path cfgFile = dir.resolve("eos.properties");
      Properties p = config(kafka, dir.resolve("state-a"), Map.of());
      try (var w = Files.newBufferedWriter(cfgFile)) {
        p.store(w, null);
      }
      Properties client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      int total = 4 * fx.frames();
      int firstPart = fx.frames() + fx.frames() / 2; // mid-way through the second cycle
      Process a = monitorProcess(cfgFile, dir.resolve("monitor-a.log"));
      try (CameraAgent agent = new CameraAgent(new CameraAgent.Settings(
          frames(4, 0, firstPart).toString(), "cam1", "st1", 1000, 0.9f, 1000, false, false,
          Topics.FRAMES), client);
           CameraAgent rest = new CameraAgent(new CameraAgent.Settings(
               frames(4, firstPart, total).toString(), "cam1", "st1", 1000, 0.9f, 1000, false,
               false, Topics.FRAMES), client, firstPart)) {
        agent.run(new AtomicBoolean(), 0);
        agent.flush();
        List<JsonNode> before = awaitCommitted(kafka, Topics.PHASE_PROGRESS, firstPart / 2,
            Duration.ofSeconds(120));
        assertTrue(before.size() >= firstPart / 2, "monitor A processed frames; log:\n"
            + Files.readString(dir.resolve("monitor-a.log")));
        a.destroyForcibly(); // SIGKILL: no commit, no clean shutdown
        a.waitFor(30, TimeUnit.SECONDS);
        // Monitor B starts on an empty state folder: its state comes from the changelog.
        p.put("state.dir", dir.resolve("state-b").toString());
        try (var w = Files.newBufferedWriter(cfgFile)) {
          p.store(w, null);
        }
        Process b = monitorProcess(cfgFile, dir.resolve("monitor-b.log"));
        try {
          rest.run(new AtomicBoolean(), 0);
          rest.flush();
          assertEquals(total, agent.sent() + rest.sent());
          List<JsonNode> progress = awaitCommitted(kafka, Topics.PHASE_PROGRESS, total,
              Duration.ofSeconds(150));
          Map<Long, Integer> seen = new TreeMap<>();
          for (JsonNode n : progress) {
            seen.merge(n.get("sequence").asLong(), 1, Integer::sum);
          }
          assertEquals(total, seen.size(), "every frame's progress once; log:\n"
              + Files.readString(dir.resolve("monitor-b.log")));
          assertTrue(seen.values().stream().allMatch(c -> c == 1), "no duplicates");
          assertEquals(1L, ((TreeMap<Long, Integer>) seen).firstKey());
          assertEquals((long) total, ((TreeMap<Long, Integer>) seen).lastKey());
          List<JsonNode> cycles = committed(kafka, Topics.CYCLES);
          assertEquals(cycles.size(), cycles.stream().map(c -> c.get("cycle_id").asText())
              .distinct().count(), "no cycle twice: " + cycles);
          assertTrue(cycles.size() >= 2, "cycles across the restart: " + cycles);
        } finally {
          b.destroy();
          b.waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }
}
