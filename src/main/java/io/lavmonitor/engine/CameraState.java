package io.lavmonitor.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What the monitor keeps of one camera between frames, in the changelogged camera-state store
 * ({@link CameraStateSerde} writes it): the station and model, the agent's session and sequence
 * (the order contract), the count of frames processed, the streaming aligner's snapshot, the
 * cycle in progress and what the anomaly rules need. It is small and does not grow with the
 * backbone: the context frames' backbone features are a cache that is rebuilt after a restore
 * (see {@link CameraEngine}), and the per-frame track of the running cycle lives in a store of
 * its own, one entry per frame ({@link Track}).
 */
public final class CameraState {
  /** Recent cycle costs kept for calibration. */
  static final int COSTS = 50;
  /** Earlier agent sessions remembered, so late frames of one are refused, not taken as new. */
  static final int SESSIONS = 4;

  String station;
  String modelId;
  String modelUri; // where the model came from, when a model update named a place
  // The order contract: sequences count within an agent session.
  long session;
  long lastSeq = -1;
  final Deque<Long> pastSessions = new ArrayDeque<>();
  // Frames processed for this camera, across sessions and models; never reset.
  long frames;
  // Streaming aligner snapshot as last written; the live aligner supersedes it in memory.
  byte[] aligner;
  boolean explicit; // cycle boundaries come from PLC signals
  boolean inCycle; // explicit mode: between a start and a stop
  long cycleCounter;
  long cycleStartMicros;
  long lastCaptureMicros;
  long lastWallMillis;
  boolean silentAlerted;
  // Stall rule: since when the scene has not changed, and the previous frame's embedding.
  long stillSinceMicros;
  float[] previous;
  boolean stallAlerted;
  // Unknown-content rule.
  int unknownRun;
  boolean unknownAlerted;
  // Normal cycle costs for calibration, oldest first.
  final Deque<Double> costs = new ArrayDeque<>();
  // Per-phase costs of recent normal cycles (null until the first cycle under this model).
  PhaseProfile profile;
  // The running cycle as the online path sees it (null before the first frame under a model).
  LiveCycle live;
  // For the state endpoint.
  String lastPhase;
  double lastProgress;
  double runningCost = Double.NaN; // mean frame cost of the best path so far
  int lastIndex; // hard best reference frame of the last frame
  boolean cycleEnded; // a cycle completed since the last model swap
  // A cycle the aligner found but not yet summarised: with unordered steps it may run on past
  // the aligner's end (aligner frames heldStart..heldEnd, its cost); heldEnd < 0: none.
  long heldStart = -1;
  long heldEnd = -1;
  double heldCost;
  final Deque<String> recentAnomalies = new ArrayDeque<>();

  public String station() {
    return station;
  }

  public String modelId() {
    return modelId;
  }

  public String modelUri() {
    return modelUri;
  }

  public long session() {
    return session;
  }

  public long lastSequence() {
    return lastSeq;
  }

  /** Frames processed for this camera so far. */
  public long frames() {
    return frames;
  }

  public String cycleId(String camera) {
    return camera + "-" + cycleCounter;
  }

  /** The id of the cycle {@code ahead} cycles after the current one. */
  String cycleId(String camera, int ahead) {
    return camera + "-" + (cycleCounter + ahead);
  }

  public String lastPhase() {
    return lastPhase;
  }

  public double lastProgress() {
    return lastProgress;
  }

  /**
   * The running cycle as a checklist of the reference's steps (done, skipped, current, to come,
   * with their durations so far); empty before the first frame under this model.
   */
  public List<LiveCycle.Step> checklist(List<String> phases, List<Double> referenceSeconds) {
    return live == null || phases == null ? List.of() : live.checklist(phases, referenceSeconds);
  }

  public List<String> recentAnomalies() {
    return new ArrayList<>(recentAnomalies);
  }

  public long lastWallMillis() {
    return lastWallMillis;
  }

  public boolean silentAlerted() {
    return silentAlerted;
  }

  void noteAnomaly(String what) {
    recentAnomalies.addLast(what);
    while (recentAnomalies.size() > 5) {
      recentAnomalies.removeFirst();
    }
  }
}
