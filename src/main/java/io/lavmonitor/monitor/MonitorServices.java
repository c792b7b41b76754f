package io.lavmonitor.monitor;

import io.lavmonitor.embed.StreamEmbedder;
import io.lavmonitor.video.VideoFrame;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * What the topology's processors share: configuration, the loaded models, the metrics, and the
 * station references under each model (re-embedded from the reference frames when the station's
 * model differs from the one the reference was published with).
 */
public final class MonitorServices {
  private final MonitorConfig config;
  private final ModelRegistry models;
  private final MonitorMetrics metrics;
  private final Thresholds thresholds;
  private final Map<String, StationReference> references = new ConcurrentHashMap<>();
  private final RecentEvents recent = new RecentEvents(100);
  // The last parsed reference record per station with the bytes it came from.
  private final Map<String, Map.Entry<byte[], ReferenceRecord>> parsed = new ConcurrentHashMap<>();

  public MonitorServices(MonitorConfig config, ModelRegistry models, MonitorMetrics metrics) {
    this.config = config;
    this.models = models;
    this.metrics = metrics;
    this.thresholds = config.thresholds();
  }

  public MonitorConfig config() {
    return config;
  }

  public ModelRegistry models() {
    return models;
  }

  public MonitorMetrics metrics() {
    return metrics;
  }

  public Thresholds thresholds() {
    return thresholds;
  }

  public RecentEvents recent() {
    return recent;
  }

  /**
   * The reference record a station's store value holds. Parsing it (up to megabytes of JSON with
   * the reference frames) happens once per new value, not once per camera frame: comparing the
   * bytes with the last ones is far cheaper.
   */
  public ReferenceRecord referenceRecord(String station, byte[] bytes) {
    Map.Entry<byte[], ReferenceRecord> last = parsed.get(station);
    if (last != null && java.util.Arrays.equals(last.getKey(), bytes)) {
      return last.getValue();
    }
    ReferenceRecord r = ReferenceRecord.parse(bytes);
    parsed.put(station, Map.entry(bytes, r));
    return r;
  }

  /**
   * The station's reference under a model. The record's own embeddings serve its own model;
   * another model re-embeds the record's frames with {@code embedder} (once, then cached).
   */
  public StationReference reference(ReferenceRecord rec, String modelId,
                                    StreamEmbedder embedder) {
    String key = rec.station() + "|" + modelId + "|" + Arrays.hashCode(rec.frameLabels()) + "|"
        + rec.embeddings().hashCode();
    return references.computeIfAbsent(key, k -> {
      if (modelId.equals(rec.modelId())) {
        return rec.toStationReference();
      }
      java.util.List<byte[]> frames = rec.jpegFrames();
      if (frames.size() != rec.frameLabels().length) {
        throw new IllegalStateException("reference of " + rec.station() + " carries "
            + frames.size() + " frames for " + rec.frameLabels().length
            + " labels: cannot re-embed it for model " + modelId);
      }
      return rec.withEmbeddings(modelId, ReferenceBuilder.embedCycle(embedder, frames));
    });
  }

  /** Decodes JPEG or PNG bytes; IllegalArgumentException when they are not an image. */
  static VideoFrame decode(byte[] bytes, long seq) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      if (img == null) {
        throw new IllegalArgumentException("not a JPEG or PNG image");
      }
      return VideoFrame.fromImage(seq, 0, img);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("undecodable image: " + e.getMessage(), e);
    }
  }
}
