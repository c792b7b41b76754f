package io.lavmonitor.monitor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.align.Reference;
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
 * a monitor can re-embed the reference when the model changes.
 */
public record ReferenceRecord(@JsonProperty("station") String station,
                              @JsonProperty("model_id") String modelId,
                              @JsonProperty("fps") double fps,
                              @JsonProperty("phases") List<String> phases,
                              @JsonProperty("frame_labels") int[] frameLabels,
                              @JsonProperty("phase_seconds") Map<String, Double> phaseSeconds,
                              @JsonProperty("dim") int dim,
                              @JsonProperty("embeddings") String embeddings,
                              @JsonProperty("frames_jpeg") List<String> framesJpeg) {
  static final ObjectMapper JSON = new ObjectMapper();

  public static ReferenceRecord of(String station, String modelId, double fps,
                                   List<String> phases, int[] labels, double[][] emb,
                                   List<byte[]> jpegs) {
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
        jpegs.stream().map(j -> Base64.getEncoder().encodeToString(j)).toList());
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

  @JsonIgnore
  public List<byte[]> jpegFrames() {
    return framesJpeg.stream().map(s -> Base64.getDecoder().decode(s)).toList();
  }

  /** The reference under its own model. */
  public StationReference toStationReference() {
    return withEmbeddings(modelId, embeddingRows());
  }

  /** The reference re-embedded under another model. */
  public StationReference withEmbeddings(String model, double[][] rows) {
    if (rows.length != frameLabels.length) {
      throw new IllegalArgumentException("reference of " + station + ": " + rows.length
          + " embeddings for " + frameLabels.length + " labels");
    }
    return new StationReference(station, model, new Reference(rows, frameLabels, phases), fps);
  }

  public byte[] toBytes() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ReferenceRecord parse(byte[] b) {
    try {
      ReferenceRecord r = JSON.readValue(b, ReferenceRecord.class);
      if (r.station() == null || r.frameLabels() == null || r.embeddings() == null
          || r.phases() == null || r.dim() < 1 || !(r.fps() > 0)) {
        throw new IllegalArgumentException("reference record without station, labels, "
            + "embeddings, phases, dim or fps");
      }
      return r;
    } catch (IOException e) {
      throw new IllegalArgumentException("not a reference record: " + e.getMessage(), e);
    }
  }
}
