package io.lavmonitor.monitor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Everything the monitor keeps per camera between frames, serialised into the changelogged
 * state store after every frame, so a camera resumes mid-cycle after a crash or a rebalance:
 * the streaming aligner, the backbone features of recent frames (the context of the next
 * frames), the cycle in progress, the per-frame reference positions of recent frames (for phase
 * durations), and what the anomaly rules need.
 */
public final class CameraState {
  private static final int VERSION = 1;
  /** Recent cycle costs kept for calibration. */
  static final int COSTS = 50;

  String station;
  String modelId;
  byte[] aligner; // StreamingAligner snapshot, null before the first frame
  boolean explicit; // cycle boundaries come from PLC signals
  boolean inCycle; // explicit mode: between a start and a stop
  long cycleCounter;
  long cycleStartSeq = -1;
  long cycleStartMicros;
  long lastSeq = -1;
  long lastCaptureMicros;
  long lastWallMillis;
  boolean silentAlerted;
  // Reference index and capture time of recent aligner frames: track[f % cap].
  short[] track = new short[0];
  long[] trackMicros = new long[0];
  // Their embeddings, int8-quantised (unit vectors: x 127), for the cycle's exact path at its end.
  byte[] trackEmb = new byte[0];
  // Stall rule: since when the scene has not changed, and the previous frame's embedding.
  long stillSinceMicros;
  float[] previous;
  boolean stallAlerted;
  // Unknown-content rule.
  int unknownRun;
  boolean unknownAlerted;
  // Normal cycle costs for calibration, oldest first.
  final Deque<Double> costs = new ArrayDeque<>();
  // Backbone features of recent frames, oldest first (the context of the next frames).
  final Deque<float[]> features = new ArrayDeque<>();
  // For the state endpoint.
  String lastPhase;
  double lastProgress;
  double runningCost = Double.NaN; // mean frame cost of the best path so far
  int lastIndex; // hard best reference frame of the last frame
  boolean cycleEnded; // a cycle completed since the last model swap
  final Deque<String> recentAnomalies = new ArrayDeque<>();

  public String station() {
    return station;
  }

  public String modelId() {
    return modelId;
  }

  public long lastSequence() {
    return lastSeq;
  }

  public String cycleId(String camera) {
    return camera + "-" + cycleCounter;
  }

  public String lastPhase() {
    return lastPhase;
  }

  public double lastProgress() {
    return lastProgress;
  }

  public List<String> recentAnomalies() {
    return new ArrayList<>(recentAnomalies);
  }

  public long lastWallMillis() {
    return lastWallMillis;
  }

  void noteAnomaly(String what) {
    recentAnomalies.addLast(what);
    while (recentAnomalies.size() > 5) {
      recentAnomalies.removeFirst();
    }
  }

  public byte[] toBytes() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream o = new DataOutputStream(bytes);
      o.writeInt(VERSION);
      o.writeUTF(station == null ? "" : station);
      o.writeUTF(modelId == null ? "" : modelId);
      o.writeInt(aligner == null ? -1 : aligner.length);
      if (aligner != null) {
        o.write(aligner);
      }
      o.writeBoolean(explicit);
      o.writeBoolean(inCycle);
      o.writeLong(cycleCounter);
      o.writeLong(cycleStartSeq);
      o.writeLong(cycleStartMicros);
      o.writeLong(lastSeq);
      o.writeLong(lastCaptureMicros);
      o.writeLong(lastWallMillis);
      o.writeBoolean(silentAlerted);
      o.writeInt(track.length);
      for (int i = 0; i < track.length; i++) {
        o.writeShort(track[i]);
        o.writeLong(trackMicros[i]);
      }
      o.writeInt(trackEmb.length);
      o.write(trackEmb);
      o.writeLong(stillSinceMicros);
      o.writeInt(previous == null ? -1 : previous.length);
      if (previous != null) {
        for (float v : previous) {
          o.writeFloat(v);
        }
      }
      o.writeBoolean(stallAlerted);
      o.writeInt(unknownRun);
      o.writeBoolean(unknownAlerted);
      o.writeInt(costs.size());
      for (double c : costs) {
        o.writeDouble(c);
      }
      o.writeInt(features.size());
      for (float[] f : features) {
        o.writeInt(f.length);
        for (float v : f) {
          o.writeFloat(v);
        }
      }
      o.writeUTF(lastPhase == null ? "" : lastPhase);
      o.writeDouble(lastProgress);
      o.writeDouble(runningCost);
      o.writeInt(lastIndex);
      o.writeBoolean(cycleEnded);
      o.writeInt(recentAnomalies.size());
      for (String a : recentAnomalies) {
        o.writeUTF(a);
      }
      o.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CameraState fromBytes(byte[] b) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
      if (in.readInt() != VERSION) {
        throw new IllegalArgumentException("camera state of another version");
      }
      CameraState s = new CameraState();
      s.station = emptyToNull(in.readUTF());
      s.modelId = emptyToNull(in.readUTF());
      int n = in.readInt();
      if (n >= 0) {
        s.aligner = in.readNBytes(n);
      }
      s.explicit = in.readBoolean();
      s.inCycle = in.readBoolean();
      s.cycleCounter = in.readLong();
      s.cycleStartSeq = in.readLong();
      s.cycleStartMicros = in.readLong();
      s.lastSeq = in.readLong();
      s.lastCaptureMicros = in.readLong();
      s.lastWallMillis = in.readLong();
      s.silentAlerted = in.readBoolean();
      int t = in.readInt();
      s.track = new short[t];
      s.trackMicros = new long[t];
      for (int i = 0; i < t; i++) {
        s.track[i] = in.readShort();
        s.trackMicros[i] = in.readLong();
      }
      s.trackEmb = in.readNBytes(in.readInt());
      s.stillSinceMicros = in.readLong();
      int pl = in.readInt();
      if (pl >= 0) {
        s.previous = new float[pl];
        for (int i = 0; i < pl; i++) {
          s.previous[i] = in.readFloat();
        }
      }
      s.stallAlerted = in.readBoolean();
      s.unknownRun = in.readInt();
      s.unknownAlerted = in.readBoolean();
      int c = in.readInt();
      for (int i = 0; i < c; i++) {
        s.costs.addLast(in.readDouble());
      }
      int f = in.readInt();
      for (int i = 0; i < f; i++) {
        float[] v = new float[in.readInt()];
        for (int j = 0; j < v.length; j++) {
          v[j] = in.readFloat();
        }
        s.features.addLast(v);
      }
      s.lastPhase = emptyToNull(in.readUTF());
      s.lastProgress = in.readDouble();
      s.runningCost = in.readDouble();
      s.lastIndex = in.readInt();
      s.cycleEnded = in.readBoolean();
      int a = in.readInt();
      for (int i = 0; i < a; i++) {
        s.recentAnomalies.addLast(in.readUTF());
      }
      return s;
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt camera state: " + e.getMessage(), e);
    }
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
