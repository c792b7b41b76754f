package io.lavmonitor.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.wire.DeadLetter;
import io.lavmonitor.wire.Events;
import io.lavmonitor.wire.ModelUpdate;
import io.lavmonitor.wire.ReferenceRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control records checked once on arrival: valid ones go to the station catalog, bad ones to
 * the dead-letter topic with one alert each, and never into the catalog.
 */
class CatalogProcessorTest {
  @TempDir
  Path dir;
  MockProcessorContext<String, Object> ctx;
  MonitorServices svc;
  ModelRegistry registry;
  CatalogProcessor processor;
  Path store;
  long offset;

  @BeforeEach
  void start() throws Exception {
    store = dir.resolve("models");
    Files.createDirectories(store.resolve("m-1"));
    Files.writeString(store.resolve("m-1/model.json"), "{}");
    Properties p = new Properties();
    p.put("bootstrap.servers", "unused:9092");
    p.put("lav.models.dir", store.toString());
    MonitorConfig cfg = MonitorConfig.of(p, Map.of());
    registry = new ModelRegistry(store, Device.cpu());
    svc = new MonitorServices(cfg, registry, new MonitorMetrics(new PrometheusMeterRegistry(
        PrometheusConfig.DEFAULT)));
    ctx = new MockProcessorContext<>(cfg.streams());
    processor = new CatalogProcessor(svc);
    processor.init(ctx);
  }

  @AfterEach
  void stop() {
    svc.close();
    registry.close();
  }

  void record(String topic, String key, byte[] value) {
    ctx.setRecordMetadata(topic, 0, offset++);
    ctx.setCurrentSystemTimeMs(1000L + offset);
    processor.process(new Record<>(key, value, 1000L));
  }

  static ReferenceRecord reference(String station, int labels, int rows) {
    Random r = new Random(3);
    double[][] emb = new double[rows][4];
    for (double[] row : emb) {
      for (int k = 0; k < 4; k++) {
        row[k] = r.nextGaussian();
      }
    }
    int[] l = new int[labels];
    for (int i = 0; i < labels; i++) {
      l[i] = i * 2 / labels;
    }
    return ReferenceRecord.of(station, "m-1", 10, List.of("a", "b"), l, emb, List.of());
  }

  List<String> accepted() {
    return ctx.forwarded(CatalogProcessor.SINK).stream().map(f -> (String) f.record().key())
        .toList();
  }

  List<String> reasons() {
    return ctx.forwarded(DeadLetters.SINK).stream()
        .map(f -> DeadLetter.reason(f.record().headers())).toList();
  }

  List<String> alerts() {
    return ctx.forwarded("to-anomalies").stream()
        .map(f -> ((Events.Anomaly) f.record().value()).type()).toList();
  }

  @Test
  void references() {
    record("lav.references", "st1", reference("st1", 114, 114).toBytes());
    record("lav.references", "st1", "random bytes".getBytes(StandardCharsets.UTF_8));
    record("lav.references", "st1", reference("st1", 114, 1).toBytes());
    record("lav.references", "st2", reference("st1", 20, 20).toBytes());
    record("lav.references", "a/b", reference("st1", 20, 20).toBytes());
    record("lav.references", "st1", null); // a tombstone removes the reference
    assertEquals(List.of("reference/st1", "reference/st1"), accepted());
    List<String> r = reasons();
    assertEquals(4, r.size(), r.toString());
    assertTrue(r.get(0).startsWith("not a reference record"), r.get(0));
    assertTrue(r.get(1).contains("1 embedding rows of 4 for 114 labels"), r.get(1));
    assertTrue(r.get(2).contains("reference record of station st1 under the key of station st2"),
        r.get(2));
    assertTrue(r.get(3).contains("station id 'a/b' is not"), r.get(3));
    assertEquals(List.of("reference_rejected", "reference_rejected", "reference_rejected",
        "reference_rejected"), alerts());
    Events.Anomaly a = (Events.Anomaly) ctx.forwarded("to-anomalies").get(0).record().value();
    assertEquals("st1", a.station());
    assertTrue(a.message().contains("the last good reference serves on"), a.message());
  }

  @Test
  void modelUpdates() {
    record("lav.models", "st1", new ModelUpdate("m-1", "st1", null, "x", Map.of(), "t")
        .toBytes());
    record("lav.models", "st1", "{\"station\":\"st1\"}".getBytes(StandardCharsets.UTF_8));
    record("lav.models", "st1", new ModelUpdate("m-1", "st1", dir.resolve("nowhere").toUri()
        .toString(), "x", Map.of(), "t").toBytes());
    record("lav.models", "st1", new ModelUpdate("m-2", "st1", null, "x", Map.of(), "t")
        .toBytes());
    record("lav.models", "st1", new ModelUpdate("m-1", "st2", null, "x", Map.of(), "t")
        .toBytes());
    assertEquals(List.of("model/st1"), accepted());
    List<String> r = reasons();
    assertEquals(4, r.size(), r.toString());
    assertEquals("model update without an id", r.get(0));
    assertTrue(r.get(1).startsWith("model m-1: no model at"), r.get(1));
    assertTrue(r.get(2).startsWith("model m-2: no model at"), r.get(2));
    assertTrue(r.get(3).contains("for station st2 under the key of station st1"), r.get(3));
    assertEquals(4, alerts().stream().filter("model_rejected"::equals).count());
  }
}
