package io.lavmonitor.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record the monitor could not use, as it goes to {@code lav.dead-letter}: the original key,
 * bytes and headers, plus headers naming the source topic, partition and offset, the kind of
 * problem and the reason in words. A record too large to be kept whole within the topic's
 * limit is kept as a truncated copy: the first 64 KiB of its value and 1 KiB of its key, with
 * the original sizes in headers, so nothing disappears without a trace.
 */
public record DeadLetter(String key, byte[] value, Headers headers) {
  public static final String TOPIC = "lav.dlq.topic";
  public static final String PARTITION = "lav.dlq.partition";
  public static final String OFFSET = "lav.dlq.offset";
  public static final String KIND = "lav.dlq.kind";
  public static final String REASON = "lav.dlq.reason";
  public static final String KEY_BYTES = "lav.dlq.key-bytes";
  public static final String VALUE_BYTES = "lav.dlq.value-bytes";
  public static final String TRUNCATED = "lav.dlq.truncated";
  static final int KEPT_VALUE = 64 * 1024;
  static final int KEPT_KEY = 1024;
  static final int KEPT_HEADERS = 16 * 1024;
  static final int KEPT_REASON = 1000;
  /** Room for the record's framing and our own headers. */
  static final int OVERHEAD = 4096;

  /** Where the record came from. */
  public record Source(String topic, int partition, long offset) {}

  /**
   * The dead letter of a record, whole if it fits in {@code maxBytes} (the smallest of the
   * producer's and the topic's limits), else truncated.
   */
  public static DeadLetter of(String key, byte[] value, Headers original, Source source,
                              String kind, String reason, int maxBytes) {
    int keyBytes = key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length;
    int valueBytes = value == null ? 0 : value.length;
    int headerBytes = 0;
    for (Header h : original == null ? new Header[0] : original.toArray()) {
      headerBytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    boolean whole = (long) keyBytes + valueBytes + headerBytes + OVERHEAD <= maxBytes;
    Headers h = new RecordHeaders();
    if (original != null && (whole || headerBytes <= KEPT_HEADERS)) {
      for (Header x : original.toArray()) {
        h.add(x);
      }
    }
    if (source != null) {
      add(h, TOPIC, source.topic());
      add(h, PARTITION, Integer.toString(source.partition()));
      add(h, OFFSET, Long.toString(source.offset()));
    }
    add(h, KIND, kind);
    add(h, REASON, reason.length() > KEPT_REASON ? reason.substring(0, KEPT_REASON) + "..."
        : reason);
    if (whole) {
      return new DeadLetter(key, value, h);
    }
    add(h, TRUNCATED, "true");
    add(h, KEY_BYTES, Integer.toString(keyBytes));
    add(h, VALUE_BYTES, Integer.toString(valueBytes));
    String k = key == null || key.length() <= KEPT_KEY ? key : key.substring(0, KEPT_KEY);
    byte[] v = value == null || value.length <= KEPT_VALUE ? value
        : java.util.Arrays.copyOf(value, KEPT_VALUE);
    return new DeadLetter(k, v, h);
  }

  private static void add(Headers h, String name, String v) {
    h.add(name, v.getBytes(StandardCharsets.UTF_8));
  }

  /** The reason header of a dead-letter record, or null. */
  public static String reason(Headers h) {
    Header r = h.lastHeader(REASON);
    return r == null ? null : new String(r.value(), StandardCharsets.UTF_8);
  }

  /** The kind header of a dead-letter record, or null. */
  public static String kind(Headers h) {
    Header r = h.lastHeader(KIND);
    return r == null ? null : new String(r.value(), StandardCharsets.UTF_8);
  }
}
