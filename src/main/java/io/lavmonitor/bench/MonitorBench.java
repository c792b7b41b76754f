package io.lavmonitor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.demo.Demo;
import io.lavmonitor.demo.DemoLine;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.wire.Topics;
import io.lavmonitor.kafka.TopicReader;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.monitor.MonitorApp;
import io.lavmonitor.monitor.MonitorConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * The monitor under load: N synthetic cameras at F frames/s through a real (in-process) broker
 * for D seconds. Reports sustained frames/s, end-to-end latency percentiles (capture to
 * committed progress record), CPU per camera, the backlog (frames sent but not yet processed)
 * every 10 s, so a growing lag shows, the bytes the monitor's state changelogs took per frame,
 * the time a fresh instance takes to restore that state, and where a frame's time goes.
 */
public final class MonitorBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to run.
   *
   * @param model a model version folder; null for the shipped model or, with a backbone, a
   *     randomly initialised model of that backbone
   * @param backbone a backbone for a random model (speed and state size do not depend on the
   *     weights); null for the shipped model
   * @param inputSize the random model's input size
   * @param frameWidth camera frames are scaled to this size before sending; 0 for the synthetic
   *     recordings' own size (the model's input size)
   */
  public record Options(int cameras, double fps, double seconds, Path model, String backbone,
                        int inputSize, int frameWidth, int frameHeight) {}

  private MonitorBench() {}

  public static Map<String, Object> run(int cameras, double fps, double seconds, Path work,
                                        Path model, IntConsumer tick) throws Exception {
    return run(new Options(cameras, fps, seconds, model, null, 112, 0, 0), work, tick);
  }

  public static Map<String, Object> run(Options o, Path work, IntConsumer tick)
      throws Exception {
    int cameras = o.cameras();
    double fps = o.fps();
    double seconds = o.seconds();
    try (LocalKafka kafka = LocalKafka.start()) {
      Map<String, Object> admin = new HashMap<>(Map.of("bootstrap.servers",
          kafka.bootstrapServers()));
      MonitorApp.createTopics(admin, Math.max(1, cameras));
      Path modelDir = o.model() != null ? o.model() : o.backbone() != null
          ? randomModel(work.resolve("models"), o.backbone(), o.inputSize())
          : Demo.installShippedModel(work.resolve("models"));
      ModelStore.Version v = ModelStore.resolve(modelDir);
      DemoLine line = DemoLine.generate(work.resolve("line"), v.card().inputSize(), fps, 4, 7);
      KafkaClients client = kafka.clients();
      line.publishReferences(client, v);
      Properties p = new Properties();
      p.put("bootstrap.servers", kafka.bootstrapServers());
      p.put("application.id", "lav-bench");
      p.put("state.dir", work.resolve("state").toString());
      p.put("commit.interval.ms", "100");
      p.put("lav.models.dir", v.dir().toAbsolutePath().getParent().toString());
      p.put("lav.device", "cpu");
      MonitorConfig cfg = MonitorConfig.of(p, Map.of());
      var os = (com.sun.management.OperatingSystemMXBean)
          ManagementFactory.getOperatingSystemMXBean();
      List<Map<String, Object>> backlog = new ArrayList<>();
      long sentTotal;
      double cpuSeconds;
      try (MonitorApp app = new MonitorApp(cfg)) {
        app.start();
        if (!app.awaitRunning(Duration.ofSeconds(60))) {
          throw new IllegalStateException("the monitor did not start");
        }
        List<CameraAgent> agents = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < cameras; i++) {
          DemoLine.Camera c = line.cameras.get(i % line.cameras.size());
          CameraAgent.Settings as = new CameraAgent.Settings(c.video().toString(),
              "bench-cam" + (i + 1), c.station(), fps, 0.85f, 16, true, true,
              Topics.FRAMES.name());
          CameraAgent a = new CameraAgent(o.frameWidth() > 0
              ? as.resized(o.frameWidth(), o.frameHeight()) : as, client);
          agents.add(a);
          Thread t = new Thread(() -> a.run(stop, 0));
          t.setDaemon(true);
          threads.add(t);
        }
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        int s = 0;
        while ((System.nanoTime() - t0) / 1e9 < seconds) {
          Thread.sleep(1000);
          s++;
          tick.accept(s);
          if (s % 10 == 0) {
            long sent = agents.stream().mapToLong(CameraAgent::sent).sum();
            double processed = app.prometheus().get("lav_frames").tag("result", "processed")
                .counter().count();
            backlog.add(Map.of("t_s", s, "sent", sent, "behind", sent - (long) processed));
          }
        }
        stop.set(true);
        for (Thread t : threads) {
          t.join(5000);
        }
        cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        sentTotal = agents.stream().mapToLong(CameraAgent::sent).sum();
        long sentBytes = agents.stream().mapToLong(CameraAgent::sentBytes).sum();
        long dropped = agents.stream().mapToLong(CameraAgent::dropped).sum();
        agents.forEach(CameraAgent::close);
        Thread.sleep(2000);
        Map<String, Double> split = frameTimes(app);
        double processedFrames = app.prometheus().get("lav_frames").tag("result", "processed")
            .counter().count();
        app.close();
        long changelog = changelogBytes(kafka);
        Map<String, Object> restore = restore(cfg, work.resolve("state"));
        List<Double> lat = latencies(kafka.bootstrapServers());
        double[] l = lat.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cameras", cameras);
        out.put("fps_per_camera", fps);
        out.put("seconds", seconds);
        out.put("frames_sent", sentTotal);
        out.put("frames_dropped_by_agents", dropped);
        out.put("progress_records", l.length);
        out.put("sustained_frames_per_s", l.length / seconds);
        out.put("offered_frames_per_s", cameras * fps);
        out.put("latency_p50_ms", pct(l, 0.5));
        out.put("latency_p99_ms", pct(l, 0.99));
        out.put("latency_max_ms", l.length == 0 ? Double.NaN : l[l.length - 1]);
        out.put("cpu_seconds_per_camera_second", cpuSeconds / seconds / cameras);
        out.put("cpu_note", "process CPU: broker, agents and monitor share this JVM");
        out.put("backlog", backlog);
        out.put("model", v.card().id());
        out.put("backbone", v.card().backbone());
        out.put("input_size", v.card().inputSize());
        out.put("frame_size", o.frameWidth() > 0 ? o.frameWidth() + "x" + o.frameHeight()
            : v.card().inputSize() + "x" + v.card().inputSize());
        out.put("jpeg_bytes_mean", sentTotal == 0 ? 0 : sentBytes / sentTotal);
        out.put("changelog_bytes", changelog);
        out.put("changelog_bytes_per_frame", processedFrames == 0 ? Double.NaN
            : changelog / processedFrames);
        out.put("restore_fresh_instance", restore);
        out.put("frame_ms_mean", split);
        return out;
      }
    }
  }

  /** A model of the backbone with random weights, added to a store; its version folder. */
  static Path randomModel(Path store, String backbone, int size) throws Exception {
    try (ai.djl.ndarray.NDManager m = io.lavmonitor.embed.Encoders.engine().newBaseManager()) {
      io.lavmonitor.embed.LavEncoder enc = io.lavmonitor.embed.Encoders.create(backbone, 128,
          size, 2, m, null, 0);
      Path w = java.nio.file.Files.createTempFile("lav-bench-", ".params");
      io.lavmonitor.embed.Encoders.save(enc, w);
      io.lavmonitor.model.ModelCard card = ModelStore.open(store).add(w,
          io.lavmonitor.model.ModelCard.draft(backbone, size, 2, 15, 128, null, null, Map.of(),
              Map.of("method", "random"), Map.of()));
      java.nio.file.Files.delete(w);
      return store.resolve(card.id());
    }
  }

  /** Mean milliseconds per frame of each timed part of the frame path the monitor reports. */
  static Map<String, Double> frameTimes(MonitorApp app) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (var meter : app.prometheus().getMeters()) {
      String name = meter.getId().getName();
      if (meter instanceof io.micrometer.core.instrument.Timer t && name.startsWith("lav_")
          && name.endsWith("_latency") && !name.equals("lav_end_to_end_latency")) {
        out.put(name.substring(4, name.length() - "_latency".length()),
            t.mean(java.util.concurrent.TimeUnit.MICROSECONDS) / 1000);
      }
    }
    return out;
  }

  /** Bytes in the broker's logs of the monitor's changelog topics. */
  static long changelogBytes(LocalKafka kafka) throws Exception {
    try (org.apache.kafka.clients.admin.Admin a = kafka.admin()) {
      List<Integer> brokers = a.describeCluster().nodes().get().stream()
          .map(org.apache.kafka.common.Node::id).toList();
      long total = 0;
      for (var byBroker : a.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (var dir : byBroker.values()) {
          for (var e : dir.replicaInfos().entrySet()) {
            if (e.getKey().topic().endsWith("-changelog")) {
              total += e.getValue().size();
            }
          }
        }
      }
      return total;
    }
  }

  /**
   * A new instance on an empty state folder: seconds until it runs, and the records and time
   * its state stores took to restore from their changelogs.
   */
  static Map<String, Object> restore(MonitorConfig cfg, Path stateDir) throws Exception {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(stateDir)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(q);
      }
    }
    Map<String, long[]> byStore = new java.util.concurrent.ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>();
    try (MonitorApp app = new MonitorApp(cfg)) {
      app.streams().setGlobalStateRestoreListener(
          new org.apache.kafka.streams.processor.StateRestoreListener() {
            @Override
            public void onRestoreStart(org.apache.kafka.common.TopicPartition tp, String store,
                                       long start, long end) {
              byStore.computeIfAbsent(store + "-" + tp.partition(), k -> new long[2])[0] =
                  System.nanoTime();
            }

            @Override
            public void onBatchRestored(org.apache.kafka.common.TopicPartition tp, String store,
                                        long batchEnd, long n) {
            }

            @Override
            public void onRestoreEnd(org.apache.kafka.common.TopicPartition tp, String store,
                                     long total) {
              long[] r = byStore.computeIfAbsent(store + "-" + tp.partition(), k -> new long[2]);
              r[0] = System.nanoTime() - r[0];
              r[1] = total;
            }
          });
      app.start();
      boolean up = app.awaitRunning(Duration.ofSeconds(300));
      out.put("seconds_to_running", up ? (System.nanoTime() - t0) / 1e9 : Double.NaN);
    }
    Map<String, Object> stores = new java.util.TreeMap<>();
    byStore.forEach((k, r) -> stores.put(k, Map.of("records", r[1], "seconds", r[0] / 1e9)));
    out.put("stores", stores);
    return out;
  }

  static double pct(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }

  /** The monitor's own capture-to-emit latency of every committed progress record. */
  static List<Double> latencies(String bootstrap) throws Exception {
    List<Double> out = new ArrayList<>();
    for (var v : TopicReader.committedValues(KafkaClients.of(bootstrap),
        Topics.PHASE_PROGRESS, Duration.ofSeconds(60))) {
      out.add(v.latencyMillis());
    }
    return out;
  }

}
