package io.lavmonitor.replay;

import ai.djl.Device;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.StreamEmbedder;
import io.lavmonitor.engine.CameraEngine;
import io.lavmonitor.engine.CameraState;
import io.lavmonitor.engine.StationReference;
import io.lavmonitor.engine.Thresholds;
import io.lavmonitor.engine.Track;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.station.ReferenceBuilder;
import io.lavmonitor.video.FpsResampler;
import io.lavmonitor.video.ImageDecoder;
import io.lavmonitor.video.Jpeg;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import io.lavmonitor.wire.Events;
import io.lavmonitor.wire.Topics;
import java.awt.image.BufferedImage;
import java.util.function.Consumer;

/**
 * The monitor's per-camera engine over a recording, without Kafka: each frame is JPEG-encoded
 * as a camera agent sends it, decoded as the monitor decodes it, embedded with the model's
 * context and handed to the same {@link CameraEngine} the topology runs, with the monitor's
 * thresholds. What comes out is what the output topics would carry, record for record.
 * Capture times are the frames' times in the recording (sequence / fps), so rules that count
 * seconds see the recording's clock, not the replay's speed.
 */
public final class Replay implements AutoCloseable {
  /** How the recording is played: as which camera, at which rate and JPEG quality. */
  public record Settings(String camera, String station, double fps, float jpegQuality,
                         int progressEvery, Thresholds thresholds) {
    public Settings {
      if (!(fps >= 0) || !(jpegQuality > 0 && jpegQuality <= 1) || progressEvery < 1) {
        throw new InvalidInputException("fps >= 0 (0: the recording's), JPEG quality in "
            + "(0, 1] and progress every >= 1 frames, got " + fps + ", " + jpegQuality + ", "
            + progressEvery);
      }
    }

    /** Camera agents' defaults (JPEG 0.85, the recording's rate), the monitor's thresholds. */
    public static Settings defaults(Thresholds thresholds) {
      return new Settings("replay", "replay", 0, 0.85f, 1, thresholds);
    }
  }

  /** One output record: the topic it would be written to, its key and its value. */
  public record Output(String topic, String key, Object value) {}

  /** What a replay produced. */
  public record Summary(long frames, int cycles, int anomalies, double fps) {}

  private final StationReference reference;
  private final StreamEmbedder embedder;

  /** A replay against a reference already embedded under {@code model}. */
  public Replay(ModelRegistry.Model model, StationReference reference, Device device) {
    if (!model.card().id().equals(reference.modelId())) {
      throw new IllegalArgumentException("reference embedded with " + reference.modelId()
          + ", not with " + model.card().id());
    }
    this.reference = reference;
    this.embedder = new StreamEmbedder(model.encoder(), model.card().inputSize(),
        model.card().contextFrames(), model.card().contextStride(), device);
  }

  /** Embeds a labelled reference video under the model, as {@code lav reference} does. */
  public static StationReference reference(ModelRegistry.Model model, String video,
                                           VideoLabels labels, String station, Device device) {
    return StationReference.of(ReferenceBuilder.build(video, labels, station, model, device));
  }

  public StationReference reference() {
    return reference;
  }

  /** Told how far a replay is (a progress bar). */
  public interface Listener {
    /** Frames the recording says it has, or -1. */
    void started(long frames);

    void frame();

    Listener NONE = new Listener() {
      @Override
      public void started(long frames) {}

      @Override
      public void frame() {}
    };
  }

  /** A recording's frames embedded as the monitor embeds them, and its frame rate. */
  public record Embedded(double[][] rows, double fps) {}

  /**
   * Plays {@code video} through a fresh engine; every output record goes to {@code sink} in the
   * order the topology would write it.
   */
  public Summary run(String video, Settings s, Consumer<Output> sink, Listener listener) {
    Run run = new Run(reference, s, sink);
    double fps = frames(video, s, listener, (seq, rate, img) -> {
      long micros = run.micros(seq, rate);
      run.emit(run.engine.onFrame(seq, micros, img, embedder::embed, micros / 1000, 0));
    });
    return run.summary(fps);
  }

