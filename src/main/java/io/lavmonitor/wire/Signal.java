package io.lavmonitor.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * The value of a {@code lav.signals} record (keyed by camera): a PLC's cycle boundary,
 * {@code {"type": "start" | "stop", "ts_ms": 1764400000000}}. Without {@code ts_ms} the
 * record's timestamp stands in.
 */
public record Signal(@JsonProperty("type") String type, @JsonProperty("ts_ms") long millis) {
  public static final String START = "start";
  public static final String STOP = "stop";

  /** Parses a signal; IllegalArgumentException says what is wrong. */
  public static Signal parse(byte[] value, long recordTimestamp) {
    JsonNode n;
    try {
      n = value == null ? null : JsonSerde.MAPPER.readTree(value);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("signal is not JSON");
    }
    String type = n == null ? null : n.path("type").asText(null);
    if (type == null) {
      throw new IllegalArgumentException("signal without a type");
    }
    if (!type.equals(START) && !type.equals(STOP)) {
      throw new IllegalArgumentException("unknown signal " + Names.shown(type) + " (start or "
          + "stop)");
    }
    return new Signal(type, n.path("ts_ms").asLong(recordTimestamp));
  }

  public byte[] toBytes() {
    return JsonSerde.write(this);
  }
}
