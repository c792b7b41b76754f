package io.lavmonitor.monitor;

import io.lavmonitor.embed.StreamEmbedder;
import io.lavmonitor.engine.CameraEngine;
import io.lavmonitor.engine.CameraState;
import io.lavmonitor.engine.CameraStateSerde;
import io.lavmonitor.engine.StationCalibration;
import io.lavmonitor.engine.StationReference;
import io.lavmonitor.station.ModelPreparer;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.station.StationCatalog;
import io.lavmonitor.video.ImageDecoder;
import io.lavmonitor.wire.ArchiveFrame;
import io.lavmonitor.wire.Events;
import io.lavmonitor.wire.FrameEnvelope;
import io.lavmonitor.wire.Names;
import io.lavmonitor.wire.Signal;
import io.lavmonitor.wire.Topics;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras of one task: every frame and PLC signal of its partitions. Each camera has a live
 * {@link CameraEngine} in this task's session cache, decoded from the camera-state store once
 * (on the first record after a start or a rebalance) and written back, small, after each
 * record. Per record: check it, decode the image safely, attach the station's reference under
 * the camera's model (switching to a newly prepared model at a cycle boundary), embed, align,
 * run the rules, and emit progress, cycles, anomalies and sampled archive frames. A record that
 * cannot be used goes to the dead-letter topic with its reason; nothing a record holds can stop
 * the task.
 */
