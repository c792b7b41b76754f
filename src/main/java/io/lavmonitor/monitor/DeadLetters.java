package io.lavmonitor.monitor;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends a record that could not be processed to {@code lav.dead-letter}: the original key,
 * bytes and headers, plus headers naming the source topic, partition, offset and the reason.
 */
final class DeadLetters {
  static final String SINK = "to-dead-letter";
  static final String TOPIC = "lav.dlq.topic";
  static final String PARTITION = "lav.dlq.partition";
  static final String OFFSET = "lav.dlq.offset";
  static final String REASON = "lav.dlq.reason";

  private DeadLetters() {}

  static void send(ProcessorContext<String, byte[]> ctx, Record<String, byte[]> rec,
                   String reason) {
    Headers h = new RecordHeaders(rec.headers().toArray());
    ctx.recordMetadata().ifPresent(m -> {
      h.add(TOPIC, m.topic().getBytes(StandardCharsets.UTF_8));
      h.add(PARTITION, Integer.toString(m.partition()).getBytes(StandardCharsets.UTF_8));
      h.add(OFFSET, Long.toString(m.offset()).getBytes(StandardCharsets.UTF_8));
    });
    h.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    ctx.forward(new Record<>(rec.key(), rec.value(), rec.timestamp(), h), SINK);
  }
}
