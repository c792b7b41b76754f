package io.lavmonitor.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Model-update records on the compacted {@code lav.models} topic, keyed by station: the monitor
 * reads the latest per station and hot-swaps to it.
 */
public final class ModelUpdates {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One update: which model a station should run now, where it is, and how it measured. */
  public record Update(@JsonProperty("id") String id, @JsonProperty("station") String station,
                       @JsonProperty("uri") String uri, @JsonProperty("sha256") String sha256,
                       @JsonProperty("metrics") Map<String, Double> metrics,
                       @JsonProperty("created") String created) {}

  private ModelUpdates() {}

  /** Publishes an update and waits for the broker's acknowledgement (idempotent producer). */
  public static void publish(Properties client, String topic, Update u, Duration timeout) {
    Properties p = new Properties();
    p.putAll(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis() / 2));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, u.station(), JSON.writeValueAsBytes(u)))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot publish the model update to " + topic + ": "
          + cause.getMessage(), e);
    }
  }

  /** Parses a record value. */
  public static Update parse(byte[] value) {
    try {
      return JSON.readValue(value, Update.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a model update: " + e.getMessage(), e);
    }
  }
}
