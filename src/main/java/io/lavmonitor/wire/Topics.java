package io.lavmonitor.wire;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of a line, each declared once with its key and value serdes and its settings
 * (see topology/README.md for the schemas). Inputs that people or other programs write (frames,
 * signals, references, model updates) are read as bytes and decoded by the monitor itself, so
 * that a bad record reaches the dead-letter topic with its reason instead of failing a
 * deserialiser; the monitor's own outputs are typed.
 */
public final class Topics {
  /** Names, for places that need a constant (command-line defaults). */
  public static final String FRAMES_NAME = "lav.frames";
  public static final String ARCHIVE_NAME = "lav.archive";
  public static final String MODELS_NAME = "lav.models";
  public static final String CYCLES_NAME = "lav.cycles";

  static final int MIB = 1 << 20;

  private static final Serde<String> KEY = Serdes.String();
  private static final Serde<byte[]> BYTES = Serdes.ByteArray();

  /** Camera frames: key camera id, value a {@link FrameEnvelope}; header lav.station. */
  public static final Topic<String, byte[]> FRAMES = new Topic<>(FRAMES_NAME, KEY, BYTES,
      retention(TimeUnit.HOURS.toMillis(6)), false, 8 * MIB);
  /** PLC cycle signals: key camera id, value a {@link Signal}. */
  public static final Topic<String, byte[]> SIGNALS = new Topic<>("lav.signals", KEY, BYTES,
      Map.of(), false, Topic.BROKER_DEFAULT_MAX);
  /** Station references as published: key station, value a {@link ReferenceRecord}. */
  public static final Topic<String, byte[]> REFERENCES = new Topic<>("lav.references", KEY,
      BYTES, compacted(), true, 16 * MIB);
  /** Model updates as published: key station, value a {@link ModelUpdate}. */
  public static final Topic<String, byte[]> MODELS = new Topic<>(MODELS_NAME, KEY, BYTES,
      compacted(), true, Topic.BROKER_DEFAULT_MAX);
  /**
   * The station catalog: the last valid reference and model update of each station, as the
   * monitor accepted them (key {@code reference/STATION} or {@code model/STATION}, value the
   * original bytes). Compaction of the published topics cannot take a good record away from
   * here, since a record that fails validation never gets here.
   */
  public static final Topic<String, byte[]> CATALOG = new Topic<>("lav.catalog", KEY, BYTES,
      compacted(), true, 17 * MIB);
  /** Key camera id: where the camera is in its cycle after a frame. */
  public static final Topic<String, Events.Progress> PHASE_PROGRESS = new Topic<>(
      "lav.phase-progress", KEY, JsonSerde.of(Events.Progress.class),
      retention(TimeUnit.DAYS.toMillis(1)), false, Topic.BROKER_DEFAULT_MAX);
  /** Key camera id: one completed cycle. */
  public static final Topic<String, Events.CycleSummary> CYCLES = new Topic<>(CYCLES_NAME, KEY,
      JsonSerde.of(Events.CycleSummary.class), retention(TimeUnit.DAYS.toMillis(90)), false,
      Topic.BROKER_DEFAULT_MAX);
  /** Key camera id: a cycle boundary confirmed after the frames it separates. */
  public static final Topic<String, Events.CycleStarted> CYCLE_STARTS = new Topic<>(
      "lav.cycle-starts", KEY, JsonSerde.of(Events.CycleStarted.class),
      retention(TimeUnit.DAYS.toMillis(7)), false, Topic.BROKER_DEFAULT_MAX);
  /** Key station: one alert. */
  public static final Topic<String, Events.Anomaly> ANOMALIES = new Topic<>("lav.anomalies",
      KEY, JsonSerde.of(Events.Anomaly.class), retention(TimeUnit.DAYS.toMillis(90)), false,
      Topic.BROKER_DEFAULT_MAX);
  /** Key station: sampled frames as they arrive, for the trainer ({@link ArchiveFrame}). */
  public static final Topic<String, byte[]> ARCHIVE = new Topic<>(ARCHIVE_NAME, KEY, BYTES,
      retention(TimeUnit.DAYS.toMillis(14)), false, 8 * MIB);
  /**
   * What each camera has learnt of its station's normal cycles (key {@code STATION/CAMERA},
   * value an {@link io.lavmonitor.engine.StationCalibration} record, one per camera, written
   * after each cycle it learnt from); read by every camera of the station through a global
   * store, so the station's cameras calibrate together.
   */
  public static final Topic<String, byte[]> CALIBRATION = new Topic<>("lav.calibration", KEY,
      BYTES, compacted(), true, Topic.BROKER_DEFAULT_MAX);
  /** Original key: records the monitor could not use, with the reason ({@link DeadLetter}). */
  public static final Topic<String, byte[]> DEAD_LETTER = new Topic<>("lav.dead-letter", KEY,
      BYTES, retention(TimeUnit.DAYS.toMillis(30)), false, 8 * MIB);

  private Topics() {}

  /** Every topic of the line. */
  public static List<Topic<?, ?>> all() {
    return List.of(FRAMES, SIGNALS, REFERENCES, MODELS, CATALOG, PHASE_PROGRESS, CYCLES,
        CYCLE_STARTS, ANOMALIES, ARCHIVE, CALIBRATION, DEAD_LETTER);
  }

  private static Map<String, String> retention(long ms) {
    return Map.of("retention.ms", Long.toString(ms));
  }

  private static Map<String, String> compacted() {
    return Map.of("cleanup.policy", "compact");
  }
}
