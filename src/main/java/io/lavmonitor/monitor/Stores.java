package io.lavmonitor.monitor;

/** Names of the monitor's state stores. */
public final class Stores {
  /** Per camera: {@link CameraState}, changelogged. */
  public static final String CAMERA_STATE = "camera-state";
  /** Per camera: sampled JPEG frames of the running cycle, for the archive topic. */
  public static final String ARCHIVE_BUFFER = "archive-buffer";
  /** Global, per station: the latest {@link ReferenceRecord}. */
  public static final String REFERENCES = "references";
  /** Global, per station: the latest model update. */
  public static final String MODELS = "models";

  private Stores() {}
}
