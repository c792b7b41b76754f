package io.lavmonitor.wire;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lavmonitor.data.StepRules;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of a {@code lav.references} record (compacted, keyed by station): the reference
 * cycle's embeddings under one model (float32, little-endian, base64), its per-frame phase
 * labels and phase durations, the model id, and the reference frames themselves as JPEG so that
 * a monitor can re-embed the reference when the model changes; and, when the labels declare
 * them, the steps that may be left out or done in any order ({@code steps}, absent otherwise:
 * a record without it, as earlier versions wrote, has no such steps).
 */
public record ReferenceRecord(@JsonProperty("station") String station,
                              @JsonProperty("model_id") String modelId,
                              @JsonProperty("fps") double fps,
                              @JsonProperty("phases") List<String> phases,
                              @JsonProperty("frame_labels") int[] frameLabels,
                              @JsonProperty("phase_seconds") Map<String, Double> phaseSeconds,
                              @JsonProperty("dim") int dim,
                              @JsonProperty("embeddings") String embeddings,
                              @JsonProperty("frames_jpeg") List<String> framesJpeg,
                              @JsonInclude(JsonInclude.Include.NON_NULL)
                              @JsonProperty("steps") StepRules steps) {
  /** The most reference frames a station may have (the aligner's work is linear in it). */
  public static final int MAX_FRAMES = 4096;
  /** The largest embedding dimension accepted. */
  public static final int MAX_DIM = 4096;

  public static ReferenceRecord of(String station, String modelId, double fps,
                                   List<String> phases, int[] labels, double[][] emb,
                                   List<byte[]> jpegs) {
    return of(station, modelId, fps, phases, labels, emb, jpegs, StepRules.NONE);
  }

  /** A record whose steps may vary as {@code steps} says. */
  public static ReferenceRecord of(String station, String modelId, double fps,
                                   List<String> phases, int[] labels, double[][] emb,
                                   List<byte[]> jpegs, StepRules steps) {
    Map<String, Double> secs = new LinkedHashMap<>();
    for (int p = 0; p < phases.size(); p++) {
      int n = 0;
      for (int l : labels) {
        n += l == p ? 1 : 0;
      }
      secs.put(phases.get(p), n / fps);
    }
    ByteBuffer b = ByteBuffer.allocate(emb.length * emb[0].length * 4)
        .order(ByteOrder.LITTLE_ENDIAN);
    for (double[] row : emb) {
      for (double v : row) {
        b.putFloat((float) v);
      }
    }
    return new ReferenceRecord(station, modelId, fps, phases, labels, secs, emb[0].length,
        Base64.getEncoder().encodeToString(b.array()),
        jpegs.stream().map(j -> Base64.getEncoder().encodeToString(j)).toList(),
        steps == null || steps.isEmpty() ? null : steps);
  }

  /** The embeddings as rows. */
  public double[][] embeddingRows() {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(embeddings))
        .order(ByteOrder.LITTLE_ENDIAN);
    int n = b.remaining() / 4 / dim;
    double[][] out = new double[n][dim];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        out[i][j] = b.getFloat();
      }
    }
    return out;
  }

  /** The steps that may vary, {@link StepRules#NONE} when the record declares none. */
  public StepRules stepRules() {
    return steps == null ? StepRules.NONE : steps;
  }

  @JsonIgnore
  public List<byte[]> jpegFrames() {
    return framesJpeg == null ? List.of()
        : framesJpeg.stream().map(s -> Base64.getDecoder().decode(s)).toList();
  }

  public byte[] toBytes() {
    return JsonSerde.write(this);
  }

  /**
   * Parses and checks a record: every field a monitor needs, labels within the phases, one
   * finite embedding row per label, and either no frames or one JPEG frame per label.
   * IllegalArgumentException names the first problem.
   */
  public static ReferenceRecord parse(byte[] b) {
    ReferenceRecord r;
    try {
      r = JsonSerde.MAPPER.readValue(b, ReferenceRecord.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a reference record: " + e.getMessage(), e);
    }
    if (r == null || r.station() == null || r.frameLabels() == null || r.embeddings() == null
        || r.phases() == null || r.modelId() == null || r.modelId().isBlank()) {
      throw new IllegalArgumentException("reference record without station, model_id, "
          + "labels, embeddings or phases");
    }
    Names.check(r.station(), "station");
    if (!(r.fps() > 0) || !Double.isFinite(r.fps())) {
      throw new IllegalArgumentException("reference of " + r.station() + ": fps " + r.fps());
    }
    int m = r.frameLabels().length;
    if (m < 2 || m > MAX_FRAMES) {
      throw new IllegalArgumentException("reference of " + r.station() + ": " + m
          + " frames (2 to " + MAX_FRAMES + ")");
    }
    if (r.phases().isEmpty() || r.phases().stream().anyMatch(p -> p == null || p.isBlank())) {
      throw new IllegalArgumentException("reference of " + r.station() + ": no or blank "
          + "phase names");
    }
    for (int i = 0; i < m; i++) {
      int l = r.frameLabels()[i];
      if (l < 0 || l >= r.phases().size()) {
        throw new IllegalArgumentException("reference of " + r.station() + ": frame " + i
            + " has phase " + l + ", but " + r.phases().size() + " phases are named");
      }
    }
    if (r.dim() < 1 || r.dim() > MAX_DIM) {
      throw new IllegalArgumentException("reference of " + r.station() + ": dim " + r.dim());
    }
    byte[] emb;
    try {
      emb = Base64.getDecoder().decode(r.embeddings());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("reference of " + r.station() + ": embeddings are not "
          + "base64");
    }
    if (emb.length != (long) m * r.dim() * 4) {
      throw new IllegalArgumentException("reference of " + r.station() + ": "
          + emb.length / 4 / r.dim() + " embedding rows of " + r.dim() + " for " + m
          + " labels");
    }
    ByteBuffer fb = ByteBuffer.wrap(emb).order(ByteOrder.LITTLE_ENDIAN);
    while (fb.hasRemaining()) {
      if (!Float.isFinite(fb.getFloat())) {
        throw new IllegalArgumentException("reference of " + r.station() + ": an embedding "
            + "value is not finite");
      }
    }
    int frames = r.framesJpeg() == null ? 0 : r.framesJpeg().size();
    if (frames != 0 && frames != m) {
      throw new IllegalArgumentException("reference of " + r.station() + ": " + frames
          + " JPEG frames for " + m + " labels");
    }
    String steps = r.stepRules().problem(r.phases(), r.frameLabels());
    if (steps != null) {
      throw new IllegalArgumentException("reference of " + r.station() + ": " + steps);
    }
    return r;
  }
}
