package io.lavmonitor.bench;

import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.demo.Demo;
import io.lavmonitor.demo.DemoLine;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.kafka.TopicReader;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.wire.DeadLetter;
import io.lavmonitor.wire.Events;
import io.lavmonitor.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code lav bench faults}: the monitor as its own process against a real (in-process) broker,
 * made to fail as a line makes it fail. Three parts, each checked from the committed topics:
 * <ol>
 *   <li>malformed records of about thirty kinds: every one dead-lettered with a reason, the
 *       borderline valid ones processed, the process alive, its memory bounded;</li>
 *   <li>SIGKILLs of the monitor under load from cameras streaming in real time, alternating
 *       restarts with and without the local state folder: every sent frame's progress exactly
 *       once, no cycle twice;</li>
 *   <li>garbage on the references and models topics: rejected with an alert, the good
 *       reference serving on, also after a restart on an empty state folder.</li>
 * </ol>
 */
public final class FaultsBench {
  /** What to run. */
  public record Options(int malformed, int kills, int cameras, double fps, long seed) {}

  /** A part's results, and the monitor process running after it. */
  private record Part(Map<String, Object> result, MonitorProcess monitor) {}

  private FaultsBench() {}

  public static Map<String, Object> run(Options o, Path work, Consumer<String> say)
      throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (LocalKafka kafka = LocalKafka.start()) {
      KafkaClients clients = kafka.clients();
      clients.ensureTopics(3);
      Path modelDir = Demo.installShippedModel(work.resolve("models"));
      ModelStore.Version v = ModelStore.resolve(modelDir);
      DemoLine line = DemoLine.generate(work.resolve("line"), v.card().inputSize(), o.fps(), 4,
          o.seed());
      line.publishReferences(clients, v);
      Path cfg = config(kafka, work, v);
      Path log = work.resolve("monitor.log");
      say.accept("monitor starting (log: " + log + ")");
      MonitorProcess monitor = MonitorProcess.start(cfg, log, "1500m");
      try {
        if (!monitor.awaitRunning(0, 120_000)) {
          throw new IllegalStateException("the monitor did not start; see " + log);
        }
        out.put("malformed", malformed(o, clients, line, monitor, say));
        Part kills = kills(o, clients, line, cfg, log, monitor, work, say);
        monitor = kills.monitor();
        out.put("kills", kills.result());
        Part control = control(clients, line, cfg, log, monitor, work, say);
        monitor = control.monitor();
        out.put("control", control.result());
      } finally {
        monitor.close();
      }
    }
    return out;
  }

  private static Path config(LocalKafka kafka, Path work, ModelStore.Version v)
      throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("application.id", "lav-faults");
    p.put("state.dir", work.resolve("state").toString());
    p.put("commit.interval.ms", "100");
    // A killed member is noticed in seconds, not the default 45 s.
    p.put("consumer.session.timeout.ms", "6000");
    p.put("consumer.heartbeat.interval.ms", "1500");
    p.put("lav.models.dir", v.dir().toAbsolutePath().getParent().toString());
    p.put("lav.stations", "st1,st2");
    p.put("lav.device", "cpu");
    p.put("lav.http.port", "0");
    Path cfg = work.resolve("monitor.properties");
    try (var w = Files.newBufferedWriter(cfg)) {
      p.store(w, "lav bench faults");
    }
    return cfg;
  }

  /** Part 1: malformed records. */
  private static Map<String, Object> malformed(Options o, KafkaClients clients, DemoLine line,
                                               MonitorProcess monitor, Consumer<String> say)
      throws Exception {
    byte[] jpeg = Files.readAllBytes(firstFrame(line));
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(
        new java.io.ByteArrayInputStream(jpeg));
    List<MalformedRecords.Case> cases = new MalformedRecords(o.seed(), jpeg, img.getWidth(),
        img.getHeight(), 4 << 20).build(o.malformed());
    long dead = cases.stream().filter(c -> c.expect() == MalformedRecords.Expect.DEAD).count();
    say.accept("sending " + cases.size() + " records (" + dead + " to be dead-lettered)");
    double rssBefore = monitor.rssMib();
    double rssMax = rssBefore;
    Properties p = clients.settings();
    p.put("max.request.size", Integer.toString(Topics.FRAMES.maxMessageBytes() + (1 << 20)));
    p.put("linger.ms", "5");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (MalformedRecords.Case c : cases) {
        producer.send(c.record());
      }
      producer.flush();
    }
    // Wait until every case has an outcome (a dead letter or a progress record).
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    List<ConsumerRecord<String, byte[]>> letters = List.of();
    while (System.nanoTime() < deadline) {
      Thread.sleep(2000);
      rssMax = Math.max(rssMax, monitor.rssMib());
      letters = TopicReader.committed(clients, Topics.DEAD_LETTER, Duration.ofSeconds(60));
      say.accept(letters.size() + " dead letters of about " + dead);
      if (letters.size() >= dead || !monitor.alive()) {
        break;
      }
    }
    Thread.sleep(3000); // the processed ones' progress, and anything that should not come
    letters = TopicReader.committed(clients, Topics.DEAD_LETTER, Duration.ofSeconds(60));
    Map<String, Integer> progress = new HashMap<>();
    for (Events.Progress x : TopicReader.committedValues(clients, Topics.PHASE_PROGRESS,
        Duration.ofSeconds(60))) {
      progress.merge(x.camera(), 1, Integer::sum);
    }
    Map<Integer, Integer> deadById = new HashMap<>();
    Map<Integer, String> reasonById = new HashMap<>();
    int withoutReason = 0;
    for (ConsumerRecord<String, byte[]> r : letters) {
      Header id = r.headers().lastHeader(MalformedRecords.ID);
      if (id != null) {
        int i = Integer.parseInt(new String(id.value(), StandardCharsets.UTF_8));
        deadById.merge(i, 1, Integer::sum);
        reasonById.put(i, DeadLetter.kind(r.headers()) + ": " + DeadLetter.reason(r.headers()));
      }
      String reason = DeadLetter.reason(r.headers());
      withoutReason += reason == null || reason.isBlank() ? 1 : 0;
    }
    Map<String, int[]> byKind = new TreeMap<>(); // kind -> {cases, as expected}
    List<String> unexpected = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      MalformedRecords.Case c = cases.get(i);
      int letters1 = deadById.getOrDefault(i, 0);
      boolean ok = switch (c.expect()) {
        case DEAD -> letters1 == 1;
        case PROCESSED -> letters1 == 0;
        case EITHER -> letters1 + progress.getOrDefault(c.camera(), 0) == 1;
      };
      int[] k = byKind.computeIfAbsent(c.kind(), x -> new int[2]);
      k[0]++;
      k[1] += ok ? 1 : 0;
      if (!ok && unexpected.size() < 20) {
        unexpected.add(c.kind() + " #" + i + " (camera " + (c.camera() == null ? "none"
            : c.camera().length() > 40 ? c.camera().length() + " characters" : c.camera())
            + "): " + letters1 + " dead letters" + (reasonById.containsKey(i) ? ", "
            + reasonById.get(i) : ""));
      }
    }
    // Processed cases: their cameras' progress counts match the valid records sent.
    Map<String, Integer> validByCamera = new HashMap<>();
    for (MalformedRecords.Case c : cases) {
      if (c.expect() == MalformedRecords.Expect.PROCESSED) {
        validByCamera.merge(c.camera(), 1, Integer::sum);
      }
    }
    int progressMismatch = 0;
    for (var e : validByCamera.entrySet()) {
      progressMismatch += progress.getOrDefault(e.getKey(), 0).equals(e.getValue()) ? 0 : 1;
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("records", cases.size());
    r.put("to_dead_letter", dead);
    r.put("dead_letters", letters.size());
    r.put("dead_letters_without_reason", withoutReason);
    r.put("cameras_with_wrong_progress_count", progressMismatch);
    r.put("monitor_alive", monitor.alive());
    r.put("rss_mib_before", rssBefore);
    r.put("rss_mib_max", rssMax);
    r.put("rss_mib_after", monitor.rssMib());
    Map<String, String> kinds = new LinkedHashMap<>();
    int wrong = 0;
    for (var e : byKind.entrySet()) {
      kinds.put(e.getKey(), e.getValue()[1] + "/" + e.getValue()[0]);
      wrong += e.getValue()[0] - e.getValue()[1];
    }
    r.put("as_expected_by_kind", kinds);
    r.put("not_as_expected", wrong);
    r.put("not_as_expected_examples", unexpected);
    say.accept("malformed records: " + wrong + " not as expected; monitor alive: "
        + monitor.alive());
    return r;
  }

  private static Path firstFrame(DemoLine line) throws Exception {
    Path dir = Files.createTempDirectory("lav-faults-frame");
    try (var src = io.lavmonitor.video.VideoSources.open(line.cameras.get(0).video()
        .toString())) {
      var f = src.next();
      Path p = dir.resolve("frame.jpg");
      javax.imageio.ImageIO.write(f.toImage(), "jpg", p.toFile());
      return p;
    }
  }

  /** Part 2: SIGKILLs under load. */
  private static Part kills(Options o, KafkaClients clients, DemoLine line, Path cfg, Path log,
                            MonitorProcess monitor, Path work, Consumer<String> say)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<CameraAgent> agents = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < o.cameras(); i++) {
      DemoLine.Camera c = line.cameras.get(i % line.cameras.size());
      CameraAgent a = new CameraAgent(new CameraAgent.Settings(c.video().toString(),
          "kill-cam" + (i + 1), c.station(), o.fps(), 0.85f, 64, true, true,
          Topics.FRAMES.name()), clients);
      agents.add(a);
      Thread t = new Thread(() -> a.run(stop, 0), "agent-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    java.util.Random rnd = new java.util.Random(o.seed());
    List<Map<String, Object>> restarts = new ArrayList<>();
    for (int k = 0; k < o.kills(); k++) {
      Thread.sleep(3000 + rnd.nextInt(5000));
      monitor.kill();
      boolean wipe = k % 2 == 1;
      if (wipe) {
        deleteTree(work.resolve("state"));
      }
      long from = Files.size(log);
      long t0 = System.nanoTime();
      monitor = MonitorProcess.start(cfg, log, "1500m");
      boolean up = monitor.awaitRunning(from, 180_000);
      double secs = (System.nanoTime() - t0) / 1e9;
      restarts.add(Map.of("kill", k + 1, "state_folder_wiped", wipe, "up_after_s", secs,
          "running", up));
      say.accept("kill " + (k + 1) + "/" + o.kills() + (wipe ? " (state folder wiped)" : "")
          + ": running again after " + String.format(java.util.Locale.ROOT, "%.1f s", secs));
      if (!up) {
        throw new IllegalStateException("the monitor did not come back after kill " + (k + 1)
            + "; see " + log);
      }
    }
    Thread.sleep(5000);
    stop.set(true);
    for (Thread t : threads) {
      t.join(10_000);
    }
    long sent = 0;
    for (CameraAgent a : agents) {
      a.flush();
      sent += a.sent();
      a.close();
    }
    // The frames as the broker has them, and the progress the monitor committed for them.
    Set<String> cameras = new HashSet<>();
    for (int i = 0; i < o.cameras(); i++) {
      cameras.add("kill-cam" + (i + 1));
    }
    Set<String> frames = new HashSet<>();
    for (ConsumerRecord<String, byte[]> r : TopicReader.committed(clients, Topics.FRAMES,
        Duration.ofSeconds(60))) {
      if (r.key() != null && cameras.contains(r.key())) {
        frames.add(r.key() + "/" + io.lavmonitor.wire.FrameEnvelope.decode(r.value())
            .sequence());
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      seen.clear();
      for (Events.Progress p : TopicReader.committedValues(clients, Topics.PHASE_PROGRESS,
          Duration.ofSeconds(60))) {
        if (cameras.contains(p.camera())) {
          seen.merge(p.camera() + "/" + p.sequence(), 1, Integer::sum);
        }
      }
      if (seen.keySet().containsAll(frames)) {
        break;
      }
      Thread.sleep(2000);
    }
    long missing = frames.stream().filter(f -> !seen.containsKey(f)).count();
    long twice = seen.values().stream().filter(c -> c > 1).count();
    List<String> cycleIds = new ArrayList<>();
    for (Events.CycleSummary c : TopicReader.committedValues(clients, Topics.CYCLES,
        Duration.ofSeconds(60))) {
      if (cameras.contains(c.camera())) {
        cycleIds.add(c.cycleId());
      }
    }
    long dupCycles = cycleIds.size() - cycleIds.stream().distinct().count();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kills", o.kills());
    r.put("cameras", o.cameras());
    r.put("fps_per_camera", o.fps());
    r.put("frames_acknowledged_by_broker", sent);
    r.put("frames_on_topic", frames.size());
    r.put("frames_with_progress", frames.size() - missing);
    r.put("frames_without_progress", missing);
    r.put("frames_with_progress_twice", twice);
    r.put("cycles", cycleIds.size());
    r.put("cycles_twice", dupCycles);
    r.put("restarts", restarts);
    say.accept("kills: " + missing + " frames without progress, " + twice + " twice, "
        + dupCycles + " cycles twice, of " + frames.size() + " frames and " + cycleIds.size()
        + " cycles");
    return new Part(r, monitor);
  }

  /** Part 3: garbage on the control topics; the good reference serves on. */
  private static Part control(KafkaClients clients, DemoLine line, Path cfg, Path log,
                              MonitorProcess monitor, Path work, Consumer<String> say)
      throws Exception {
    clients.publish(Topics.REFERENCES, "st1", "random bytes".getBytes(StandardCharsets.UTF_8));
    clients.publish(Topics.REFERENCES, "st2", "{\"station\":\"st2\"}".getBytes(
        StandardCharsets.UTF_8));
    clients.publish(Topics.MODELS, "st1", "{\"station\":\"st1\"}".getBytes(
        StandardCharsets.UTF_8));
    clients.publish(Topics.MODELS, "st2", new io.lavmonitor.wire.ModelUpdate("lav-missing",
        "st2", work.resolve("nowhere").toUri().toString(), "x", Map.of(), "now").toBytes());
    // The anomalies topic has several partitions: count the control alerts by type.
    Map<String, Long> controlAlerts = new TreeMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      controlAlerts.clear();
      for (Events.Anomaly a : TopicReader.committedValues(clients, Topics.ANOMALIES,
          Duration.ofSeconds(30))) {
        if (a.type().equals("reference_rejected") || a.type().equals("model_rejected")) {
          controlAlerts.merge(a.type() + " " + a.station(), 1L, Long::sum);
        }
      }
      if (controlAlerts.values().stream().mapToLong(Long::longValue).sum() >= 4) {
        break;
      }
      Thread.sleep(1000);
    }
    // A camera of each station still works, also after a restart on an empty state folder.
    long beforeRestart = processedFrames(clients, line, "ctl-a");
    monitor.kill();
    deleteTree(work.resolve("state"));
    long from = Files.size(log);
    monitor = MonitorProcess.start(cfg, log, "1500m");
    boolean up = monitor.awaitRunning(from, 180_000);
    long afterRestart = up ? processedFrames(clients, line, "ctl-b") : 0;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("bad_control_records", 4);
    r.put("alerts", controlAlerts);
    r.put("frames_processed_after_bad_records", beforeRestart);
    r.put("frames_processed_after_restart_on_empty_state", afterRestart);
    say.accept("control topics: alerts " + controlAlerts + "; frames processed after: "
        + beforeRestart + ", after a restart on an empty state: " + afterRestart);
    return new Part(r, monitor);
  }

  /** Sends 30 frames per station under new camera ids; how many got progress. */
  private static long processedFrames(KafkaClients clients, DemoLine line, String prefix)
      throws Exception {
    Set<String> cams = new HashSet<>();
    for (DemoLine.Station st : line.stations) {
      String cam = prefix + "-" + st.id();
      cams.add(cam);
      try (CameraAgent a = new CameraAgent(new CameraAgent.Settings(st.video().toString(), cam,
          st.id(), 100, 0.85f, 64, false, false, Topics.FRAMES.name()), clients)) {
        a.run(new AtomicBoolean(), 30);
        a.flush();
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    long n = 0;
    while (System.nanoTime() < deadline && n < 30L * cams.size()) {
      Thread.sleep(1000);
      n = TopicReader.committedValues(clients, Topics.PHASE_PROGRESS, Duration.ofSeconds(30))
          .stream().filter(p -> cams.contains(p.camera())).count();
    }
    return n;
  }

  private static void deleteTree(Path p) throws Exception {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
