package io.lavmonitor.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.wire.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end path of {@link MonitorIntegrationTest} against Kafka in a container, where a
 * Docker engine runs; skipped cleanly elsewhere (the in-process KRaft tests always run).
 */
@Testcontainers(disabledWithoutDocker = true)
class MonitorContainersTest {
  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

  @TempDir
  static Path dir;

  @Test
  @Timeout(300)
  void aVideoThroughTheCameraAgentReachesTheProgressTopic() throws Exception {
    TestLine line = new TestLine(dir);
    String bootstrap = KAFKA.getBootstrapServers();
    Map<String, Object> admin = new HashMap<>();
    admin.put("bootstrap.servers", bootstrap);
    MonitorApp.createTopics(admin, 1);
    line.publishReference(bootstrap);
    MonitorConfig cfg = MonitorConfig.of(line.config(bootstrap, dir.resolve("state")), Map.of());
    try (MonitorApp app = new MonitorApp(cfg)) {
      app.start();
      assertTrue(app.awaitRunning(Duration.ofSeconds(90)));
      try (CameraAgent agent = new CameraAgent(new CameraAgent.Settings(
          line.cycles(2).toString(), "cam1", "st1", 40, 0.9f, 64, true, false,
          Topics.FRAMES.name()), KafkaClients.of(bootstrap))) {
        agent.run(new AtomicBoolean(), 0);
        agent.flush();
        List<JsonNode> progress = MonitorIntegrationTest.awaitCommittedAt(bootstrap,
            Topics.PHASE_PROGRESS, (int) agent.sent(), Duration.ofSeconds(120));
        assertEquals(agent.sent(), progress.size());
      }
    }
  }
}
