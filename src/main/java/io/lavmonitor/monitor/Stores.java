package io.lavmonitor.monitor;

/** Names of the monitor's state stores. */
public final class Stores {
  /** Per camera: its {@link io.lavmonitor.engine.CameraState}, changelogged. */
  public static final String CAMERA_STATE = "camera-state";
  /** Per camera and slot: the running cycle's {@link io.lavmonitor.engine.TrackEntry}. */
  public static final String CAMERA_TRACK = "camera-track";
  /** Global: the station catalog (validated references and model updates). */
  public static final String CATALOG = "station-catalog";
  /** Global: each camera's calibration record ({@code STATION/CAMERA}), from lav.calibration. */
  public static final String CALIBRATION = "station-calibration";

  private Stores() {}
}