  /** Embeds every frame of {@code video} as {@link #run} does, to replay it again and again. */
  public Embedded embed(String video, Settings s, Listener listener) {
    java.util.List<double[]> rows = new java.util.ArrayList<>();
    java.util.Deque<float[]> context = new java.util.ArrayDeque<>();
    double fps = frames(video, s, listener,
        (seq, rate, img) -> rows.add(embedder.embed(img, context)));
    return new Embedded(rows.toArray(new double[0][]), fps);
  }

  /** The engine over embeddings from {@link #embed}: the rules without the network. */
  public static Summary run(StationReference reference, Embedded e, Settings s,
                            Consumer<Output> sink) {
    Run run = new Run(reference, s, sink);
    for (int i = 0; i < e.rows().length; i++) {
      long seq = i + 1;
      long micros = run.micros(seq, e.fps());
      run.emit(run.engine.onEmbedded(seq, micros, e.rows()[i], micros / 1000, 0));
    }
    return run.summary(e.fps());
  }

  private interface FrameConsumer {
    void accept(long sequence, double fps, BufferedImage image);
  }

  /** Decodes, resamples, JPEG round-trips; returns the frame rate played at. */
  private static double frames(String video, Settings s, Listener listener, FrameConsumer c) {
    try (VideoSource src = s.fps() > 0 ? new FpsResampler(VideoSources.open(video), s.fps())
        : VideoSources.open(video)) {
      double fps = src.info().fps();
      if (!(fps > 0)) {
        throw new InvalidInputException(video + " does not say its frame rate: give one");
      }
      listener.started(src.info().frameCount());
      long seq = 0;
      for (VideoFrame f = src.next(); f != null; f = src.next()) {
        byte[] jpeg = Jpeg.encode(f.toImage(), s.jpegQuality());
        c.accept(++seq, fps, ImageDecoder.decode(jpeg, 0, 0, Long.MAX_VALUE));
        listener.frame();
      }
      return fps;
    }
  }

  /** One replay's engine and what it has written. */
  private static final class Run {
    private final CameraEngine engine;
    private final Settings s;
    private final Consumer<Output> sink;
    private int cycles;
    private int anomalies;

    Run(StationReference reference, Settings s, Consumer<Output> sink) {
      this.s = s;
      this.sink = sink;
      this.engine = new CameraEngine(s.camera(), new CameraState(), s.thresholds(),
          new Track.InMemory());
      engine.attach(new StationReference(s.station(), reference.modelId(),
          reference.reference(), reference.fps(), reference.fingerprint(), reference.steps()));
    }

    /** Admits the next frame; its capture time is its time in the recording. */
    long micros(long seq, double fps) {
      if (!engine.admit(1, seq).admitted()) {
        throw new IllegalStateException("frame " + seq + " out of order");
      }
      return Math.round((seq - 1) * 1e6 / fps);
    }

    void emit(CameraEngine.Output out) {
      if (out.progress() != null && engine.state().frames() % s.progressEvery() == 0) {
        sink.accept(new Output(Topics.PHASE_PROGRESS.name(), s.camera(), out.progress()));
      }
      for (Events.CycleStarted c : out.starts()) {
        sink.accept(new Output(Topics.CYCLE_STARTS.name(), c.camera(), c));
      }
      for (Events.CycleSummary c : out.cycles()) {
        sink.accept(new Output(Topics.CYCLES.name(), c.camera(), c));
        cycles++;
      }
      for (Events.Anomaly an : out.anomalies()) {
        sink.accept(new Output(Topics.ANOMALIES.name(), an.station(), an));
        anomalies++;
      }
    }

    Summary summary(double fps) {
      return new Summary(engine.state().frames(), cycles, anomalies, fps);
    }
  }

  @Override
  public void close() {
    embedder.close();
  }
}
