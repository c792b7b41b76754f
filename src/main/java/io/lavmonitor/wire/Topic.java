package io.lavmonitor.wire;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of a line, declared once: its name, the serdes of its keys and values, the topic
 * settings the monitor creates it with, and whether it has one partition (control topics read
 * whole by every instance) or one per partition of the camera topics.
 *
 * @param maxMessageBytes the largest record the topic takes ({@code max.message.bytes}); what
 *     the monitor sends there is sized to fit it
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde,
                          Map<String, String> config, boolean singlePartition,
                          int maxMessageBytes) {
  /** Broker default of {@code message.max.bytes} (1 MiB plus the batch overhead). */
  public static final int BROKER_DEFAULT_MAX = 1048588;

  /** The topic settings with {@code max.message.bytes}, as the monitor creates the topic. */
  public Map<String, String> creationConfig() {
    Map<String, String> c = new java.util.LinkedHashMap<>(config);
    if (maxMessageBytes != BROKER_DEFAULT_MAX) {
      c.put("max.message.bytes", Integer.toString(maxMessageBytes));
    }
    return c;
  }

  /** The same topic under another name (a line that renamed it). */
  public Topic<K, V> named(String other) {
    return new Topic<>(other, keySerde, valueSerde, config, singlePartition, maxMessageBytes);
  }

  @Override
  public String toString() {
    return name;
  }
}
