package io.lavmonitor.monitor;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.embed.StreamEmbedder;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.station.ReferenceBuilder;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import io.lavmonitor.wire.FrameEnvelope;
import io.lavmonitor.wire.ReferenceRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A small real line for monitor tests: a model store with the model that ships with the project
 * (trained by lav train on synthetic assembly footage) and a second encoder of the same shape with
 * random weights (for model swaps), one synthetic assembly cycle as the reference of station
 * "st1", and its frames as JPEG.
 */
final class MonitorFixture {
  static final int SIZE = 112;
  final Path store;
  final String modelA;
  final String modelB;
  final List<byte[]> jpegs = new ArrayList<>();
  final VideoLabels labels;
  final ReferenceRecord reference;

  MonitorFixture(Path dir) throws Exception {
    store = dir.resolve("models");
    ModelStore s = ModelStore.open(store);
    modelA = io.lavmonitor.demo.Demo.installShippedModel(store).getFileName().toString();
    ModelCard shipped = ModelStore.resolve(store.resolve(modelA)).card();
    // A second version for swaps: the shipped weights, trained further by one step would do as
    // well; a copy under its own id keeps alignments comparable across the swap.
    modelB = s.add(store.resolve(modelA).resolve(ModelCard.WEIGHTS_FILE), ModelCard.draft(
        shipped.backbone(), shipped.inputSize(), shipped.contextFrames(),
        shipped.contextStride(), shipped.embeddingDim(), modelA, null, Map.of(), Map.of(),
        Map.of())).id();
    SynthGenerator.generate(dir.resolve("synth"), new SynthGenerator.Options(Task.ASSEMBLY, 1,
        5, 0, 0, SIZE, 10, false, 1), n -> { });
    labels = VideoLabels.read(dir.resolve("synth/labels/assembly_0000.json"));
    try (VideoSource src = VideoSources.open(dir.resolve("synth/videos/assembly_0000.mp4")
        .toString())) {
      for (VideoFrame f = src.next(); f != null; f = src.next()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(f.toImage(), "jpg", out);
        jpegs.add(out.toByteArray());
      }
    }
    try (ModelRegistry reg = new ModelRegistry(store, Device.cpu())) {
      reference = ReferenceRecord.of("st1", modelA, labels.fps(), labels.phases(),
          labels.frameLabels(), embedReference(reg.get(modelA, null), jpegs), jpegs);
    }
  }

  /** A reference cycle's embeddings, as the monitor and lav reference compute them. */
  static double[][] embedReference(ModelRegistry.Model model, List<byte[]> frames) {
    try (StreamEmbedder e = new StreamEmbedder(model.encoder(), model.card().inputSize(),
        model.card().contextFrames(), model.card().contextStride(), Device.cpu())) {
      return ReferenceBuilder.embedCycle(e, frames);
    }
  }

  /** Embeddings of JPEG frames as the monitor computes them: one at a time, with context. */
  static double[][] embed(ModelRegistry.Model model, List<byte[]> frames) {
    try (StreamEmbedder e = new StreamEmbedder(model.encoder(), model.card().inputSize(),
        model.card().contextFrames(), model.card().contextStride(), Device.cpu())) {
      Deque<float[]> history = new ArrayDeque<>();
      double[][] out = new double[frames.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = e.embed(io.lavmonitor.video.ImageDecoder.decode(frames.get(i), 0, 0,
            Long.MAX_VALUE), history);
      }
      return out;
    }
  }

  int frames() {
    return jpegs.size();
  }

  static FrameEnvelope envelope(byte[] jpeg, long seq, long captureMicros) throws Exception {
    java.awt.image.BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
    return new FrameEnvelope(captureMicros, seq, img.getWidth(), img.getHeight(),
        FrameEnvelope.Encoding.JPEG, jpeg);
  }

  static RecordHeaders station(String s) {
    RecordHeaders h = new RecordHeaders();
    h.add(FrameEnvelope.STATION_HEADER, s.getBytes(StandardCharsets.UTF_8));
    return h;
  }
}
