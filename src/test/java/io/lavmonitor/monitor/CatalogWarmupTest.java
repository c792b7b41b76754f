package io.lavmonitor.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.Device;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.station.StationCatalog;
import io.lavmonitor.wire.ModelUpdate;
import io.lavmonitor.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker: before the first start, the catalog takes each station's last valid
 * published record, skipping bad ones and removed stations, so the first frames need not wait.
 */
class CatalogWarmupTest {
  @TempDir
  Path dir;

  @Test
  void takesTheLastValidPublishedRecordOfEachStation() throws Exception {
    Path store = dir.resolve("models");
    Files.createDirectories(store.resolve("m-1"));
    Files.writeString(store.resolve("m-1/model.json"), "{}");
    try (LocalKafka kafka = LocalKafka.start(); ModelRegistry reg = new ModelRegistry(store,
        Device.cpu())) {
      var clients = kafka.clients();
      clients.ensureTopics(1);
      var good = CatalogProcessorTest.reference("st1", 20, 20);
      clients.publish(Topics.REFERENCES, "st1", good.toBytes());
      clients.publish(Topics.REFERENCES, "st1", "garbage".getBytes(StandardCharsets.UTF_8));
      clients.publish(Topics.REFERENCES, "st2", CatalogProcessorTest.reference("st2", 20, 20)
          .toBytes());
      clients.publish(Topics.REFERENCES, "st2", null); // removed
      clients.publish(Topics.MODELS, "st1", new ModelUpdate("m-1", "st1", null, "x", Map.of(),
          "t").toBytes());
      StationCatalog catalog = new StationCatalog(reg);
      CatalogWarmup.run(clients, catalog, Duration.ofSeconds(30));
      assertEquals(20, catalog.reference("st1").record().frameLabels().length);
      assertEquals(good.embeddings(), catalog.reference("st1").record().embeddings());
      assertNull(catalog.reference("st2"));
      assertEquals("m-1", catalog.modelUpdate("st1").id());
    }
  }
}
