package io.lavmonitor.cli;

import io.lavmonitor.monitor.MonitorApp;
import io.lavmonitor.monitor.MonitorConfig;
import io.lavmonitor.out.HttpApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav monitor}: the Streams application against an existing cluster. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = {"Run the line monitor (Kafka Streams, exactly-once) against an existing "
        + "cluster: frames in; phase progress, cycles, anomalies, archive and dead letters out. "
        + "Serves /metrics, /api/cameras and the live page on lav.http.port.",
        "The config file holds Kafka client properties and lav.* settings (see "
            + "topology/line.properties); environment variables override it "
            + "(KAFKA_BOOTSTRAP_SERVERS, LAV_MODELS_DIR, ...)."})
final class MonitorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file.")
  Path config;

  @Option(names = "--create-topics", negatable = true, defaultValue = "true",
      description = "Create missing topics (default: ${DEFAULT-VALUE}).")
  boolean createTopics;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of created topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Override
  public Integer call() throws Exception {
    MonitorConfig cfg = MonitorConfig.load(config, System.getenv());
    if (createTopics) {
      MonitorApp.clients(cfg).ensureTopics(partitions);
    }
    CountDownLatch done = new CountDownLatch(1);
    try (MonitorApp app = new MonitorApp(cfg);
         HttpApi http = HttpApi.serve(cfg, app, cfg.getInt("lav.http.port"))) {
      app.streams().setStateListener((now, old) -> {
        if (now == org.apache.kafka.streams.KafkaStreams.State.ERROR
            || now == org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING) {
          done.countDown();
        }
      });
      Runtime.getRuntime().addShutdownHook(new Thread(done::countDown));
      app.start();
      spec.commandLine().getErr().printf("monitor running; http://localhost:%d/ (metrics at "
          + "/metrics)%n", http.port());
      spec.commandLine().getErr().flush();
      done.await();
      return app.streams().state() == org.apache.kafka.streams.KafkaStreams.State.ERROR ? 1 : 0;
    }
  }
}
