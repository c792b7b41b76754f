package io.lavmonitor.kafka;

/** The topics of a line; each one's key, value and retention are documented in topology/. */
public final class Topics {
  public static final String FRAMES = "lav.frames";
  public static final String REFERENCES = "lav.references";
  public static final String PHASE_PROGRESS = "lav.phase-progress";
  public static final String CYCLES = "lav.cycles";
  public static final String ANOMALIES = "lav.anomalies";
  public static final String ARCHIVE = "lav.archive";
  public static final String MODELS = "lav.models";
  public static final String DEAD_LETTER = "lav.dead-letter";
  public static final String SIGNALS = "lav.signals";

  private Topics() {}
}
