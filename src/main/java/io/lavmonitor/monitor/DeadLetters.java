package io.lavmonitor.monitor;

import io.lavmonitor.wire.DeadLetter;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends a record that could not be used to {@code lav.dead-letter}, whole when it fits the
 * topic's and the producer's limits, else as a truncated copy ({@link DeadLetter}). Under
 * exactly-once a record that does not fit would abort the transaction and come back forever,
 * so nothing goes out unsized.
 */
final class DeadLetters {
  static final String SINK = "to-dead-letter";

  private DeadLetters() {}

  static void send(ProcessorContext<String, Object> ctx, Record<String, byte[]> rec, String kind,
                   String reason, int maxBytes) {
    DeadLetter.Source src = ctx.recordMetadata().map(m -> new DeadLetter.Source(m.topic(),
        m.partition(), m.offset())).orElse(null);
    DeadLetter d = DeadLetter.of(rec.key(), rec.value(), rec.headers(), src, kind, reason,
        maxBytes);
    ctx.forward(new Record<>(d.key(), d.value(), rec.timestamp(), d.headers()), SINK);
  }

  /** A dead letter of bytes that were not a record (a camera's undecodable state). */
  static void sendBytes(ProcessorContext<String, Object> ctx, String key, byte[] value,
                        String from, String kind, String reason, int maxBytes, long ts) {
    DeadLetter d = DeadLetter.of(key, value, null, new DeadLetter.Source(from, -1, -1), kind,
        reason, maxBytes);
    ctx.forward(new Record<>(d.key(), d.value(), ts, d.headers()), SINK);
  }
}
