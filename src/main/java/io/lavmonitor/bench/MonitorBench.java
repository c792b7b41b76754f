package io.lavmonitor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.camera.CameraAgent;
import io.lavmonitor.demo.Demo;
import io.lavmonitor.demo.DemoLine;
import io.lavmonitor.kafka.LocalKafka;
import io.lavmonitor.kafka.Topics;
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
 * committed progress record), CPU per camera and the backlog (frames sent but not yet
 * processed) every 10 s, so a growing lag shows.
 */
public final class MonitorBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MonitorBench() {}

  public static Map<String, Object> run(int cameras, double fps, double seconds, Path work,
                                        Path model, IntConsumer tick) throws Exception {
    try (LocalKafka kafka = LocalKafka.start()) {
      Map<String, Object> admin = new HashMap<>(Map.of("bootstrap.servers",
          kafka.bootstrapServers()));
      MonitorApp.createTopics(admin, Math.max(1, cameras));
      Path modelDir = model != null ? model : Demo.installShippedModel(work.resolve("models"));
      ModelStore.Version v = ModelStore.resolve(modelDir);
      DemoLine line = DemoLine.generate(work.resolve("line"), v.card().inputSize(), fps, 4, 7);
      Properties client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
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
          CameraAgent a = new CameraAgent(new CameraAgent.Settings(c.video().toString(),
              "bench-cam" + (i + 1), c.station(), fps, 0.85f, 16, true, true, Topics.FRAMES),
              client);
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
        long dropped = agents.stream().mapToLong(CameraAgent::dropped).sum();
        agents.forEach(CameraAgent::close);
        Thread.sleep(2000);
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
        return out;
      }
    }
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
    for (byte[] v : TopicReader.committedValues(bootstrap, Topics.PHASE_PROGRESS,
        Duration.ofSeconds(60))) {
      out.add(JSON.readTree(v).get("latency_ms").asDouble());
    }
    return out;
  }

}
