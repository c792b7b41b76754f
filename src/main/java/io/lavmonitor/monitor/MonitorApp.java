package io.lavmonitor.monitor;

import io.lavmonitor.embed.Encoders;
import io.lavmonitor.kafka.Topics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The monitor as a running application: creates the line's topics when missing, starts the
 * Kafka Streams topology with exactly-once processing, and exposes the metrics registry and the
 * camera states (by interactive query) to the HTTP endpoint.
 */
public final class MonitorApp implements AutoCloseable {
  private final MonitorConfig config;
  private final PrometheusMeterRegistry prometheus;
  private final ModelRegistry models;
  private final MonitorServices services;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;

  public MonitorApp(MonitorConfig config) {
    this.config = config;
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(prometheus);
    new JvmGcMetrics().bindTo(prometheus);
    new JvmThreadMetrics().bindTo(prometheus);
    new ProcessorMetrics().bindTo(prometheus);
    this.models = new ModelRegistry(Path.of(config.get("lav.models.dir")),
        Encoders.device(config.get("lav.device")));
    this.services = new MonitorServices(config, models, new MonitorMetrics(prometheus));
    this.streams = new KafkaStreams(LineTopology.build(services), config.streams());
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(prometheus);
  }

  /**
   * Creates missing topics: frames and signals co-partitioned (same count, keyed by camera),
   * references and models compacted.
   */
  public static void createTopics(Map<String, Object> client, int partitions) {
    Map<String, Map<String, String>> topics = new HashMap<>();
    Map<String, String> compact = Map.of("cleanup.policy", "compact");
    Map<String, String> big = Map.of("max.message.bytes", Integer.toString(8 << 20));
    topics.put(Topics.FRAMES, Map.of("retention.ms", Long.toString(TimeUnit.HOURS.toMillis(6)),
        "max.message.bytes", Integer.toString(8 << 20)));
    topics.put(Topics.SIGNALS, Map.of());
    topics.put(Topics.REFERENCES, Map.of("cleanup.policy", "compact",
        "max.message.bytes", Integer.toString(16 << 20)));
    topics.put(Topics.MODELS, compact);
    topics.put(Topics.PHASE_PROGRESS, Map.of("retention.ms",
        Long.toString(TimeUnit.DAYS.toMillis(1))));
    topics.put(Topics.CYCLES, Map.of("retention.ms", Long.toString(TimeUnit.DAYS.toMillis(90))));
    topics.put(Topics.ANOMALIES, Map.of("retention.ms",
        Long.toString(TimeUnit.DAYS.toMillis(90))));
    topics.put(Topics.ARCHIVE, Map.of("retention.ms", Long.toString(TimeUnit.DAYS.toMillis(14)),
        "max.message.bytes", Integer.toString(8 << 20)));
    topics.put(Topics.DEAD_LETTER, big);
    try (Admin admin = Admin.create(client)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      topics.forEach((name, cfg) -> {
        if (!existing.contains(name)) {
          int n = name.equals(Topics.REFERENCES) || name.equals(Topics.MODELS) ? 1 : partitions;
          missing.add(new NewTopic(name, n, (short) -1).configs(cfg));
        }
      });
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the line's topics: " + e.getMessage(), e);
    }
  }

  public void start() {
    streams.start();
  }

  public KafkaStreams streams() {
    return streams;
  }

  public PrometheusMeterRegistry prometheus() {
    return prometheus;
  }

  public MonitorServices services() {
    return services;
  }

  /** The state of every camera this instance holds (interactive query). */
  public Map<String, CameraState> cameras() {
    ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters
        .fromNameAndType(Stores.CAMERA_STATE, QueryableStoreTypes.keyValueStore()));
    Map<String, CameraState> out = new java.util.TreeMap<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        out.put(kv.key, CameraState.fromBytes(kv.value));
      }
    }
    return out;
  }

  /** Waits until Streams is running. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (streams.state() == KafkaStreams.State.RUNNING) {
        return true;
      }
      if (streams.state() == KafkaStreams.State.ERROR
          || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        return false;
      }
      Thread.sleep(100);
    }
    return false;
  }

  public MonitorConfig config() {
    return config;
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    streamsMetrics.close();
    models.close();
  }
}
