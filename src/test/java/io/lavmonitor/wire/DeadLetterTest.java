package io.lavmonitor.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Dead letters kept whole when they fit the limit, truncated with their sizes when not. */
class DeadLetterTest {
  static String header(Headers h, String k) {
    var x = h.lastHeader(k);
    return x == null ? null : new String(x.value(), StandardCharsets.UTF_8);
  }

  @Test
  void aRecordThatFitsIsKeptWholeWithItsOrigin() {
    RecordHeaders in = new RecordHeaders();
    in.add("lav.station", "st1".getBytes(StandardCharsets.UTF_8));
    byte[] value = new byte[100_000];
    DeadLetter d = DeadLetter.of("cam1", value, in, new DeadLetter.Source("lav.frames", 2, 77),
        "undecodable", "not a frame envelope", 1 << 20);
    assertEquals("cam1", d.key());
    assertArrayEquals(value, d.value());
    assertEquals("st1", header(d.headers(), "lav.station"));
    assertEquals("lav.frames", header(d.headers(), DeadLetter.TOPIC));
    assertEquals("2", header(d.headers(), DeadLetter.PARTITION));
    assertEquals("77", header(d.headers(), DeadLetter.OFFSET));
    assertEquals("undecodable", DeadLetter.kind(d.headers()));
    assertEquals("not a frame envelope", DeadLetter.reason(d.headers()));
    assertNull(header(d.headers(), DeadLetter.TRUNCATED));
  }

  @Test
  void aRecordTooLargeForTheLimitIsTruncatedWithItsSizes() {
    byte[] value = new byte[8 << 20];
    value[0] = 42;
    String key = "c".repeat(1_200_000);
    int limit = 4 << 20;
    DeadLetter d = DeadLetter.of(key, value, new RecordHeaders(), null, "oversized", "r",
        limit);
    assertEquals("true", header(d.headers(), DeadLetter.TRUNCATED));
    assertEquals(Integer.toString(8 << 20), header(d.headers(), DeadLetter.VALUE_BYTES));
    assertEquals("1200000", header(d.headers(), DeadLetter.KEY_BYTES));
    assertEquals(DeadLetter.KEPT_VALUE, d.value().length);
    assertEquals(42, d.value()[0]);
    assertEquals(DeadLetter.KEPT_KEY, d.key().length());
    int size = d.key().length() + d.value().length;
    for (var h : d.headers().toArray()) {
      size += h.key().length() + h.value().length;
    }
    assertTrue(size < limit, size + " bytes");
  }

  @Test
  void aLongReasonIsCut() {
    DeadLetter d = DeadLetter.of("k", new byte[1], null, null, "x", "r".repeat(5000), 1 << 20);
    assertEquals(DeadLetter.KEPT_REASON + 3, DeadLetter.reason(d.headers()).length());
  }
}
