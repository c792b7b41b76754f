package io.lavmonitor.kafka;

import io.lavmonitor.wire.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic as a consumer with {@code read_committed} sees it, without a group. */
public final class TopicReader {
  private TopicReader() {}

  /** Every committed record, partition by partition, up to the end offsets of now. */
  public static <K, V> List<ConsumerRecord<K, V>> committed(KafkaClients clients,
                                                            Topic<K, V> topic, Duration timeout) {
    List<ConsumerRecord<K, V>> out = new ArrayList<>();
    try (KafkaConsumer<K, V> c = clients.consumer(topic, Map.of("isolation.level",
        "read_committed"))) {
      List<TopicPartition> parts = c.partitionsFor(topic.name(), timeout).stream()
          .map(i -> new TopicPartition(topic.name(), i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline
          && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<K, V> r : c.poll(Duration.ofMillis(200))) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Every committed record value of the topic. */
  public static <K, V> List<V> committedValues(KafkaClients clients, Topic<K, V> topic,
                                               Duration timeout) {
    return committed(clients, topic, timeout).stream().map(ConsumerRecord::value).toList();
  }
}
