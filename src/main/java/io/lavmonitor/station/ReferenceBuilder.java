package io.lavmonitor.station;

import ai.djl.Device;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.StreamEmbedder;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.video.ImageDecoder;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import io.lavmonitor.wire.ReferenceRecord;
import io.lavmonitor.wire.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Builds a station's reference record from a labelled reference video: every frame stored as
 * JPEG (so monitors can re-embed it under a new model) and embedded from that same JPEG, one
 * frame at a time with context, exactly as the monitor embeds camera frames.
 */
public final class ReferenceBuilder {
  private ReferenceBuilder() {}

  public static ReferenceRecord build(String video, VideoLabels labels, String station,
                                      ModelRegistry.Model model, Device device) {
    List<byte[]> jpegs = new ArrayList<>();
    try (VideoSource src = VideoSources.open(video)) {
      for (VideoFrame f = src.next(); f != null; f = src.next()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(f.toImage(), "jpg", out);
        jpegs.add(out.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (jpegs.size() != labels.numFrames()) {
      throw new InvalidInputException(video + ": " + jpegs.size() + " frames, but the labels "
          + "describe " + labels.numFrames());
    }
    double[][] rows;
    try (StreamEmbedder e = new StreamEmbedder(model.encoder(), model.card().inputSize(),
        model.card().contextFrames(), model.card().contextStride(), device)) {
      rows = embedCycle(e, jpegs);
    }
    return ReferenceRecord.of(station, model.card().id(), labels.fps(), labels.phases(),
        labels.frameLabels(), rows, jpegs, labels.stepRules());
  }

  /** Several recorded normal cycles, and the one chosen as the reference. */
  public record Chosen(ReferenceRecord reference, ReferenceChooser.Choice choice) {}

  /**
   * Builds a reference from each candidate cycle (video and labels) and keeps the medoid
   * ({@link ReferenceChooser}); one candidate is simply built.
   */
  public static Chosen buildMedoid(List<String> videos, List<VideoLabels> labels,
                                   String station, ModelRegistry.Model model, Device device) {
    if (videos.isEmpty() || videos.size() != labels.size()) {
      throw new InvalidInputException(videos.size() + " reference videos and " + labels.size()
          + " label files: give one labels file per video");
    }
    List<ReferenceRecord> built = new ArrayList<>();
    for (int i = 0; i < videos.size(); i++) {
      built.add(build(videos.get(i), labels.get(i), station, model, device));
    }
    ReferenceChooser.Choice c = ReferenceChooser.medoid(built.stream()
        .map(ReferenceRecord::embeddingRows).toList());
    return new Chosen(built.get(c.index()), c);
  }

  /**
   * Embeddings of a reference cycle's frames as a camera on a running line sees them: the
   * context of the cycle's first frames is the end of the cycle before (the reference is embedded
   * as a loop), not copies of its first frame. Otherwise the first (k-1) x stride frames of every
   * cycle but a stream's first would differ from the reference in their context alone.
   */
  public static double[][] embedCycle(StreamEmbedder e, List<byte[]> jpegs) {
    Deque<float[]> history = new ArrayDeque<>();
    int m = jpegs.size();
    for (int i = Math.max(0, m - e.keep() + 1); i < m; i++) {
      e.embed(decode(jpegs.get(i)), history); // lead-in: the cycle's end
    }
    double[][] rows = new double[m][];
    for (int i = 0; i < m; i++) {
      rows[i] = e.embed(decode(jpegs.get(i)), history);
    }
    return rows;
  }

  private static java.awt.image.BufferedImage decode(byte[] jpeg) {
    return ImageDecoder.decode(jpeg, 0, 0, Long.MAX_VALUE);
  }

  /** Publishes (and waits for the acknowledgement) to the compacted references topic. */
  public static void publish(KafkaClients clients, ReferenceRecord r) {
    clients.publish(Topics.REFERENCES, r.station(), r.toBytes());
  }
}
