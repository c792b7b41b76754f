package io.lavmonitor.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.wire.DeadLetter;
import io.lavmonitor.wire.Events;
import io.lavmonitor.wire.FrameEnvelope;
import io.lavmonitor.wire.ModelUpdate;
import io.lavmonitor.wire.Signal;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The camera processor on its own, in the style of Kafka's WordCountProcessorTest: under a
 * {@link MockProcessorContext}, records fed one by one, the wall-clock punctuator fired by hand,
 * with the shipped model (real libtorch) and real JPEG frames.
 */
class CameraProcessorTest {
  @TempDir
  static Path dir;
  static MonitorFixture fx;

  @TempDir
  Path taskDir;

  MockProcessorContext<String, Object> ctx;
  MonitorServices svc;
  ModelRegistry registry;
  CameraProcessor processor;
  KeyValueStore<String, byte[]> states;
  KeyValueStore<String, byte[]> catalogStore;
  KeyValueStore<String, byte[]> calibrationStore;
  long offset;
  long now = 1_764_403_200_000L;

  @BeforeAll
  static void fixture() throws Exception {
    fx = new MonitorFixture(dir);
  }

  static KeyValueStore<String, byte[]> store(MockProcessorContext<String, Object> ctx,
                                             String name) {
    KeyValueStore<String, byte[]> s = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
        org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(name), Serdes.String(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    s.init(ctx.getStateStoreContext(), s);
    ctx.addStateStore(s);
    return s;
  }

  void start(Map<String, String> extra) {
    Properties p = new Properties();
    p.put("bootstrap.servers", "unused:9092");
    p.put("application.id", "lav-unit");
    p.put("lav.models.dir", fx.store.toString());
    p.put("lav.stations", "st1");
    p.putAll(extra);
    MonitorConfig cfg = MonitorConfig.of(p, Map.of());
    registry = new ModelRegistry(fx.store, Device.cpu());
    svc = new MonitorServices(cfg, registry, new MonitorMetrics(new PrometheusMeterRegistry(
        PrometheusConfig.DEFAULT)));
    ctx = new MockProcessorContext<>(cfg.streams(), new TaskId(0, 0), taskDir.toFile());
    states = store(ctx, Stores.CAMERA_STATE);
    store(ctx, Stores.CAMERA_TRACK);
    catalogStore = store(ctx, Stores.CATALOG);
    calibrationStore = store(ctx, Stores.CALIBRATION);
    catalogStore.put("reference/st1", fx.reference.toBytes());
    processor = new CameraProcessor(svc);
    processor.init(ctx);
  }

  @AfterEach
  void stop() {
    if (processor != null) {
      processor.close();
    }
    if (svc != null) {
      svc.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  void record(String topic, String key, byte[] value, RecordHeaders headers) {
    now += 100;
    ctx.setCurrentSystemTimeMs(now);
    ctx.setRecordMetadata(topic, 0, offset++);
    processor.process(new Record<>(key, value, now, headers));
  }

  void frame(String camera, byte[] envelope) {
    record("lav.frames", camera, envelope, MonitorFixture.station("st1"));
  }

  byte[] envelope(long session, long seq, int i) throws Exception {
    FrameEnvelope e = MonitorFixture.envelope(fx.jpegs.get(i % fx.frames()), seq, now * 1000);
    return new FrameEnvelope(e.captureMicros(), session, seq, e.width(), e.height(),
        e.encoding(), e.payload()).encode();
  }

  List<Record<?, ?>> out(String child) {
    List<Record<?, ?>> out = new java.util.ArrayList<>();
    for (var f : ctx.forwarded(child)) {
      out.add(f.record());
    }
    return out;
  }

  List<String> deadKinds() {
    return out(DeadLetters.SINK).stream().map(r -> DeadLetter.kind(r.headers())).toList();
  }

  List<String> alerts() {
    return out("to-anomalies").stream().map(r -> ((Events.Anomaly) r.value()).type()).toList();
  }

  @Test
  void anAgentThatRestartsMidStreamIsNotRefused() throws Exception {
    start(Map.of());
    int half = fx.frames() / 2;
    for (int i = 0; i < half; i++) {
      frame("cam1", envelope(111, i + 1, i));
    }
    // The agent restarts: a new session, counting from 1 again.
    for (int i = half; i < fx.frames(); i++) {
      frame("cam1", envelope(222, i - half + 1, i));
    }
    assertEquals(List.of(), deadKinds());
    assertEquals(fx.frames(), out("to-progress").size(), "every frame's progress");
    // A late frame of the old session is refused.
    frame("cam1", envelope(111, half + 1, 0));
    assertEquals(List.of("stale_session"), deadKinds());
    // Version-1 envelopes (no session) still decode and are judged in session 0.
    FrameEnvelope v1 = MonitorFixture.envelope(fx.jpegs.get(0), 1, now * 1000);
    frame("cam2", v1.encodeV1());
    assertEquals(List.of("stale_session"), deadKinds());
    assertEquals(fx.frames() + 1, out("to-progress").size());
  }

  @Test
  void recordsThatCannotBeUsedAreDeadLetteredNeverThrown() throws Exception {
    start(Map.of());
    frame("cam1", envelope(1, 1, 0));
    // A PNG whose header claims 16000 x 16000 (1 GB decoded): refused from its header.
    byte[] liar = io.lavmonitor.video.ImageDecoderTest.lyingPng(16000, 16000);
    frame("cam1", new FrameEnvelope(0, 1, 2, 112, 112, FrameEnvelope.Encoding.PNG, liar)
        .encode());
    // 1.5 MiB that are not an envelope: kept whole.
    byte[] junk = new byte[3 << 19];
    frame("cam1", junk);
    // 8 MiB: above lav.frames.max-bytes and the dead-letter topic's limit: a truncated copy.
    byte[] huge = new byte[8 << 20];
    frame("cam1", huge);
    // A 1.2 MB camera id: not a camera id (nor a state store key), but it fits a dead letter.
    frame("c".repeat(1_200_000), envelope(1, 3, 1));
    // A station header without a value.
    RecordHeaders nullStation = new RecordHeaders();
    nullStation.add("lav.station", null);
    record("lav.frames", "cam1", envelope(1, 4, 1), nullStation);
    List<Record<?, ?>> dead = out(DeadLetters.SINK);
    assertEquals(List.of("oversized", "undecodable", "oversized", "bad_camera", "no_station"),
        deadKinds());
    assertEquals(3 << 19, ((byte[]) dead.get(1).value()).length, "kept whole");
    assertEquals(64 * 1024, ((byte[]) dead.get(2).value()).length, "truncated");
    assertEquals(Integer.toString(8 << 20), new String(dead.get(2).headers()
        .lastHeader(DeadLetter.VALUE_BYTES).value(), StandardCharsets.UTF_8));
    assertEquals(1_200_000, ((String) dead.get(3).key()).length(), "within the limit: whole");
    // The camera goes on.
    frame("cam1", envelope(1, 5, 2));
    assertEquals(2, out("to-progress").size());
  }

  @Test
  void anUndecodableStateIsDeadLetteredAndTheCameraStartsAfresh() throws Exception {
    start(Map.of());
    byte[] garbage = "not a camera state".getBytes(StandardCharsets.UTF_8);
    states.put("cam1", garbage);
    processor.close();
    processor = new CameraProcessor(svc);
    processor.init(ctx);
    // The wall-clock check meets it first (a restored task): it neither throws nor repeats.
    ctx.setCurrentSystemTimeMs(now);
    ctx.scheduledPunctuators().get(ctx.scheduledPunctuators().size() - 1).getPunctuator()
        .punctuate(now);
    frame("cam1", envelope(1, 1, 0));
    assertEquals(List.of("bad_state"), deadKinds());
    Record<?, ?> dead = out(DeadLetters.SINK).get(0);
    assertEquals("not a camera state", new String((byte[]) dead.value(),
        StandardCharsets.UTF_8));
    assertEquals(Stores.CAMERA_STATE, new String(dead.headers().lastHeader(DeadLetter.TOPIC)
        .value(), StandardCharsets.UTF_8));
    assertEquals(List.of("state_reset"), alerts());
    assertEquals(1, out("to-progress").size(), "the frame itself is processed");
  }

  @Test
  void silenceCountsFromTheLastRecordReceived() throws Exception {
    start(Map.of("lav.anomaly.silent.seconds", "10"));
    frame("cam1", envelope(1, 1, 0));
    var silence = ctx.scheduledPunctuators().get(0).getPunctuator();
    // Twenty seconds of frames that cannot be used: the camera is not silent.
    for (int i = 0; i < 20; i++) {
      now += 900;
      frame("cam1", "garbage".getBytes(StandardCharsets.UTF_8));
      silence.punctuate(now);
    }
    assertEquals(List.of(), alerts());
    now += 15_000;
    silence.punctuate(now);
    silence.punctuate(now + 1000);
    assertEquals(List.of("camera_silent"), alerts(), "once");
  }

  @Test
  void aRecordThatEndedTheProcessTwiceIsSkipped() throws Exception {
    // The last two runs died while processing offset 1 (the marker counts earlier deaths).
    Files.writeString(taskDir.resolve(PoisonGuard.FILE), PoisonGuard.marker("lav.frames", 0, 1)
        + " 1");
    start(Map.of());
    frame("cam1", envelope(1, 1, 0)); // offset 0
    frame("cam1", envelope(1, 2, 1)); // offset 1: the one the process died on twice
    frame("cam1", envelope(1, 3, 2)); // offset 2
    assertEquals(List.of("poison"), deadKinds());
    assertEquals(2, out("to-progress").size());
  }

  @Test
  void aRecordInFlightWhenTheProcessWasKilledOnceIsProcessed() throws Exception {
    // Killed from outside while processing offset 1: that record is innocent, most likely.
    Files.writeString(taskDir.resolve(PoisonGuard.FILE), PoisonGuard.marker("lav.frames", 0, 1)
        + " 0");
    start(Map.of());
    frame("cam1", envelope(1, 1, 0));
    frame("cam1", envelope(1, 2, 1));
    assertEquals(List.of(), deadKinds());
    assertEquals(2, out("to-progress").size());
    assertEquals("", Files.readString(taskDir.resolve(PoisonGuard.FILE)), "cleared after it");
  }

  /**
   * A cycle the camera learns from is shared with its station (a record keyed st1/cam1 on
   * lav.calibration); another camera of the station reads it from the global store, so its
   * first cycle's threshold is the station's calibrated one, not the default.
   */
  @Test
  void whatACameraLearnsIsSharedWithItsStation() throws Exception {
    start(Map.of("lav.anomaly.cost.calibration-cycles", "1"));
    long seq = 1;
    for (int c = 0; c < 2; c++) {
      record("lav.signals", "cam1", new Signal("start", now).toBytes(), new RecordHeaders());
      for (int i = 0; i < fx.frames(); i++) {
        frame("cam1", envelope(1, seq++, i));
      }
      record("lav.signals", "cam1", new Signal("stop", now).toBytes(), new RecordHeaders());
    }
    List<Record<?, ?>> shared = out("to-calibration");
    assertEquals(2, shared.size(), "one record per learnt cycle");
    assertEquals("st1/cam1", shared.get(1).key());
    io.lavmonitor.engine.StationCalibration.Peer p = io.lavmonitor.engine.StationCalibration
        .read((byte[]) shared.get(1).value());
    assertEquals("cam1", p.camera());
    assertEquals(2, p.costs().size());
    // As the global store would hold it; cam2 has no cycle of its own yet.
    calibrationStore.put("st1/cam1", (byte[]) shared.get(1).value());
    record("lav.signals", "cam2", new Signal("start", now).toBytes(), new RecordHeaders());
    frame("cam2", envelope(1, 1, 0));
    record("lav.signals", "cam2", new Signal("start", now).toBytes(), new RecordHeaders());
    for (int i = 0; i < fx.frames(); i++) {
      frame("cam2", envelope(1, i + 2, (i + fx.frames() / 2) % fx.frames())); // out of step
    }
    record("lav.signals", "cam2", new Signal("stop", now).toBytes(), new RecordHeaders());
    List<Events.Anomaly> cam2 = out("to-anomalies").stream().map(r -> (Events.Anomaly) r.value())
        .filter(a -> a.camera().equals("cam2") && a.type().equals("cycle_cost")).toList();
    assertEquals(1, cam2.size(), out("to-anomalies").toString());
    assertEquals(true, cam2.get(0).evidence().get("calibrated"), "the station's calibration");
  }

  @Test
  void signalsShareTheCameraWithItsFrames() throws Exception {
    start(Map.of());
    record("lav.signals", "cam1", new Signal("start", now).toBytes(), new RecordHeaders());
    assertEquals(List.of("bad_signal"), deadKinds(), "no frames yet");
    frame("cam1", envelope(1, 1, 0));
    record("lav.signals", "cam1", new Signal("start", now).toBytes(), new RecordHeaders());
    for (int i = 0; i < fx.frames(); i++) {
      frame("cam1", envelope(1, i + 2, i));
    }
    record("lav.signals", "cam1", new Signal("stop", now).toBytes(), new RecordHeaders());
    List<Record<?, ?>> cycles = out("to-cycles");
    assertEquals(1, cycles.size());
    assertEquals("signal", ((Events.CycleSummary) cycles.get(0).value()).boundary());
    assertEquals(2, ((Events.CycleSummary) cycles.get(0).value()).startSequence());
    record("lav.signals", "cam1", "{\"type\":\"pause\"}".getBytes(StandardCharsets.UTF_8),
        new RecordHeaders());
    assertEquals(List.of("bad_signal", "bad_signal"), deadKinds());
  }

  @Test
  void aNewModelIsPreparedInTheBackgroundAndTakenAtABoundary() throws Exception {
    start(Map.of());
    for (int i = 0; i < fx.frames(); i++) {
      frame("cam1", envelope(1, i + 1, i));
    }
    byte[] update = new ModelUpdate(fx.modelB, "st1", null, "x", Map.of(), "now").toBytes();
    catalogStore.put("model/st1", update);
    svc.catalog().apply("model/st1", update); // as the global store's updater does
    long seq = fx.frames();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < fx.frames(); i++) {
        frame("cam1", envelope(1, ++seq, i));
      }
      if (c == 0) {
        svc.preparer().prepare(svc.catalog().reference("st1"), fx.modelB, null).join();
      }
    }
    List<String> models = out("to-progress").stream()
        .map(r -> ((Events.Progress) r.value()).modelId()).toList();
    assertEquals(4 * fx.frames(), models.size(), "no frame waited or was lost");
    int first = models.indexOf(fx.modelB);
    assertTrue(first > fx.frames(), "switched at " + first);
    assertTrue(models.subList(first, models.size()).stream().allMatch(fx.modelB::equals));
    assertEquals(List.of(), deadKinds());
  }

  @Test
  void signalsAfterASwapToAModelDeliveredByUri() throws Exception {
    // A model that exists only at the place its update names, not in the monitor's store.
    io.lavmonitor.model.ModelStore other = io.lavmonitor.model.ModelStore.open(dir.resolve(
        "elsewhere"));
    io.lavmonitor.model.ModelCard shipped = io.lavmonitor.model.ModelStore.resolve(
        fx.store.resolve(fx.modelA)).card();
    String c = other.add(fx.store.resolve(fx.modelA).resolve("encoder.params"),
        io.lavmonitor.model.ModelCard.draft(shipped.backbone(), shipped.inputSize(),
            shipped.contextFrames(), shipped.contextStride(), shipped.embeddingDim(), null,
            null, Map.of(), Map.of(), Map.of())).id();
    String uri = other.dir(c).toUri().toString();
    start(Map.of());
    frame("cam1", envelope(1, 1, 0));
    record("lav.signals", "cam1", new Signal("stop", now).toBytes(), new RecordHeaders());
    byte[] update = new ModelUpdate(c, "st1", uri, "x", Map.of(), "now").toBytes();
    catalogStore.put("model/st1", update);
    svc.catalog().apply("model/st1", update);
    svc.preparer().prepare(svc.catalog().reference("st1"), c, uri).join();
    frame("cam1", envelope(1, 2, 1)); // between cycles: the camera switches
    record("lav.signals", "cam1", new Signal("start", now).toBytes(), new RecordHeaders());
    for (int i = 0; i < fx.frames(); i++) {
      frame("cam1", envelope(1, i + 3, i));
    }
    record("lav.signals", "cam1", new Signal("stop", now).toBytes(), new RecordHeaders());
    assertEquals(List.of(), deadKinds());
    List<Record<?, ?>> cycles = out("to-cycles");
    assertEquals(c, ((Events.CycleSummary) cycles.get(cycles.size() - 1).value()).modelId());
  }
}
