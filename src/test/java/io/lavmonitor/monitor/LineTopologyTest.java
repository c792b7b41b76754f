package io.lavmonitor.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.wire.DeadLetter;
import io.lavmonitor.wire.ModelUpdate;
import io.lavmonitor.wire.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor topology in Kafka's TopologyTestDriver with real libtorch encoders and real JPEG
 * frames of a synthetic assembly station: progress, cycle completion, each anomaly rule, the
 * dead-letter branch, model swap between cycles, and state restore.
 */
class LineTopologyTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static MonitorFixture fx;

  @TempDir
  Path stateDir;

  TopologyTestDriver driver;
  ModelRegistry registry;
  MonitorServices svc;
  TestInputTopic<String, byte[]> frames;
  TestInputTopic<String, byte[]> refs;
  TestInputTopic<String, byte[]> models;
  TestInputTopic<String, byte[]> signals;
  TestOutputTopic<String, byte[]> progress;
  TestOutputTopic<String, byte[]> cycles;
  TestOutputTopic<String, byte[]> anomalies;
  TestOutputTopic<String, byte[]> archive;
  TestOutputTopic<String, byte[]> dlq;
  PrometheusMeterRegistry prometheus;
  long seq;
  Instant clock = Instant.parse("2026-11-29T08:00:00Z");

  static long frameMicros; // the camera runs at the reference's frame rate

  @BeforeAll
  static void fixture() throws Exception {
    fx = new MonitorFixture(dir);
    frameMicros = Math.round(1e6 / fx.labels.fps());
  }

  void start(Map<String, String> extra) {
    Properties p = new Properties();
    p.put("bootstrap.servers", "unused:9092");
    p.put("application.id", "lav-monitor-test");
    p.put("state.dir", stateDir.toString());
    p.put("lav.models.dir", fx.store.toString());
    p.put("lav.stations", "st1");
    p.put("lav.anomaly.cost.calibration-cycles", "2");
    p.putAll(extra);
    MonitorConfig cfg = MonitorConfig.of(p, Map.of());
    registry = new ModelRegistry(fx.store, Device.cpu());
    prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    svc = new MonitorServices(cfg, registry, new MonitorMetrics(prometheus));
    driver = new TopologyTestDriver(LineTopology.build(svc), cfg.streams(), clock);
    StringSerializer ss = new StringSerializer();
    ByteArraySerializer bs = new ByteArraySerializer();
    frames = driver.createInputTopic(Topics.FRAMES.name(), ss, bs);
    refs = driver.createInputTopic(Topics.REFERENCES.name(), ss, bs);
    models = driver.createInputTopic(Topics.MODELS.name(), ss, bs);
    signals = driver.createInputTopic(Topics.SIGNALS.name(), ss, bs);
    StringDeserializer sd = new StringDeserializer();
    ByteArrayDeserializer bd = new ByteArrayDeserializer();
    progress = driver.createOutputTopic(Topics.PHASE_PROGRESS.name(), sd, bd);
    cycles = driver.createOutputTopic(Topics.CYCLES.name(), sd, bd);
    anomalies = driver.createOutputTopic(Topics.ANOMALIES.name(), sd, bd);
    archive = driver.createOutputTopic(Topics.ARCHIVE.name(), sd, bd);
    dlq = driver.createOutputTopic(Topics.DEAD_LETTER.name(), sd, bd);
    refs.pipeInput("st1", fx.reference.toBytes());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (svc != null) {
      svc.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  void frame(String camera, byte[] jpeg) throws Exception {
    seq++;
    clock = clock.plusNanos(frameMicros * 1000);
    long micros = clock.toEpochMilli() * 1000;
    // The wall clock is the driver's: a frame arrives the moment it is captured.
    driver.advanceWallClockTime(Duration.ofNanos(frameMicros * 1000));
    frames.pipeInput(new TestRecord<>(camera, MonitorFixture.envelope(jpeg, seq, micros)
        .encode(), MonitorFixture.station("st1"), clock));
  }

  void cycle(String camera) throws Exception {
    for (byte[] j : fx.jpegs) {
      frame(camera, j);
    }
  }

  static List<JsonNode> read(TestOutputTopic<String, byte[]> t) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (byte[] v : t.readValuesToList()) {
      out.add(JSON.readTree(v));
    }
    return out;
  }

  static List<String> types(List<JsonNode> anomalies) {
    return anomalies.stream().map(a -> a.get("type").asText()).toList();
  }

  @Test
  void framesGiveProgressAndCompletedCycles() throws Exception {
    start(Map.of());
    for (int c = 0; c < 3; c++) {
      cycle("cam1");
    }
    List<JsonNode> p = read(progress);
    assertEquals(3 * fx.frames(), p.size(), "one progress record per frame");
    // On the first cycle the aligner should name the labelled phase for most frames.
    int agree = 0;
    for (int i = 0; i < fx.frames(); i++) {
      agree += p.get(i).get("phase").asText().equals(fx.labels.phaseAt(i)) ? 1 : 0;
      assertEquals("st1", p.get(i).get("station").asText());
    }
    assertTrue(agree >= 0.8 * fx.frames(), agree + " of " + fx.frames() + " phases right");
    double top = p.subList(0, fx.frames()).stream().mapToDouble(x -> x.get("progress")
        .asDouble()).max().orElseThrow();
    assertTrue(top > 0.85, "progress reaches " + top + " in the first cycle");
    assertTrue(p.get(fx.frames() / 2).get("latency_ms").asDouble() >= 0);

    List<JsonNode> c = read(cycles);
    assertTrue(c.size() >= 2, "two cycles confirmed, got " + c);
    JsonNode first = c.get(0);
    assertEquals("cam1-0", first.get("cycle_id").asText());
    double refSeconds = fx.frames() / fx.labels.fps();
    assertEquals(refSeconds, first.get("duration_s").asDouble(), 0.2 * refSeconds);
    assertEquals(fx.labels.phases().size(), first.get("phases").size());
    for (JsonNode ph : first.get("phases")) {
      assertEquals(ph.get("reference_seconds").asDouble(), ph.get("seconds").asDouble(),
          0.5 * ph.get("reference_seconds").asDouble() + 0.25, ph.toString());
    }
    assertTrue(first.get("cost").asDouble() < 0.2, first.toString());
    assertEquals(fx.modelA, first.get("model_id").asText());
    assertEquals(List.of(), types(read(anomalies)), "normal cycles raise nothing");
    // Every 5th frame goes to the archive as it arrives, numbered among the camera's frames;
    // the cycle records name the frame range of each cycle.
    List<TestRecord<String, byte[]>> arch = archive.readRecordsToList();
    assertEquals(3 * fx.frames() / 5, arch.size());
    assertEquals("st1", arch.get(0).key());
    assertEquals("4", new String(arch.get(0).headers().lastHeader("lav.frame").value(),
        StandardCharsets.UTF_8));
    assertTrue(first.get("end_frame").asLong() > first.get("start_frame").asLong());
    assertTrue(dlq.isEmpty());
    String scrape = prometheus.scrape();
    assertTrue(scrape.contains("lav_frames_total{result=\"processed\"} " + 3 * fx.frames()
        + ".0"), scrape);
    assertTrue(scrape.contains("lav_cycle_duration_seconds_count{station=\"st1\"}"));
  }

  @Test
  void anomalyRulesFire() throws Exception {
    start(Map.of());
    cycle("cam1");
    cycle("cam1");
    // Skipped phase: a cycle without the frames of its third phase.
    int skip = 2;
    String skipped = fx.labels.phases().get(skip);
    for (int i = 0; i < fx.frames(); i++) {
      if (fx.labels.frameLabels()[i] != skip) {
        frame("cam1", fx.jpegs.get(i));
      }
    }
    cycle("cam1");
    cycle("cam1");
    List<JsonNode> a = read(anomalies);
    // The online path may attribute the transition to a neighbour of the removed phase; the
    // cycle must be the third.
    java.util.Set<String> near = java.util.Set.of(fx.labels.phases().get(skip - 1), skipped,
        fx.labels.phases().get(skip + 1));
    List<JsonNode> sk = a.stream().filter(x -> x.get("type").asText().equals("skipped_phase"))
        .toList();
    assertTrue(!sk.isEmpty() && sk.stream().allMatch(x -> x.get("cycle_id").asText()
        .equals("cam1-2") && near.contains(x.get("phase").asText())), "skipped " + skipped
        + ": " + a);
    assertFalse(types(a).contains("stall"), "no stall in moving cycles: " + a);

    // Stall: the station freezes mid-cycle for four times its longest phase.
    int mid = fx.frames() / 2;
    int longest = 0;
    for (int p = 0; p < fx.labels.phases().size(); p++) {
      int n = 0;
      for (int l : fx.labels.frameLabels()) {
        n += l == p ? 1 : 0;
      }
      longest = Math.max(longest, n);
    }
    for (int i = 0; i < mid; i++) {
      frame("cam1", fx.jpegs.get(i));
    }
    for (int i = 0; i < 4 * longest; i++) {
      frame("cam1", fx.jpegs.get(mid));
    }
    for (int i = mid; i < fx.frames(); i++) {
      frame("cam1", fx.jpegs.get(i));
    }
    a = read(anomalies);
    final List<JsonNode> a0 = a;
    JsonNode stall = a.stream().filter(x -> x.get("type").asText().equals("stall"))
        .findFirst().orElseThrow(() -> new AssertionError("no stall in " + types(a0)));
    assertTrue(stall.get("evidence").get("stuck_seconds").asDouble()
        > stall.get("evidence").get("limit_seconds").asDouble());

    // Camera silent: nothing for 15 s of wall clock.
    driver.advanceWallClockTime(Duration.ofSeconds(15));
    a = read(anomalies);
    assertEquals(List.of("camera_silent"), types(a));
    assertEquals("cam1", a.get(0).get("camera").asText());
  }

  static byte[] noise(long seed) throws Exception {
    BufferedImage img = new BufferedImage(MonitorFixture.SIZE, MonitorFixture.SIZE,
        BufferedImage.TYPE_3BYTE_BGR);
    Random r = new Random(seed);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, r.nextInt(0xffffff));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  static byte[] solid(Color c) throws Exception {
    BufferedImage img = new BufferedImage(MonitorFixture.SIZE, MonitorFixture.SIZE,
        BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  /** The cheapest squared distance of any of the frames' embeddings to any reference frame. */
  static double minCost(List<byte[]> jpegs) {
    double[][] ref = fx.reference.embeddingRows();
    try (ModelRegistry reg = new ModelRegistry(fx.store, Device.cpu())) {
      double best = Double.MAX_VALUE;
      for (double[] q : MonitorFixture.embed(reg.get(fx.modelA, null), jpegs)) {
        for (double[] rr : ref) {
          double d = 0;
          for (int k = 0; k < q.length; k++) {
            d += (q[k] - rr[k]) * (q[k] - rr[k]);
          }
          best = Math.min(best, d);
        }
      }
      return best;
    }
  }

  @Test
  void unknownContentAndCostlyCyclesAreAlerted() throws Exception {
    // How far normal frames lie from the reference on this (untrained) model, measured here.
    start(Map.of());
    cycle("cam1");
    cycle("cam1");
    double maxNormal = read(progress).stream().mapToDouble(x -> x.get("local_cost").asDouble())
        .max().orElseThrow();
    stop();
    // Foreign content: the candidate least like the reference (all measured, none assumed).
    // Longer than the context reach (stride 15): the later frames are foreign in context too.
    int run = 40;
    List<List<byte[]>> candidates = new ArrayList<>();
    for (Color c : new Color[] {Color.WHITE, Color.BLACK, Color.MAGENTA}) {
      candidates.add(java.util.Collections.nCopies(run, solid(c)));
    }
    List<byte[]> noise = new ArrayList<>();
    for (int i = 0; i < run; i++) {
      noise.add(noise(i));
    }
    candidates.add(noise);
    List<byte[]> foreign = null;
    double foreignCost = 0;
    for (List<byte[]> c : candidates) {
      double cost = minCost(c);
      if (cost > foreignCost) {
        foreignCost = cost;
        foreign = c;
      }
    }
    assertTrue(foreignCost > 1.2 * maxNormal, "foreign frames cost from " + foreignCost
        + ", normal up to " + maxNormal + ": this model cannot tell them apart");
    double threshold = (foreignCost + maxNormal) / 2;
    seq = 0;
    clock = Instant.parse("2026-11-29T08:00:00Z");
    stateDir = Files.createTempDirectory(dir, "unknown");
    start(Map.of("lav.anomaly.unknown.cost", Double.toString(threshold),
        "lav.anomaly.unknown.frames", "8"));
    cycle("cam1");
    cycle("cam1");
    cycle("cam1");
    assertEquals(List.of(), types(read(anomalies)));
    for (byte[] n : foreign) {
      frame("cam1", n);
    }
    List<JsonNode> a = read(anomalies);
    assertEquals(List.of("unknown_content"), types(a), a.toString());
    assertEquals(8, a.get(0).get("evidence").get("frames").asInt());
    // A cycle that matches badly throughout (half of every frame darkened), after calibration.
    for (byte[] j : fx.jpegs) {
      frame("cam1", darken(j));
    }
    cycle("cam1");
    cycle("cam1");
    List<JsonNode> after = read(anomalies);
    assertTrue(types(after).contains("cycle_cost"), after.toString());
    JsonNode cc = after.stream().filter(x -> x.get("type").asText().equals("cycle_cost"))
        .findFirst().orElseThrow();
    assertTrue(cc.get("evidence").get("cost").asDouble()
        > cc.get("evidence").get("threshold").asDouble());
  }

  static byte[] darken(byte[] jpeg) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(),
        BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.drawImage(img, 0, 0, null);
    g.setColor(new Color(0, 0, 0, 150));
    g.fillRect(0, 0, img.getWidth(), img.getHeight() / 2);
    g.dispose();
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ImageIO.write(out, "jpg", o);
    return o.toByteArray();
  }

  @Test
  void badInputGoesToTheDeadLetterTopicWithItsReason() throws Exception {
    start(Map.of("lav.frames.max-bytes", "200000"));
    frame("cam1", fx.jpegs.get(0));
    long last = seq;
    frames.pipeInput(new TestRecord<>("cam1", "garbage".getBytes(StandardCharsets.UTF_8),
        MonitorFixture.station("st1"), clock));
    frames.pipeInput(new TestRecord<>("cam1", MonitorFixture.envelope(fx.jpegs.get(1), ++seq,
        0).encode(), new org.apache.kafka.common.header.internals.RecordHeaders(), clock));
    frames.pipeInput(new TestRecord<>("cam1", MonitorFixture.envelope(fx.jpegs.get(1), ++seq,
        0).encode(), MonitorFixture.station("st9"), clock));
    frames.pipeInput(new TestRecord<>("cam1", MonitorFixture.envelope(fx.jpegs.get(1), last,
        0).encode(), MonitorFixture.station("st1"), clock));
    io.lavmonitor.wire.FrameEnvelope good = MonitorFixture.envelope(fx.jpegs.get(1), ++seq, 0);
    frames.pipeInput(new TestRecord<>("cam1", new io.lavmonitor.wire.FrameEnvelope(0, ++seq,
        good.width() + 1, good.height(), good.encoding(), good.payload()).encode(),
        MonitorFixture.station("st1"), clock));
    frames.pipeInput(new TestRecord<>("cam1", new io.lavmonitor.wire.FrameEnvelope(0, ++seq,
        10, 10, good.encoding(), "not a jpeg".getBytes(StandardCharsets.UTF_8)).encode(),
        MonitorFixture.station("st1"), clock));
    frames.pipeInput(new TestRecord<>("cam1", new byte[300_000],
        MonitorFixture.station("st1"), clock));
    List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
    List<String> reasons = dead.stream().map(r -> new String(r.headers()
        .lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8)).toList();
    assertEquals(7, dead.size(), reasons.toString());
    String[] expected = {"too short", "no lav.station header", "unknown station 'st9'",
        "repeated", "the envelope says", "undecodable image",
        "exceeds lav.frames.max-bytes=200000"};
    for (int i = 0; i < expected.length; i++) {
      assertTrue(reasons.get(i).contains(expected[i]), reasons.get(i) + " / " + expected[i]);
      assertEquals(Topics.FRAMES.name(), new String(dead.get(i).headers()
          .lastHeader(DeadLetter.TOPIC).value(), StandardCharsets.UTF_8));
      assertEquals("cam1", dead.get(i).key());
    }
    assertEquals("garbage", new String(dead.get(0).value(), StandardCharsets.UTF_8),
        "the original bytes are kept");
    // The application goes on: the next good frame is processed.
    frame("cam1", fx.jpegs.get(2));
    assertEquals(2, read(progress).size());
    assertTrue(prometheus.scrape().contains("lav_frames_total{result=\"out_of_order\"} 1.0"));
    // A camera of a station without a reference.
    refs.pipeInput("st1", (byte[]) null);
    frame("cam1", fx.jpegs.get(3));
    assertTrue(new String(dlq.readRecord().headers().lastHeader(DeadLetter.REASON).value(),
        StandardCharsets.UTF_8).contains("no reference"));
  }

  @Test
  void modelSwapHappensBetweenCyclesAndABadModelIsRejected() throws Exception {
    start(Map.of());
    cycle("cam1");
    int half = fx.frames() / 2;
    for (int i = 0; i < half; i++) {
      frame("cam1", fx.jpegs.get(i));
    }
    // A new model for the station arrives mid-cycle.
    models.pipeInput("st1", new ModelUpdate(fx.modelB, "st1", null, "x", Map.of(), "now")
        .toBytes());
    svc.preparer().prepare(svc.catalog().reference("st1"), fx.modelB, null).join();
    for (int i = half; i < fx.frames(); i++) {
      frame("cam1", fx.jpegs.get(i));
    }
    cycle("cam1");
    cycle("cam1");
    cycle("cam1");
    List<JsonNode> p = read(progress);
    assertEquals(5 * fx.frames(), p.size(), "no frame dropped or repeated");
    int firstB = -1;
    for (int i = 0; i < p.size(); i++) {
      if (p.get(i).get("model_id").asText().equals(fx.modelB)) {
        firstB = i;
        break;
      }
    }
    // The update came at frame fx.frames() + half, mid-way through the second cycle: the switch
    // comes after it, and stays.
    assertTrue(firstB > fx.frames() + half, "switched at " + firstB);
    for (int i = firstB; i < p.size(); i++) {
      assertEquals(fx.modelB, p.get(i).get("model_id").asText(), "frame " + i);
    }
    // Never mid-cycle: every frame of every reported cycle ran under one model.
    List<JsonNode> cs = read(cycles);
    assertTrue(cs.size() >= 3, cs.toString());
    for (JsonNode c : cs) {
      long from = c.get("start_sequence").asLong();
      long to = c.get("end_sequence").asLong();
      java.util.Set<String> models = new java.util.HashSet<>();
      for (JsonNode x : p) {
        long q = x.get("sequence").asLong();
        if (q >= from && q <= to) {
          models.add(x.get("model_id").asText());
        }
      }
      assertEquals(1, models.size(), "cycle " + c.get("cycle_id") + " ran under " + models);
      assertEquals(models.iterator().next(), c.get("model_id").asText());
    }
    assertTrue(prometheus.scrape().contains("lav_active_model{model=\"" + fx.modelB
        + "\",station=\"st1\"} 1.0"), prometheus.scrape());

    // A model whose weights do not match its card is rejected once; the current one stays.
    Path bad = dir.resolve("bad-model");
    if (!Files.exists(bad)) {
      Files.createDirectories(bad);
      Path src = fx.store.resolve(fx.modelA);
      Files.copy(src.resolve("model.json"), bad.resolve("model.json"));
      byte[] w = Files.readAllBytes(src.resolve("encoder.params"));
      w[w.length / 2] ^= 1;
      Files.write(bad.resolve("encoder.params"), w);
    }
    models.pipeInput("st1", new ModelUpdate(fx.modelA, "st1", bad.toUri().toString(), "x",
        Map.of(), "now").toBytes());
    cycle("cam1");
    List<JsonNode> a = read(anomalies);
    assertEquals(List.of("model_rejected"), types(a), a.toString());
    assertTrue(a.get(0).get("evidence").get("reason").asText().contains("verification"));
    assertTrue(read(progress).stream().allMatch(x -> x.get("model_id").asText()
        .equals(fx.modelB)));
  }

  /**
   * A restored camera resumes mid-cycle: same cycle ids, the same cycles, every frame's
   * progress. Its context features are a cache, not state, so the first frames after the
   * restore embed with a shorter context; the deviation that costs is measured here and must
   * stay small (the aligner itself continues exactly: CameraEngineTest).
   */
  @Test
  void restoredStateResumesMidCycle() throws Exception {
    // Uninterrupted run.
    start(Map.of());
    cycle("cam1");
    cycle("cam1");
    cycle("cam1");
    List<JsonNode> whole = read(progress);
    List<JsonNode> wholeCycles = read(cycles);
    stop();
    // Interrupted after 1.5 cycles; the stores' contents move to a new instance (as a changelog
    // restore does), which processes the rest.
    seq = 0;
    clock = Instant.parse("2026-11-29T08:00:00Z");
    start(Map.of());
    cycle("cam1");
    int half = fx.frames() / 2;
    for (int i = 0; i < half; i++) {
      frame("cam1", fx.jpegs.get(i));
    }
    List<JsonNode> before = read(progress);
    List<JsonNode> cyclesBefore = read(cycles);
    var states = driver.<String, byte[]>getKeyValueStore(Stores.CAMERA_STATE);
    byte[] cam = states.get("cam1");
    List<org.apache.kafka.streams.KeyValue<String, byte[]>> track = new ArrayList<>();
    try (var it = driver.<String, byte[]>getKeyValueStore(Stores.CAMERA_TRACK).all()) {
      it.forEachRemaining(track::add);
    }
    stop();
    stateDir = Files.createTempDirectory(dir, "restored");
    Instant resumeAt = clock;
    long resumeSeq = seq;
    start(Map.of());
    clock = resumeAt;
    seq = resumeSeq;
    driver.<String, byte[]>getKeyValueStore(Stores.CAMERA_STATE).put("cam1", cam);
    driver.<String, byte[]>getKeyValueStore(Stores.CAMERA_TRACK).putAll(track);
    for (int i = half; i < fx.frames(); i++) {
      frame("cam1", fx.jpegs.get(i));
    }
    cycle("cam1");
    List<JsonNode> all = new ArrayList<>(before);
    all.addAll(read(progress));
    List<JsonNode> allCycles = new ArrayList<>(cyclesBefore);
    allCycles.addAll(read(cycles));
    assertEquals(whole.size(), all.size(), "every frame's progress");
    int restoredAt = before.size();
    double worst = 0;
    double sum = 0;
    int agree = 0;
    for (int i = 0; i < whole.size(); i++) {
      assertEquals(whole.get(i).get("cycle_id"), all.get(i).get("cycle_id"), "frame " + i);
      double dev = Math.abs(whole.get(i).get("position").asDouble()
          - all.get(i).get("position").asDouble());
      if (i < restoredAt) {
        assertEquals(0.0, dev, "frame " + i + " before the restore");
      } else {
        worst = Math.max(worst, dev);
        sum += dev;
        agree += whole.get(i).get("phase").equals(all.get(i).get("phase")) ? 1 : 0;
      }
    }
    int after = whole.size() - restoredAt;
    System.out.printf(java.util.Locale.ROOT, "after the restore (%d frames, reference of %d): "
        + "position deviation mean %.2f, max %.2f frames; phase agreement %d of %d%n", after,
        fx.frames(), sum / after, worst, agree, after);
    assertTrue(sum / after < 0.02 * fx.frames(), "mean deviation " + sum / after);
    assertTrue(agree >= 0.95 * after, agree + " of " + after + " phases as uninterrupted");
    assertEquals(wholeCycles.stream().map(c -> c.get("cycle_id").asText()).toList(),
        allCycles.stream().map(c -> c.get("cycle_id").asText()).toList(), "the same cycles");
    for (int c = 0; c < wholeCycles.size(); c++) {
      assertEquals(wholeCycles.get(c).get("start_sequence"), allCycles.get(c)
          .get("start_sequence"));
      assertEquals(wholeCycles.get(c).get("end_sequence").asDouble(), allCycles.get(c)
          .get("end_sequence").asDouble(), 2.0);
    }
  }

  /** The description in topology/ is what the code builds; regenerate with -Dlav.writeTopology. */
  @Test
  void topologyDescriptionIsCurrent() throws Exception {
    MonitorConfig cfg = MonitorConfig.of(new Properties() {
      {
        put("bootstrap.servers", "unused:9092");
      }
    }, Map.of());
    String now;
    try (ModelRegistry reg = new ModelRegistry(null, Device.cpu())) {
      now = LineTopology.build(new MonitorServices(cfg, reg, new MonitorMetrics(
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))).describe().toString();
    }
    Path file = Path.of("topology/monitor-topology.txt");
    if (Boolean.getBoolean("lav.writeTopology")) {
      Files.writeString(file, now);
    }
    assertTrue(Files.exists(file), file + " is missing: run the tests with -Dlav.writeTopology=true");
    assertEquals(Files.readString(file), now, file + " is out of date: the topology changed; "
        + "rerun with -Dlav.writeTopology=true and update topology/README.md");
  }
}
