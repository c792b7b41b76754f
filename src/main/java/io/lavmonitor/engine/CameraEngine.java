package io.lavmonitor.engine;

import io.lavmonitor.align.StreamingAligner;
import io.lavmonitor.wire.Events;
import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One camera, free of Kafka: the order contract of its agent's frames, the reference it aligns
 * against (and the switch to another one), embedding with the context of its recent frames, and
 * the cycles and rules of {@link CycleTracker}. The monitor's camera processor keeps one live
 * engine per camera of its task and persists {@link #stateBytes} after every frame; a replay
 * runs the same engine over a recording.
 *
 * <p>The backbone features of recent frames (the context of the next embeddings) are a cache
 * here, not state: after a restore the first frames embed with a shorter context (the missing
 * context frames are the oldest frame there is, as at the start of any stream) until enough
 * frames have arrived, which costs less than carrying the features through the changelog (their
 * size grows with the backbone: 12.8 MB a frame for ResNet-50 conv4c at 224 px).
 */
public final class CameraEngine {
  /** What one frame or signal produced. */
  public record Output(Events.Progress progress, List<Events.CycleSummary> cycles,
                       List<Events.Anomaly> anomalies, List<Events.CycleStarted> starts) {
    public Output(Events.Progress progress, List<Events.CycleSummary> cycles,
                  List<Events.Anomaly> anomalies) {
      this(progress, cycles, anomalies, List.of());
    }
  }

  /**
   * The station's other cameras' calibration records ({@link StationCalibration}), as the
   * monitor keeps them in a global store; read once per cycle, never per frame.
   */
  @FunctionalInterface
  public interface Peers {
    List<StationCalibration.Peer> of(String station, String camera);

    Peers NONE = (station, camera) -> List.of();
  }

  /** Embeds a decoded frame, keeping backbone features of recent frames in {@code context}. */
  @FunctionalInterface
  public interface Embedder {
    double[] embed(BufferedImage image, Deque<float[]> context);
  }

  /** Where a frame stands in its agent's order. */
  public enum Admission {
    /** Next in its session. */
    NEXT,
    /** The first of a new agent session: a restarted agent, a new order. */
    NEW_SESSION,
    /** A sequence number already processed in this session. */
    REPEATED,
    /** Older than the last processed one of this session. */
    OLDER,
    /** A frame of an agent session that has since been replaced. */
    STALE_SESSION;

    public boolean admitted() {
      return this == NEXT || this == NEW_SESSION;
    }
  }

  private final String camera;
  private final CameraState s;
  private final Thresholds th;
  private final Track track;
  private final Deque<float[]> context = new ArrayDeque<>();
  private StationReference ref;
  private CycleTracker tracker;
  private Peers peers = Peers.NONE;

  /** An engine over a restored (or new) state; it aligns once a reference is attached. */
  public CameraEngine(String camera, CameraState state, Thresholds thresholds, Track track) {
    this.camera = camera;
    this.s = state;
    this.th = thresholds;
    this.track = track;
  }

  /** Where the station's other cameras' calibration comes from (default: none). */
  public void peers(Peers peers) {
    this.peers = peers;
  }

  /**
   * This camera's calibration record when it learnt from a cycle since the last call (to be
   * shared with the station's cameras on {@code lav.calibration}), else null.
   */
  public byte[] takeCalibration() {
    return tracker != null && tracker.takeLearnt() ? StationCalibration.write(camera, s) : null;
  }

  public String camera() {
    return camera;
  }

  public CameraState state() {
    return s;
  }

  /** The reference attached, or null. */
  public StationReference reference() {
    return ref;
  }

  /**
   * Judges a frame's place in its agent's order and, when admitted, records it. Sequences count
   * within a session; a session the camera has not seen starts a new order (the agent
   * restarted), while frames of a session that has been replaced are refused.
   */
  public Admission admit(long session, long sequence) {
    if (session == s.session) {
      if (sequence <= s.lastSeq) {
        return sequence == s.lastSeq ? Admission.REPEATED : Admission.OLDER;
      }
      s.lastSeq = sequence;
      return Admission.NEXT;
    }
    if (s.pastSessions.contains(session)) {
      return Admission.STALE_SESSION;
    }
    if (s.lastSeq >= 0) {
      s.pastSessions.addLast(s.session);
      while (s.pastSessions.size() > CameraState.SESSIONS) {
        s.pastSessions.removeFirst();
      }
    }
    s.session = session;
    s.lastSeq = sequence;
    return Admission.NEW_SESSION;
  }

  /**
   * Aligns against {@code reference} from now on. The saved aligner resumes when it was saved
   * against these very embeddings (a restart); another reference or model starts over, with
   * calibration afresh (costs under another model are on another scale). The cycle count goes
   * on.
   */
  public void attach(StationReference reference) {
    attach(reference, null);
  }

  /** As {@link #attach(StationReference)}, remembering where the model came from. */
  public void attach(StationReference reference, String modelUri) {
    if (ref != null && ref.fingerprint() == reference.fingerprint()
        && ref.modelId().equals(reference.modelId())) {
      if (!ref.steps().equals(reference.steps())) { // the same cycle, other step rules
        this.ref = reference;
        tracker.useSteps(reference.steps());
      }
      return;
    }
    StreamingAligner restored = null;
    boolean resumes = ref == null && reference.modelId().equals(s.modelId) && (s.aligner == null
        || StreamingAligner.savedAgainst(s.aligner) == reference.fingerprint());
    if (resumes && s.aligner != null) {
      restored = StreamingAligner.restore(reference.reference(), reference.fingerprint(),
          s.aligner);
    } else if (!resumes) {
      startOver(reference.modelId());
    }
    s.station = reference.station();
    if (!resumes) {
      s.modelUri = modelUri;
    }
    this.ref = reference;
    this.tracker = new CycleTracker(camera, s, reference, th, track, restored, peers);
  }

  private void startOver(String modelId) {
    boolean otherModel = s.modelId != null && !s.modelId.equals(modelId);
    s.aligner = null;
    s.modelId = modelId;
    s.cycleEnded = false;
    s.heldEnd = -1; // a cycle held under the old reference
    s.heldStart = -1;
    s.costs.clear();
    s.profile = null;
    s.live = null;
    s.previous = null;
    s.stallAlerted = false;
    s.unknownRun = 0;
    s.unknownAlerted = false;
    if (otherModel) {
      context.clear(); // another model's features
    }
  }

  /** Whether a model swap may happen now (see {@link CycleTracker#atBoundary}). */
  public boolean atBoundary() {
    return tracker == null || tracker.atBoundary();
  }

  /** Embeds, aligns and checks one admitted frame. */
  public Output onFrame(long sequence, long captureMicros, BufferedImage image,
                        Embedder embedder, long wallMillis, double latencyMillis) {
    requireReference();
    double[] e = embedder.embed(image, context);
    return onEmbedded(sequence, captureMicros, e, wallMillis, latencyMillis);
  }

  /** Aligns and checks one admitted frame whose embedding is known. */
  public Output onEmbedded(long sequence, long captureMicros, double[] embedding,
                           long wallMillis, double latencyMillis) {
    requireReference();
    s.frames++;
    s.lastCaptureMicros = captureMicros;
    s.lastWallMillis = wallMillis;
    s.silentAlerted = false;
    return tracker.onFrame(sequence, captureMicros, embedding, wallMillis, latencyMillis);
  }

  /** A PLC signal (start or stop). */
  public Output onSignal(String type, long captureMicros) {
    requireReference();
    return tracker.onSignal(type, captureMicros);
  }

  private void requireReference() {
    if (tracker == null) {
      throw new IllegalStateException("camera " + camera + " has no reference attached");
    }
  }

  /** The state as the camera-state store keeps it, with the live aligner's snapshot. */
  public byte[] stateBytes() {
    if (tracker != null) {
      s.aligner = tracker.alignerSnapshot();
    }
    return CameraStateSerde.write(s, null);
  }

  /** Frames of context the next embedding has (the cache after a restore starts empty). */
  public int contextFrames() {
    return context.size();
  }

  /** Marks the camera silent (the wall-clock check's alert has been raised). */
  public void markSilent(String anomaly) {
    s.silentAlerted = true;
    s.noteAnomaly(anomaly);
  }

  /** Notes an alert about the camera raised outside the rules (for the state endpoint). */
  public void note(String anomaly) {
    s.noteAnomaly(anomaly);
  }
}
