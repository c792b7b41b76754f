package io.lavmonitor.monitor;

import io.lavmonitor.embed.Encoders;
import io.lavmonitor.engine.CameraState;
import io.lavmonitor.engine.CameraStateSerde;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.station.ModelRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor as a running application: starts the Kafka Streams topology with exactly-once
 * processing and the monitor's exception handlers, and exposes the metrics registry and the
 * camera states (by interactive query) to the HTTP endpoint.
 */
public final class MonitorApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorApp.class);
  /** Connection settings a monitor's topic creation passes to the admin client. */
  static final Set<String> CLIENT_KEYS = Set.of("bootstrap.servers", "security.protocol",
      "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location",
      "ssl.truststore.password", "ssl.keystore.location", "ssl.keystore.password",
      "ssl.key.password", "client.dns.lookup");

  private final MonitorConfig config;
  private final PrometheusMeterRegistry prometheus;
  private final ModelRegistry models;
  private final MonitorServices services;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private boolean closed;

  public MonitorApp(MonitorConfig config) {
    this.config = config;
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(prometheus);
    new JvmGcMetrics().bindTo(prometheus);
    new JvmThreadMetrics().bindTo(prometheus);
    new ProcessorMetrics().bindTo(prometheus);
    this.models = new ModelRegistry(Path.of(config.get("lav.models.dir")),
        Encoders.device(config.get("lav.device")));
    MonitorMetrics metrics = new MonitorMetrics(prometheus);
    this.services = new MonitorServices(config, models, metrics);
    Properties p = new Properties();
    p.putAll(config.streams());
    p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        MonitorExceptionHandlers.Processing.class.getName());
    p.putIfAbsent(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        MonitorExceptionHandlers.Production.class.getName());
    p.put(MonitorExceptionHandlers.METRICS, metrics);
    this.streams = new KafkaStreams(LineTopology.build(services), p);
    streams.setUncaughtExceptionHandler(MonitorExceptionHandlers.replaceThread(metrics));
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(prometheus);
  }

  /** Clients of the monitor's cluster with its connection settings. */
  public static KafkaClients clients(MonitorConfig config) {
    Properties client = new Properties();
    config.streams().forEach((k, v) -> {
      if (CLIENT_KEYS.contains(k)) {
        client.put(k, v);
      }
    });
    return new KafkaClients(client);
  }

  /** Creates missing topics (see {@link KafkaClients#ensureTopics}). */
  public static void createTopics(Map<String, Object> client, int partitions) {
    Properties p = new Properties();
    p.putAll(client);
    new KafkaClients(p).ensureTopics(partitions);
  }

  public void start() {
    KafkaClients clients = clients(config);
    try {
      services.useTopicLimits(clients.maxMessageBytes(Duration.ofSeconds(10)));
    } catch (RuntimeException e) {
      LOG.warn("topic limits not read ({}); dead letters are sized for the declared ones",
          e.getMessage());
    }
    try {
      CatalogWarmup.run(clients, services.catalog(), Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      LOG.warn("station catalog not warmed up ({}); it fills as the catalog task runs",
          e.getMessage());
    }
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
        try {
          out.put(kv.key, CameraStateSerde.read(kv.value).state());
        } catch (IllegalArgumentException e) {
          // an undecodable state is reset (and dead-lettered) by its task; not shown meanwhile
        }
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
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Leaving the group hands this instance's tasks over at once, instead of after the
    // session timeout (45 s by default) during which nobody would process them.
    streams.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30))
        .leaveGroup(true));
    streamsMetrics.close();
    services.close();
    models.close();
  }
}
