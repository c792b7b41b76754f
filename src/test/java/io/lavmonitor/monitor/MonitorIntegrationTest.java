package io.lavmonitor.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.station.ReferenceBuilder;
import io.lavmonitor.wire.Topic;
import io.lavmonitor.wire.Topics;
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
    ReferenceBuilder.publish(kafka.clients(), fx.reference);
  }

  /** Committed records of a topic (read_committed), in offset order per partition. */
  static List<JsonNode> committed(LocalKafka kafka, Topic<String, ?> topic) throws Exception {
    return committedAt(kafka.bootstrapServers(), topic);
  }

  static List<JsonNode> committedAt(String bootstrap, Topic<String, ?> topic) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (Object v : io.lavmonitor.kafka.TopicReader.committedValues(
        io.lavmonitor.kafka.KafkaClients.of(bootstrap), topic, Duration.ofSeconds(30))) {
      out.add(v instanceof byte[] b ? JSON.readTree(b) : JSON.valueToTree(v));
    }
    return out;
  }

  static List<JsonNode> awaitCommitted(LocalKafka kafka, Topic<String, ?> topic, int atLeast,
                                       Duration timeout) throws Exception {
    return awaitCommittedAt(kafka.bootstrapServers(), topic, atLeast, timeout);
  }

  static List<JsonNode> awaitCommittedAt(String bootstrap, Topic<String, ?> topic, int atLeast,
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
        int frames = 3 * fx.frames();
        try (CameraAgent agent = new CameraAgent(new CameraAgent.Settings(
            cycles(3).toString(), "cam1", "st1", 40, 0.9f, 64, true, false,
            Topics.FRAMES.name()), kafka.clients())) {
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

        // The agent restarts (a new session, counting from 1 again): nothing is refused.
        long sent = send(kafka, cycles(1));
        assertEquals(frames + sent, awaitCommitted(kafka, Topics.PHASE_PROGRESS,
            frames + (int) sent, Duration.ofSeconds(60)).size());
        assertEquals(List.of(), deadLetters(kafka), "no frame dead-lettered");

        // Garbage on the references topic: one alert, and the good reference serves on.
        kafka.clients().publish(Topics.REFERENCES, "st1", "random bytes".getBytes());
        assertTrue(awaitCommitted(kafka, Topics.ANOMALIES, anomalies.size() + 1,
            Duration.ofSeconds(30)).stream().anyMatch(a -> a.get("type").asText()
            .equals("reference_rejected")));
        long more = send(kafka, cycles(1));
        assertEquals(frames + sent + more, awaitCommitted(kafka, Topics.PHASE_PROGRESS,
            (int) (frames + sent + more), Duration.ofSeconds(60)).size());
      }
      // As if compaction had removed the good reference from the published topic (here the
      // topic is emptied by deleting and creating it), and the monitor restarts on an empty
      // state folder: the station catalog still has the reference.
      try (var a = kafka.admin()) {
        a.deleteTopics(List.of(Topics.REFERENCES.name())).all().get();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (a.listTopics().names().get().contains(Topics.REFERENCES.name())
            && System.nanoTime() < until) {
          Thread.sleep(200);
        }
      }
      kafka.clients().ensureTopics(2);
      int before = committed(kafka, Topics.PHASE_PROGRESS).size();
      try (MonitorApp app = new MonitorApp(MonitorConfig.of(config(kafka,
          dir.resolve("state-e2e-fresh"), Map.of()), Map.of()))) {
        app.start();
        assertTrue(app.awaitRunning(Duration.ofSeconds(60)), "monitor running");
        long last = send(kafka, cycles(1));
        assertEquals(before + last, awaitCommitted(kafka, Topics.PHASE_PROGRESS,
            (int) (before + last), Duration.ofSeconds(90)).size());
        assertEquals(List.of(), deadLetters(kafka).stream().filter(d -> !d.contains(
            "bad_reference")).toList());
      }
    }
  }

  /** A new agent session sends a folder of frames; the number sent. */
  static long send(LocalKafka kafka, Path folder) {
    try (CameraAgent agent = new CameraAgent(new CameraAgent.Settings(folder.toString(), "cam1",
        "st1", 40, 0.9f, 64, true, false, Topics.FRAMES.name()), kafka.clients())) {
      agent.run(new AtomicBoolean(), 0);
      agent.flush();
      return agent.sent();
    }
  }

  /** The dead-letter topic's records as "offset kind: reason", for failure messages. */
  static List<String> deadLetters(LocalKafka kafka) {
    return io.lavmonitor.kafka.TopicReader.committed(kafka.clients(), Topics.DEAD_LETTER,
        Duration.ofSeconds(20)).stream().map(r -> r.offset() + " "
        + io.lavmonitor.wire.DeadLetter.kind(r.headers()) + ": "
        + io.lavmonitor.wire.DeadLetter.reason(r.headers())).toList();
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
      var client = kafka.clients();
      long session = CameraAgent.newSession();
      int total = 4 * fx.frames();
      int firstPart = fx.frames() + fx.frames() / 2; // mid-way through the second cycle
      try (CameraAgent agent = new CameraAgent(new CameraAgent.Settings(
          frames(4, 0, firstPart).toString(), "cam1", "st1", 1000, 0.9f, 1000, false, false,
          Topics.FRAMES.name()), client, session, 0);
           CameraAgent rest = new CameraAgent(new CameraAgent.Settings(
               frames(4, firstPart, total).toString(), "cam1", "st1", 1000, 0.9f, 1000, false,
               false, Topics.FRAMES.name()), client, session, firstPart)) {
        // The first frames wait on the topic before the monitor's first start, with the
        // reference not yet validated: none may be dead-lettered for want of it.
        agent.run(new AtomicBoolean(), 0);
        agent.flush();
        Process a = monitorProcess(cfgFile, dir.resolve("monitor-a.log"));
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
          assertEquals(total, seen.size(), "every frame's progress once; dead letters: "
              + deadLetters(kafka) + "; log:\n" + Files.readString(dir.resolve("monitor-b.log"))
              .lines().filter(l -> !l.contains("NNPACK")).toList());
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
