package io.lavmonitor.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.embed.StreamEmbedder;
import io.lavmonitor.kafka.ArchiveFrame;
import io.lavmonitor.kafka.FrameEnvelope;
import io.lavmonitor.kafka.ModelUpdates;
import io.lavmonitor.video.VideoFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-frame step: decode and validate, embed (backbone once per frame, context features from
 * the camera's state), align against the station's reference, run the anomaly rules, and emit
 * progress, cycle summaries, anomalies and archive frames. Anything that cannot be processed goes
 * to the dead-letter topic with its reason. Camera state is read from and written back to the
 * changelogged store on every record, so a restarted task continues where the last commit left.
 */
final class FrameProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(FrameProcessor.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final MonitorServices svc;
  private ProcessorContext<String, byte[]> ctx;
  private KeyValueStore<String, byte[]> states;
  private KeyValueStore<String, byte[]> archive;
  private ReadOnlyKeyValueStore<String, byte[]> references;
  private ReadOnlyKeyValueStore<String, byte[]> models;
  // One embedder per model for this task's thread (DJL: one predictor per thread).
  private final Map<String, StreamEmbedder> embedders = new HashMap<>();
  private final Set<String> rejected = new HashSet<>();

  FrameProcessor(MonitorServices svc) {
    this.svc = svc;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.ctx = context;
    this.states = context.getStateStore(Stores.CAMERA_STATE);
    this.archive = context.getStateStore(Stores.ARCHIVE_BUFFER);
    this.references = context.getStateStore(Stores.REFERENCES);
    this.models = context.getStateStore(Stores.MODELS);
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::silence);
  }

  @Override
  public void process(Record<String, byte[]> rec) {
    try {
      handle(rec);
    } catch (Rejected r) {
      svc.metrics().frame(r.kind);
      DeadLetters.send(ctx, rec, r.getMessage());
    } catch (RuntimeException e) {
      // Whatever the input, the application goes on; the record is kept with the reason.
      LOG.warn("frame from camera {} failed: {}", rec.key(), e.toString());
      svc.metrics().frame("error");
      DeadLetters.send(ctx, rec, "processing failed: " + e);
    }
  }

  /** A record that goes to the dead-letter topic. */
  static final class Rejected extends RuntimeException {
    final String kind;

    Rejected(String kind, String message) {
      super(message);
      this.kind = kind;
    }
  }

  private void handle(Record<String, byte[]> rec) {
    String camera = rec.key();
    if (camera == null || camera.isBlank()) {
      throw new Rejected("no_camera", "record without a camera id key");
    }
    long maxBytes = svc.config().getInt("lav.frames.max-bytes");
    if (rec.value() != null && rec.value().length > maxBytes) {
      throw new Rejected("oversized", "payload of " + rec.value().length + " bytes exceeds "
          + maxBytes);
    }
    FrameEnvelope env;
    try {
      env = FrameEnvelope.decode(rec.value());
    } catch (IllegalArgumentException e) {
      throw new Rejected("undecodable", e.getMessage());
    }
    if ((long) env.width() * env.height() > svc.config().getInt("lav.frames.max-pixels")) {
      throw new Rejected("oversized", "frame of " + env.width() + "x" + env.height()
          + " exceeds lav.frames.max-pixels");
    }
    Header sh = rec.headers().lastHeader(FrameEnvelope.STATION_HEADER);
    if (sh == null) {
      throw new Rejected("no_station", "no " + FrameEnvelope.STATION_HEADER + " header");
    }
    String station = new String(sh.value(), StandardCharsets.UTF_8);
    Set<String> known = svc.config().stations();
    if (!known.isEmpty() && !known.contains(station)) {
      throw new Rejected("unknown_station", "unknown station '" + station + "' (configured: "
          + known + ")");
    }
    byte[] refBytes = references.get(station);
    if (refBytes == null) {
      throw new Rejected("no_reference", "no reference for station '" + station + "'");
    }
    ReferenceRecord refRec = svc.referenceRecord(station, refBytes);
    byte[] stateBytes = states.get(camera);
    CameraState state = stateBytes == null ? new CameraState() : CameraState.fromBytes(stateBytes);
    if (state.station != null && !state.station.equals(station)) {
      throw new Rejected("wrong_station", "camera " + camera + " belongs to station "
          + state.station + ", record says " + station);
    }
    if (env.sequence() <= state.lastSeq) {
      throw new Rejected("out_of_order", "sequence " + env.sequence()
          + (env.sequence() == state.lastSeq ? " repeated" : " is older than " + state.lastSeq));
    }
    VideoFrame frame;
    try {
      frame = MonitorServices.decode(env.payload(), env.sequence());
    } catch (IllegalArgumentException e) {
      throw new Rejected("undecodable", e.getMessage());
    }
    if (frame.width() != env.width() || frame.height() != env.height()) {
      throw new Rejected("wrong_size", "image is " + frame.width() + "x" + frame.height()
          + ", the envelope says " + env.width() + "x" + env.height());
    }
    state.station = station;

    List<Events.Anomaly> extra = new ArrayList<>();
    StationReference ref = resolveModel(camera, state, refRec, extra);
    ModelRegistry.Model model = svc.models().get(state.modelId, uriOf(station, state.modelId));
    StreamEmbedder embedder = embedder(model);
    long t0 = System.nanoTime();
    double[] e = embedder.embed(frame, state.features);
    long t1 = System.nanoTime();
    CycleTracker tracker = new CycleTracker(camera, state, ref, svc.thresholds());
    long now = ctx.currentSystemTimeMs();
    double latency = now - env.captureMicros() / 1000.0;
    CycleTracker.Output out;
    try {
      out = tracker.onFrame(env.sequence(), env.captureMicros(), e, now, latency);
    } catch (io.lavmonitor.io.InvalidInputException stale) {
      // The aligner state belongs to an earlier reference of the station: start over.
      tracker.resetForNewReference(state.modelId);
      out = tracker.onFrame(env.sequence(), env.captureMicros(), e, now, latency);
    }
    svc.metrics().embedNanos(t1 - t0);
    svc.metrics().alignNanos(System.nanoTime() - t1);
    svc.metrics().frame(out.progress() == null ? "between_cycles" : "processed");
    bufferForArchive(camera, env, state);
    states.put(camera, state.toBytes());

    long ts = rec.timestamp();
    if (out.progress() != null) {
      svc.metrics().progress(camera, station, out.progress().progress());
      svc.metrics().endToEndMillis(latency);
      int every = Math.max(1, svc.config().getInt("lav.progress.every"));
      if (env.sequence() % every == 0) {
        forward(camera, out.progress(), ts, "to-progress");
      }
    }
    for (Events.CycleSummary c : out.cycles()) {
      svc.metrics().cycle(c);
      svc.recent().cycle(c);
      forward(camera, c, ts, "to-cycles");
      emitArchive(camera, station, c);
    }
    extra.addAll(out.anomalies());
    for (Events.Anomaly a : extra) {
      svc.metrics().anomaly(a);
      svc.recent().anomaly(a);
      forward(station, a, ts, "to-anomalies");
    }
  }

  /**
   * The reference the camera aligns against, switching to the station's newest model only at a
   * cycle boundary; a model that fails to load or verify is alerted on once and not retried.
   */
  private StationReference resolveModel(String camera, CameraState state, ReferenceRecord refRec,
                                        List<Events.Anomaly> alerts) {
    String station = refRec.station();
    String wanted = wantedModel(station, refRec);
    if (state.modelId == null) {
      state.modelId = refRec.modelId();
    }
    CycleTracker probe = new CycleTracker(camera, state, reference(refRec, state.modelId),
        svc.thresholds());
    if (!wanted.equals(state.modelId) && !rejected.contains(wanted) && probe.atBoundary()) {
      try {
        ModelRegistry.Model m = svc.models().get(wanted, uriOf(station, wanted));
        StationReference r = svc.reference(refRec, wanted, embedder(m));
        probe.resetForNewReference(wanted);
        LOG.info("camera {} switched to model {}", camera, wanted);
        svc.metrics().activeModel(station, wanted);
        return r;
      } catch (RuntimeException ex) {
        rejected.add(wanted);
        alerts.add(new Events.Anomaly("model_rejected", "warning", station, camera, null, null,
            "model " + wanted + " was not loaded; staying on " + state.modelId,
            Map.of("model", wanted, "reason", String.valueOf(ex.getMessage()),
                "current_model", state.modelId), ctx.currentSystemTimeMs()));
      }
    }
    svc.metrics().activeModel(station, state.modelId);
    return reference(refRec, state.modelId);
  }

  private StationReference reference(ReferenceRecord refRec, String modelId) {
    ModelRegistry.Model m = svc.models().get(modelId, uriOf(refRec.station(), modelId));
    return svc.reference(refRec, modelId, embedder(m));
  }

  private String wantedModel(String station, ReferenceRecord refRec) {
    byte[] u = models.get(station);
    return u == null ? refRec.modelId() : ModelUpdates.parse(u).id();
  }

  private String uriOf(String station, String modelId) {
    byte[] u = models.get(station);
    if (u == null) {
      return null;
    }
    ModelUpdates.Update up = ModelUpdates.parse(u);
    return up.id().equals(modelId) ? up.uri() : null;
  }

  private StreamEmbedder embedder(ModelRegistry.Model m) {
    return embedders.computeIfAbsent(m.card().id(), id -> new StreamEmbedder(m.encoder(),
        m.card().inputSize(), m.card().contextFrames(), m.card().contextStride(),
        svc.models().device()));
  }

  private void forward(String key, Object value, long ts, String child) {
    try {
      ctx.forward(new Record<>(key, JSON.writeValueAsBytes(value), ts), child);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps every n-th frame's JPEG while a cycle runs, for the archive topic. */
  private void bufferForArchive(String camera, FrameEnvelope env, CameraState state) {
    int every = svc.config().getInt("lav.archive.every");
    if (every <= 0 || env.sequence() % every != 0) {
      return;
    }
    List<KeyValue<Long, byte[]>> buf = readBuffer(archive.get(camera));
    buf.add(KeyValue.pair(env.sequence(), env.payload()));
    while (buf.size() > 400) {
      buf.remove(0);
    }
    archive.put(camera, writeBuffer(buf));
  }

  private void emitArchive(String camera, String station, Events.CycleSummary c) {
    List<KeyValue<Long, byte[]>> buf = readBuffer(archive.get(camera));
    List<KeyValue<Long, byte[]>> in = buf.stream()
        .filter(kv -> kv.key >= c.startSequence() && kv.key <= c.endSequence()).toList();
    for (int i = 0; i < in.size(); i++) {
      var r = new ArchiveFrame(station, camera, c.cycleId(), i, in.size(), in.get(i).value)
          .toRecord("unused");
      ctx.forward(new Record<>(station, in.get(i).value, ctx.currentSystemTimeMs(),
          r.headers()), "to-archive");
    }
    archive.put(camera, writeBuffer(new ArrayList<>(buf.stream()
        .filter(kv -> kv.key > c.endSequence()).toList())));
  }

  static List<KeyValue<Long, byte[]>> readBuffer(byte[] b) {
    List<KeyValue<Long, byte[]>> out = new ArrayList<>();
    if (b == null) {
      return out;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        long seq = in.readLong();
        out.add(KeyValue.pair(seq, in.readNBytes(in.readInt())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static byte[] writeBuffer(List<KeyValue<Long, byte[]>> buf) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream o = new DataOutputStream(bytes)) {
      o.writeInt(buf.size());
      for (KeyValue<Long, byte[]> kv : buf) {
        o.writeLong(kv.key);
        o.writeInt(kv.value.length);
        o.write(kv.value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Wall-clock check: a camera that sent nothing for a while gets one alert. */
  private void silence(long now) {
    double limit = svc.thresholds().silentSeconds() * 1000;
    List<KeyValue<String, CameraState>> silent = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = states.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        CameraState s = CameraState.fromBytes(kv.value);
        if (!s.silentAlerted && s.lastWallMillis > 0 && now - s.lastWallMillis > limit) {
          silent.add(KeyValue.pair(kv.key, s));
        }
      }
    }
    for (KeyValue<String, CameraState> kv : silent) {
      CameraState s = kv.value;
      s.silentAlerted = true;
      s.noteAnomaly("camera_silent");
      states.put(kv.key, s.toBytes());
      double secs = (now - s.lastWallMillis) / 1000.0;
      Events.Anomaly a = new Events.Anomaly("camera_silent", "critical", s.station, kv.key,
          s.cycleId(kv.key), s.lastPhase, String.format(java.util.Locale.ROOT,
          "camera %s sent no frames for %.0f s", kv.key, secs),
          Map.of("silent_seconds", secs, "limit_seconds", limit / 1000,
              "last_sequence", s.lastSeq), now);
      svc.metrics().anomaly(a);
      svc.recent().anomaly(a);
      forward(s.station, a, now, "to-anomalies");
    }
  }

  @Override
  public void close() {
    embedders.values().forEach(StreamEmbedder::close);
    embedders.clear();
  }
}
