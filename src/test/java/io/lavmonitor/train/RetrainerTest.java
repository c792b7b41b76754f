package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.wire.ModelUpdate;
import io.lavmonitor.wire.Topics;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining rounds on an archive of real video cycles, announcing to a real KRaft broker:
 * first model, nothing new, warm start, a candidate kept back, and a broker outage that leaves
 * the current model in place.
 */
class RetrainerTest {
  @TempDir
  Path dir;

  Retrainer.Settings settings(Properties client, double tolerance) {
    return new Retrainer.Settings(TrainingSpec.builder().backbone("small").size(32).dim(8)
        .framesPerVideo(6).stride(3).lr(1e-3).steps(3).seed(1).build(), 2, 5, tolerance,
        Device.cpu(), client == null ? null : new KafkaClients(client), Topics.MODELS);
  }

  /** Copies synthetic videos (and labels) into ARCHIVE/st1 as cycles c0000... */
  void archive(Path ds, Path archive, int from, int to) throws Exception {
    Files.createDirectories(archive.resolve("st1"));
    for (int i = from; i < to; i++) {
      String src = String.format("press_%04d", i);
      String dst = String.format("c%04d", i);
      Files.copy(ds.resolve("videos/" + src + ".mp4"), archive.resolve("st1/" + dst + ".mp4"));
      Files.copy(ds.resolve("labels/" + src + ".json"), archive.resolve("st1/" + dst + ".json"));
    }
  }

  @Test
  void roundsPromoteKeepSkipAndSurviveABrokerOutage() throws Exception {
    Path ds = dir.resolve("ds");
    SynthGenerator.generate(ds, new SynthGenerator.Options(Task.PRESS, 10, 3, 0, 0, 32, 8,
        false, 1), n -> { });
    Path archive = dir.resolve("archive");
    archive(ds, archive, 0, 6);
    ModelStore store = ModelStore.open(dir.resolve("models"));
    try (LocalKafka kafka = LocalKafka.start()) {
      kafka.createTopic("lav.models", 1, Map.of("cleanup.policy", "compact"));
      Properties client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      Retrainer r = new Retrainer(store, archive, settings(client, 0.02));
      assertEquals(List.of("st1"), r.stations());

      Retrainer.Report first = r.round("st1", new AtomicBoolean());
      assertEquals("promoted", first.status(), first.toString());
      assertEquals(first.candidate(), store.current("st1").orElseThrow());
      assertTrue(first.heldOutCycles() >= 2 && first.newCycles() >= 2, first.toString());
      for (String k : new String[] {"kendall_tau", "alignment_cost", "classification",
          "progression"}) {
        assertTrue(first.candidateMetrics().containsKey(k), k + " in " + first);
      }
      ModelCard c1 = store.card(first.candidate());
      assertEquals("st1", c1.station());
      assertNull(c1.parent());

      // The update reached the models topic, keyed by station, naming the stored weights.
      List<ModelUpdate> updates = readUpdates(kafka.bootstrapServers(), 1);
      assertEquals(first.candidate(), updates.get(0).id());
      assertEquals("st1", updates.get(0).station());
      assertEquals(c1.weightsSha256(), updates.get(0).sha256());
      assertTrue(Files.exists(Path.of(java.net.URI.create(updates.get(0).uri()))
          .resolve("model.json")));

      assertEquals("skipped", r.round("st1", new AtomicBoolean()).status(), "nothing new");

      // New cycles: a warm-started candidate; with an impossible bar it is kept back.
      archive(ds, archive, 6, 8);
      Retrainer strict = new Retrainer(store, archive, settings(client, -10));
      Retrainer.Report kept = strict.round("st1", new AtomicBoolean());
      assertEquals("kept", kept.status(), kept.toString());
      assertEquals(first.candidate(), store.current("st1").orElseThrow());
      assertEquals(first.candidate(), store.card(kept.candidate()).parent(), "warm start");
      assertTrue(kept.reason().contains("worse than the current model"), kept.reason());
      assertTrue(kept.replayCycles() > 0, "older cycles replayed: " + kept);

      // Broker unreachable: the round fails and the current model stays.
      archive(ds, archive, 8, 10);
      Properties down = new Properties();
      down.put("bootstrap.servers", "localhost:1");
      // A generous tolerance, so the candidate counts as not worse and is announced.
      Retrainer offline = new Retrainer(store, archive, settings(down, 10));
      Retrainer.Report failed = offline.round("st1", new AtomicBoolean());
      assertEquals("failed", failed.status(), failed.toString());
      assertTrue(failed.reason().contains("cannot publish"), failed.reason());
      assertEquals(first.candidate(), store.current("st1").orElseThrow());
    }
  }

  @Test
  void tooFewCyclesIsReportedNotThrown() throws Exception {
    Path ds = dir.resolve("ds");
    SynthGenerator.generate(ds, new SynthGenerator.Options(Task.PRESS, 2, 3, 0, 0, 32, 8,
        false, 1), n -> { });
    Path archive = dir.resolve("archive");
    archive(ds, archive, 0, 2);
    Files.writeString(archive.resolve("st1/c9999.mp4"), "not a video");
    Retrainer r = new Retrainer(ModelStore.open(dir.resolve("m")), archive,
        settings(null, 0.02));
    Retrainer.Report rep = r.round("st1", new AtomicBoolean());
    assertEquals("skipped", rep.status(), rep.toString());
    // With enough cycles, the broken file fails the round with its name.
    archive(ds, archive, 0, 0);
    for (int i = 0; i < 3; i++) {
      Files.copy(archive.resolve("st1/c0000.mp4"), archive.resolve("st1/d000" + i + ".mp4"));
    }
    Retrainer.Report bad = r.round("st1", new AtomicBoolean());
    assertEquals("failed", bad.status(), bad.toString());
    assertTrue(bad.reason().contains("c9999"), bad.reason());
  }

  static List<ModelUpdate> readUpdates(String bootstrap, int n) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "test-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    List<ModelUpdate> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      c.subscribe(List.of("lav.models"));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < end) {
        for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(500))) {
          assertEquals(ModelUpdate.parse(rec.value()).station(), rec.key());
          out.add(ModelUpdate.parse(rec.value()));
        }
      }
    }
    assertEquals(n, out.size(), "model updates on the topic");
    return out;
  }
}
