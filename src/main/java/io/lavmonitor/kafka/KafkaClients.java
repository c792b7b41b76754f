package io.lavmonitor.kafka;

import io.lavmonitor.wire.Topic;
import io.lavmonitor.wire.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Every Kafka client of the project is built here, from one set of shared settings (brokers,
 * security: whatever a {@code --kafka-config} file or the monitor's configuration holds):
 * producers sized for the records of their topic, consumers with that topic's deserialisers,
 * the admin client, topic creation from the declarations in {@link Topics}, and a blocking
 * publish for the control records (references, model updates).
 */
public final class KafkaClients {
  private final Properties shared;

  public KafkaClients(Properties shared) {
    if (shared.getProperty("bootstrap.servers") == null) {
      throw new IllegalArgumentException("Kafka client settings without bootstrap.servers");
    }
    this.shared = new Properties();
    this.shared.putAll(shared);
  }

  /** Clients of the brokers at {@code bootstrap}, with no other settings. */
  public static KafkaClients of(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    return new KafkaClients(p);
  }

  public String bootstrapServers() {
    return shared.getProperty("bootstrap.servers");
  }

  /** A copy of the shared settings. */
  public Properties settings() {
    Properties p = new Properties();
    p.putAll(shared);
    return p;
  }

  /**
   * A producer for one topic: its serialisers, and {@code max.request.size} large enough for
   * the topic's largest records unless the shared settings say otherwise. {@code overrides}
   * win over both.
   */
  public <K, V> KafkaProducer<K, V> producer(Topic<K, V> topic, Map<String, Object> overrides) {
    Properties p = settings();
    p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        Integer.toString(topic.maxMessageBytes()));
    p.putAll(overrides);
    return new KafkaProducer<>(p, topic.keySerde().serializer(),
        topic.valueSerde().serializer());
  }

  /** A consumer of one topic with its deserialisers; {@code overrides} win. */
  public <K, V> KafkaConsumer<K, V> consumer(Topic<K, V> topic, Map<String, Object> overrides) {
    Properties p = settings();
    p.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
        Integer.toString(Math.max(1 << 20, topic.maxMessageBytes())));
    p.putAll(overrides);
    return new KafkaConsumer<>(p, topic.keySerde().deserializer(),
        topic.valueSerde().deserializer());
  }

  public Admin admin() {
    Properties p = settings();
    return Admin.create(p);
  }

  /**
   * Sends one record and waits for the broker's acknowledgement (all replicas, idempotent);
   * a clear IllegalStateException when it cannot.
   */
  public <K, V> void publish(Topic<K, V> topic, K key, V value, Duration timeout) {
    long ms = timeout.toMillis();
    Map<String, Object> o = Map.of(ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ms),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(ms),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, ms / 2)),
        ProducerConfig.LINGER_MS_CONFIG, "0");
    try (KafkaProducer<K, V> producer = producer(topic, o)) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get(ms,
          TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot publish to " + topic.name() + ": "
          + cause.getMessage(), e);
    }
  }

  /**
   * Creates the line's missing topics with their declared settings: camera topics with
   * {@code partitions} partitions (frames and signals must match: both are keyed by camera and
   * meet in one task), control topics with one.
   */
  public void ensureTopics(int partitions) {
    try (Admin admin = admin()) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?, ?> t : Topics.all()) {
        if (!existing.contains(t.name())) {
          missing.add(new NewTopic(t.name(), t.singlePartition() ? 1 : partitions, (short) -1)
              .configs(t.creationConfig()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the line's topics: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code max.message.bytes} of existing topics (an administrator may have made them
   * smaller than declared), by name; topics that cannot be described are left out.
   */
  public Map<String, Integer> maxMessageBytes(Duration timeout) {
    Map<String, Integer> out = new java.util.HashMap<>();
    try (Admin admin = admin()) {
      List<org.apache.kafka.common.config.ConfigResource> res = Topics.all().stream()
          .map(t -> new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t.name())).toList();
      var all = admin.describeConfigs(res).values();
      for (var e : all.entrySet()) {
        try {
          var entry = e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get("max.message.bytes");
          if (entry != null && entry.value() != null) {
            out.put(e.getKey().name(), Integer.parseInt(entry.value()));
          }
        } catch (Exception ignored) {
          // a missing topic keeps its declared limit
        }
      }
    }
    return out;
  }

  /** Waits until the cluster answers, or fails with the last error. */
  public void awaitCluster(Duration timeout) {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Kafka at " + bootstrapServers() + " does not answer: "
          + e.getMessage(), e);
    }
  }

  /** Shorthand for the common case of a one-minute publish. */
  public <K, V> void publish(Topic<K, V> topic, K key, V value) {
    publish(topic, key, value, Duration.ofSeconds(60));
  }
}