final class CameraProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CameraProcessor.class);

  private final MonitorServices svc;
  private final MonitorConfig.Settings cfg;
  private ProcessorContext<String, Object> ctx;
  private KeyValueStore<String, byte[]> states;
  private KeyValueStore<String, byte[]> tracks;
  private KeyValueStore<String, byte[]> calibration;
  private PoisonGuard guard;
  // The session cache: live engines of this task's cameras.
  private final Map<String, CameraEngine> engines = new HashMap<>();
  // Cameras whose state this task holds but has not loaded yet (restored ones).
  private final Set<String> dormant = new LinkedHashSet<>();
  // Wall-clock time of the last record of each camera, processed or not.
  private final Map<String, Long> lastSeen = new HashMap<>();
  // One embedder per model for this task's thread (DJL: one predictor per thread).
  private final Map<String, StreamEmbedder> embedders = new HashMap<>();

  CameraProcessor(MonitorServices svc) {
    this.svc = svc;
    this.cfg = svc.settings();
  }

  /** A record that goes to the dead-letter topic. */
  static final class Rejected extends RuntimeException {
    final String kind;

    Rejected(String kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.ctx = context;
    this.states = context.getStateStore(Stores.CAMERA_STATE);
    this.tracks = context.getStateStore(Stores.CAMERA_TRACK);
    KeyValueStore<String, byte[]> catalogStore = context.getStateStore(Stores.CATALOG);
    this.calibration = context.getStateStore(Stores.CALIBRATION);
    svc.catalog().backedBy(catalogStore::get);
    engines.clear();
    dormant.clear();
    try (KeyValueIterator<String, byte[]> it = states.all()) {
      while (it.hasNext()) {
        dormant.add(it.next().key);
      }
    }
    guard = PoisonGuard.open(context.stateDir());
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::silence);
  }

  @Override
  public void process(Record<String, byte[]> rec) {
    var meta = ctx.recordMetadata();
    String topic = meta.map(m -> m.topic()).orElse(Topics.FRAMES.name());
    boolean signal = topic.equals(Topics.SIGNALS.name());
    if (meta.isPresent() && !guard.enter(topic, meta.get().partition(), meta.get().offset())) {
      svc.metrics().frame("poison");
      DeadLetters.send(ctx, rec, "poison", "the monitor process ended while processing this "
          + "record; skipped so that it cannot do so again", svc.deadLetterBytes());
      return;
    }
    try {
      if (signal) {
        signal(rec);
      } else {
        frame(rec);
      }
    } catch (Rejected r) {
      svc.metrics().frame(r.kind);
      DeadLetters.send(ctx, rec, r.kind, r.getMessage(), svc.deadLetterBytes());
      forgetIfNew(rec.key());
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      // Whatever the record, the task goes on; the camera reloads its last written state.
      LOG.warn("{} record of camera {} failed: {}", signal ? "signal" : "frame",
          Names.shown(rec.key()), e.toString());
      if (rec.key() != null) {
        engines.remove(rec.key());
      }
      svc.metrics().frame("internal_error");
      DeadLetters.send(ctx, rec, "internal_error", "processing failed: " + e,
          svc.deadLetterBytes());
    } finally {
      guard.exit();
    }
  }

  /**
   * A camera id that has never had a usable record leaves no trace: bad records under ever new
   * ids must not grow the session cache.
   */
  private void forgetIfNew(String camera) {
    CameraEngine e = camera == null ? null : engines.get(camera);
    if (camera != null && (e == null ? !dormant.contains(camera) : e.state().frames() == 0
        && e.state().station() == null)) {
      engines.remove(camera);
      lastSeen.remove(camera);
    }
  }

  private void frame(Record<String, byte[]> rec) {
    String camera = cameraOf(rec);
    long now = ctx.currentSystemTimeMs();
    lastSeen.put(camera, now);
    byte[] value = rec.value();
    if (value != null && value.length > cfg.maxFrameBytes()) {
      throw new Rejected("oversized", "payload of " + value.length + " bytes exceeds "
          + "lav.frames.max-bytes=" + cfg.maxFrameBytes());
    }
    FrameEnvelope env;
    try {
      env = FrameEnvelope.decode(value);
    } catch (IllegalArgumentException e) {
      throw new Rejected("undecodable", e.getMessage());
    }
    if ((long) env.width() * env.height() > cfg.maxPixels()) {
      throw new Rejected("oversized", "frame of " + env.width() + "x" + env.height()
          + " exceeds lav.frames.max-pixels=" + cfg.maxPixels());
    }
    String station = stationOf(rec);
    CameraEngine engine = engine(camera);
    CameraState s = engine.state();
    if (s.station() != null && !s.station().equals(station)) {
      throw new Rejected("wrong_station", "camera " + camera + " belongs to station "
          + s.station() + ", record says " + station);
    }
    StationCatalog.ReferenceEntry ref = svc.catalog().reference(station);
    if (ref == null) {
      throw new Rejected("no_reference", "no reference for station '" + station + "'");
    }
    long t0 = System.nanoTime();
    BufferedImage image;
    try {
      image = ImageDecoder.decode(env.payload(), env.width(), env.height(), cfg.maxPixels());
    } catch (ImageDecoder.Refused e) {
      throw new Rejected(e.kind(), e.getMessage());
    }
    long t1 = System.nanoTime();
    CameraEngine.Admission admission = engine.admit(env.session(), env.sequence());
    if (!admission.admitted()) {
      throw new Rejected(admission == CameraEngine.Admission.STALE_SESSION ? "stale_session"
          : "out_of_order", switch (admission) {
            case REPEATED -> "sequence " + env.sequence() + " repeated";
            case OLDER -> "sequence " + env.sequence() + " is older than " + s.lastSequence();
            default -> "frame of agent session " + env.session() + ", which camera " + camera
                + " has replaced by session " + s.session();
          });
    }
    if (admission == CameraEngine.Admission.NEW_SESSION && s.frames() > 0) {
      LOG.info("camera {}: new agent session {} from sequence {}", camera, env.session(),
          env.sequence());
    }
    List<Events.Anomaly> alerts = new ArrayList<>();
    attach(engine, station, ref, alerts);
    ModelRegistry.Model model = svc.models().get(s.modelId(), s.modelUri());
    StreamEmbedder embedder = embedder(model);
    double latency = now - env.captureMicros() / 1000.0;
    long[] embedNanos = new long[1];
    long t2 = System.nanoTime();
    CameraEngine.Output out = engine.onFrame(env.sequence(), env.captureMicros(), image,
        (img, context) -> {
          long a = System.nanoTime();
          double[] e = embedder.embed(img, context);
          embedNanos[0] = System.nanoTime() - a;
          return e;
        }, now, latency);
    long t3 = System.nanoTime();
    states.put(camera, engine.stateBytes());
    long t4 = System.nanoTime();
    svc.metrics().decodeNanos(t1 - t0);
    svc.metrics().embedNanos(embedNanos[0]);
    svc.metrics().alignNanos(t3 - t2 - embedNanos[0]);
    svc.metrics().stateNanos(t4 - t3);
    svc.metrics().frame(out.progress() == null ? "between_cycles" : "processed");

    long ts = rec.timestamp();
    if (out.progress() != null) {
      svc.metrics().progress(camera, station, out.progress().progress());
      svc.metrics().endToEndMillis(latency);
      if (s.frames() % cfg.progressEvery() == 0) {
        ctx.forward(new Record<>(camera, out.progress(), ts), "to-progress");
      }
    }
    if (cfg.archiveEvery() > 0 && s.frames() % cfg.archiveEvery() == 0) {
      ArchiveFrame a = ArchiveFrame.of(station, camera, s.frames() - 1, env.session(),
          env.sequence(), env.payload());
      ctx.forward(new Record<>(station, env.payload(), ts, a.headers()), "to-archive");
    }
    alerts.addAll(out.anomalies());
    for (Events.CycleStarted c : out.starts()) {
      ctx.forward(new Record<>(camera, c, ts), "to-cycle-starts");
    }
    emit(out.cycles(), alerts, ts);
    shareCalibration(engine, camera, ts);
  }

  private void signal(Record<String, byte[]> rec) {
    String camera = cameraOf(rec);
    Signal sig;
    try {
      sig = Signal.parse(rec.value(), rec.timestamp());
    } catch (IllegalArgumentException e) {
      throw new Rejected("bad_signal", e.getMessage());
    }
    if (!engines.containsKey(camera) && states.get(camera) == null) {
      throw new Rejected("bad_signal", "signal for camera " + camera
          + ", which has sent no frames yet");
    }
    CameraEngine engine = engine(camera);
    String station = engine.state().station();
    StationCatalog.ReferenceEntry ref = station == null ? null
        : svc.catalog().reference(station);
    if (ref == null) {
      throw new Rejected("no_reference", "no reference for station " + station);
    }
    List<Events.Anomaly> alerts = new ArrayList<>();
    attach(engine, station, ref, alerts);
    CameraEngine.Output out = engine.onSignal(sig.type(), sig.millis() * 1000);
    states.put(camera, engine.stateBytes());
    alerts.addAll(out.anomalies());
    emit(out.cycles(), alerts, rec.timestamp());
    shareCalibration(engine, camera, rec.timestamp());
  }

  private String cameraOf(Record<String, byte[]> rec) {
    if (rec.key() == null || rec.key().isBlank()) {
      throw new Rejected("no_camera", "record without a camera id key");
    }
    if (!Names.valid(rec.key())) {
      throw new Rejected("bad_camera", "camera " + Names.shown(rec.key()) + " is not 1 to "
          + Names.MAX_LENGTH + " letters, digits, '.', '_' or '-'");
    }
    return rec.key();
  }

  private String stationOf(Record<String, byte[]> rec) {
    Header sh = rec.headers().lastHeader(FrameEnvelope.STATION_HEADER);
    if (sh == null || sh.value() == null || sh.value().length == 0) {
      throw new Rejected("no_station", "no " + FrameEnvelope.STATION_HEADER + " header");
    }
    String station = new String(sh.value(), StandardCharsets.UTF_8);
    if (!Names.valid(station)) {
      throw new Rejected("no_station", "station " + Names.shown(station) + " is not a station "
          + "id");
    }
    if (!cfg.stations().isEmpty() && !cfg.stations().contains(station)) {
      throw new Rejected("unknown_station", "unknown station '" + station + "' (configured: "
          + cfg.stations() + ")");
    }
    return station;
  }

  /** The calibration records of a station's cameras (the global store; read once a cycle). */
  private List<StationCalibration.Peer> peers(String station, String camera) {
    List<StationCalibration.Peer> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = calibration.prefixScan(station + "/",
        new org.apache.kafka.common.serialization.StringSerializer())) {
      while (it.hasNext()) {
        var kv = it.next();
        try {
          out.add(StationCalibration.read(kv.value));
        } catch (IllegalArgumentException ex) {
          LOG.debug("calibration record {} skipped: {}", kv.key, ex.getMessage());
        }
      }
    }
    return out;
  }

  /** Shares what the camera learnt from a cycle with its station's cameras. */
  private void shareCalibration(CameraEngine engine, String camera, long ts) {
    byte[] cal = engine.takeCalibration();
    if (cal != null && engine.state().station() != null) {
      ctx.forward(new Record<>(engine.state().station() + "/" + camera, cal, ts),
          "to-calibration");
    }
  }

  /** The camera's live engine, decoded from the store on first use. */
  private CameraEngine engine(String camera) {
    CameraEngine e = engines.get(camera);
    if (e != null) {
      return e;
    }
    dormant.remove(camera);
    CameraState s = new CameraState();
    byte[] b = states.get(camera);
    String reset = null;
    if (b != null) {
      try {
        CameraStateSerde.Decoded d = CameraStateSerde.read(b);
        s = d.state();
        for (CameraStateSerde.Slot slot : d.legacyTrack()) {
          tracks.put(KvTrack.key(camera, slot.slot()), slot.entry().toBytes());
        }
        if (d.version() != CameraStateSerde.VERSION) {
          LOG.info("camera {}: state of format {} read and migrated", camera, d.version());
        }
      } catch (IllegalArgumentException ex) {
        reset = ex.getMessage();
      }
    }
    e = new CameraEngine(camera, s, cfg.thresholds(), new KvTrack(tracks, camera));
    e.peers(this::peers);
    engines.put(camera, e);
    if (reset != null) {
      // Kept for a person to look at; the camera starts afresh, and one alert says so.
      svc.metrics().frame("bad_state");
      DeadLetters.sendBytes(ctx, camera, b, Stores.CAMERA_STATE, "bad_state", "camera state "
          + "could not be decoded (" + reset + "); the camera starts afresh",
          svc.deadLetterBytes(), ctx.currentSystemTimeMs());
      Events.Anomaly a = new Events.Anomaly("state_reset", "warning", null, camera, null, null,
          "the saved state of camera " + camera + " could not be read; it starts afresh "
              + "(the bytes are on the dead-letter topic)", Map.of("reason", reset,
              "bytes", b.length), ctx.currentSystemTimeMs());
      emit(List.of(), List.of(a), ctx.currentSystemTimeMs());
    }
    return e;
  }

  /**
   * Attaches the station's reference under the camera's model, and at a cycle boundary switches
   * to the station's wanted model once its preparation has finished. A model that cannot be
   * prepared raises one alert and the camera keeps its model.
   */
  private void attach(CameraEngine engine, String station, StationCatalog.ReferenceEntry ref,
                      List<Events.Anomaly> alerts) {
    CameraState s = engine.state();
    String wanted = svc.catalog().wantedModel(station, ref);
    if (s.modelId() == null) {
      String uri = svc.catalog().uriOf(station, wanted);
      engine.attach(svc.preparer().now(ref, wanted, uri), uri);
    } else {
      StationReference current;
      try {
        current = svc.preparer().now(ref, s.modelId(), s.modelUri());
      } catch (IllegalStateException e) {
        // The camera's model is gone (deleted from the store): the station's wanted one.
        String uri = svc.catalog().uriOf(station, wanted);
        alerts.add(modelRejected(station, engine.camera(), s.modelId(), e.getMessage(),
            wanted));
        engine.attach(svc.preparer().now(ref, wanted, uri), uri);
        return;
      }
      engine.attach(current, s.modelUri());
    }
    svc.metrics().activeModel(station, s.modelId());
    if (wanted.equals(s.modelId()) || !engine.atBoundary()) {
      return;
    }
    String uri = svc.catalog().uriOf(station, wanted);
    CompletableFuture<StationReference> next = svc.preparer().prepare(ref, wanted, uri);
    if (!next.isDone()) {
      return; // prepared in the background; the camera switches at a later boundary
    }
    String failure = ModelPreparer.failure(next);
    if (failure == null) {
      engine.attach(next.join(), uri);
      LOG.info("camera {} switched to model {}", engine.camera(), wanted);
      svc.metrics().activeModel(station, wanted);
    } else if (svc.firstTime("model|" + station + "|" + wanted + "|" + uri)) {
      alerts.add(modelRejected(station, engine.camera(), wanted, failure, s.modelId()));
    }
  }

  private Events.Anomaly modelRejected(String station, String camera, String model,
                                       String reason, String staying) {
    return new Events.Anomaly("model_rejected", "warning", station, camera, null, null,
        "model " + model + " was not loaded; staying on " + staying, Map.of("model", model,
        "reason", String.valueOf(reason), "current_model", staying),
        ctx.currentSystemTimeMs());
  }

  private StreamEmbedder embedder(ModelRegistry.Model m) {
    return embedders.computeIfAbsent(m.card().id(), id -> new StreamEmbedder(m.encoder(),
        m.card().inputSize(), m.card().contextFrames(), m.card().contextStride(),
        svc.models().device()));
  }

  private void emit(List<Events.CycleSummary> cycles, List<Events.Anomaly> anomalies,
                    long ts) {
    for (Events.CycleSummary c : cycles) {
      svc.metrics().cycle(c);
      svc.recent().cycle(c);
      ctx.forward(new Record<>(c.camera(), c, ts), "to-cycles");
    }
    for (Events.Anomaly a : anomalies) {
      svc.metrics().anomaly(a);
      svc.recent().anomaly(a);
      ctx.forward(new Record<>(a.station() == null ? "-" : a.station(), a, ts),
          "to-anomalies");
    }
  }

  /** Wall-clock check: a camera that sent nothing for a while gets one alert. */
  private void silence(long now) {
    double limit = cfg.thresholds().silentSeconds() * 1000;
    for (String camera : List.copyOf(dormant)) {
      engine(camera); // loads restored cameras, once
    }
    for (CameraEngine e : List.copyOf(engines.values())) {
      CameraState s = e.state();
      long seen = Math.max(s.lastWallMillis(), lastSeen.getOrDefault(e.camera(), 0L));
      if (s.silentAlerted() || seen <= 0 || now - seen <= limit) {
        continue;
      }
      String id = s.cycleId(e.camera());
      e.markSilent("camera_silent " + id);
      states.put(e.camera(), e.stateBytes());
      double secs = (now - seen) / 1000.0;
      Events.Anomaly a = new Events.Anomaly("camera_silent", "critical", s.station(),
          e.camera(), id, s.lastPhase(), String.format(Locale.ROOT,
          "camera %s sent no frames for %.0f s", e.camera(), secs), Map.of("silent_seconds",
          secs, "limit_seconds", limit / 1000, "last_sequence", s.lastSequence()), now);
      emit(List.of(), List.of(a), now);
    }
  }

  @Override
  public void close() {
    embedders.values().forEach(StreamEmbedder::close);
    embedders.clear();
    engines.clear();
    if (guard != null) {
      guard.close();
    }
  }
}
