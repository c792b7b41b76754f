package io.lavmonitor.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.util.Map;

/**
 * The value of a {@code lav.models} record (compacted, keyed by station): which model a station
 * should run now, where its version folder is, and how it measured. Written by
 * {@code lav trainer}; the monitor hot-swaps to it between cycles.
 *
 * @param uri the model's version folder ({@code file:} URI or path); null to find {@code id}
 *     in the monitor's model store
 */
public record ModelUpdate(@JsonProperty("id") String id, @JsonProperty("station") String station,
                          @JsonProperty("uri") String uri, @JsonProperty("sha256") String sha256,
                          @JsonProperty("metrics") Map<String, Double> metrics,
                          @JsonProperty("created") String created) {

  public byte[] toBytes() {
    return JsonSerde.write(this);
  }

  /** Parses and checks an update: JSON with a model id that is a plain name. */
  public static ModelUpdate parse(byte[] value) {
    ModelUpdate u;
    try {
      u = JsonSerde.MAPPER.readValue(value, ModelUpdate.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a model update: " + e.getMessage(), e);
    }
    if (u == null || u.id() == null) {
      throw new IllegalArgumentException("model update without an id");
    }
    Names.check(u.id(), "model");
    if (u.station() != null) {
      Names.check(u.station(), "station");
    }
    return u;
  }
}
