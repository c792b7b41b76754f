package io.lavmonitor.engine;

import io.lavmonitor.align.StreamingAligner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of a {@link CameraState} in the camera-state store. Writes format 5 ("LAVC", version
 * byte; format 2, the per-phase profile of normal cycles with their still spells and lengths,
 * the running cycle's live view, and a found cycle held for steps in another allowed order);
 * reads format 5, format 4 (nothing held), format 3 (a profile without still spells
 * and lengths, no live view: both fill again from the next frames and cycles), format 2 (no
 * profile: it is learnt again from the next cycles) and format 1 (the layout before release 0.2, which began with the
 * int 1 and held the backbone features of the context frames and the cycle's track in the same
 * value). A format-1 state is migrated: its features are dropped (they are a cache now) and its
 * track comes back as entries for the track store.
 */
public final class CameraStateSerde {
  private static final int MAGIC = 0x4C415643; // "LAVC"
  /** The format this code writes. */
  public static final byte VERSION = 5;

  /** A decoded state; {@code legacyTrack} holds a format-1 state's track by slot, else empty. */
  public record Decoded(CameraState state, int version, List<Slot> legacyTrack) {}

  /** A track entry and the slot it belongs in. */
  public record Slot(int slot, TrackEntry entry) {}

  private CameraStateSerde() {}

  /** The state in format 4; {@code aligner}, when not null, is the live aligner's snapshot. */
  public static byte[] write(CameraState s, byte[] aligner) {
    byte[] al = aligner != null ? aligner : s.aligner;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + (al == null ? 0 : al.length));
    try (DataOutputStream o = new DataOutputStream(bytes)) {
      o.writeInt(MAGIC);
      o.writeByte(VERSION);
      o.writeUTF(s.station == null ? "" : s.station);
      o.writeUTF(s.modelId == null ? "" : s.modelId);
      o.writeUTF(s.modelUri == null ? "" : s.modelUri);
      o.writeLong(s.session);
      o.writeLong(s.lastSeq);
      o.writeByte(s.pastSessions.size());
      for (long p : s.pastSessions) {
        o.writeLong(p);
      }
      o.writeLong(s.frames);
      o.writeInt(al == null ? -1 : al.length);
      if (al != null) {
        o.write(al);
      }
      o.writeBoolean(s.explicit);
      o.writeBoolean(s.inCycle);
      o.writeLong(s.cycleCounter);
      o.writeLong(s.cycleStartMicros);
      o.writeLong(s.lastCaptureMicros);
      o.writeLong(s.lastWallMillis);
      o.writeBoolean(s.silentAlerted);
      o.writeLong(s.stillSinceMicros);
      o.writeInt(s.previous == null ? -1 : s.previous.length);
      if (s.previous != null) {
        for (float v : s.previous) {
          o.writeFloat(v);
        }
      }
      o.writeBoolean(s.stallAlerted);
      o.writeInt(s.unknownRun);
      o.writeBoolean(s.unknownAlerted);
      o.writeByte(s.costs.size());
      for (double c : s.costs) {
        o.writeDouble(c);
      }
      o.writeUTF(s.lastPhase == null ? "" : s.lastPhase);
      o.writeDouble(s.lastProgress);
      o.writeDouble(s.runningCost);
      o.writeInt(s.lastIndex);
      o.writeBoolean(s.cycleEnded);
      o.writeByte(s.recentAnomalies.size());
      for (String a : s.recentAnomalies) {
        o.writeUTF(a);
      }
      o.writeBoolean(s.profile != null);
      if (s.profile != null) {
        s.profile.write(o);
      }
      o.writeBoolean(s.live != null);
      if (s.live != null) {
        s.live.write(o);
      }
      o.writeLong(s.heldStart);
      o.writeLong(s.heldEnd);
      o.writeDouble(s.heldCost);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes either format; IllegalArgumentException when the bytes are neither. */
  public static Decoded read(byte[] b) {
    if (b == null || b.length < 5) {
      throw new IllegalArgumentException("camera state of " + (b == null ? 0 : b.length)
          + " bytes");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      int head = in.readInt();
      if (head == 1) {
        return readV1(in);
      }
      if (head != MAGIC) {
        throw new IllegalArgumentException("not a camera state (bad magic)");
      }
      int version = in.readByte();
      if (version < 2 || version > VERSION) {
        throw new IllegalArgumentException("camera state format " + version
            + " is newer than this monitor (reads 1 to " + VERSION + ")");
      }
      CameraState s = new CameraState();
      s.station = emptyToNull(in.readUTF());
      s.modelId = emptyToNull(in.readUTF());
      s.modelUri = emptyToNull(in.readUTF());
      s.session = in.readLong();
      s.lastSeq = in.readLong();
      int ps = in.readByte();
      for (int i = 0; i < ps; i++) {
        s.pastSessions.addLast(in.readLong());
      }
      s.frames = in.readLong();
      int n = in.readInt();
      if (n >= 0) {
        s.aligner = in.readNBytes(n);
        if (s.aligner.length != n) {
          throw new IOException("truncated aligner snapshot");
        }
      }
      s.explicit = in.readBoolean();
      s.inCycle = in.readBoolean();
      s.cycleCounter = in.readLong();
      s.cycleStartMicros = in.readLong();
      s.lastCaptureMicros = in.readLong();
      s.lastWallMillis = in.readLong();
      s.silentAlerted = in.readBoolean();
      s.stillSinceMicros = in.readLong();
      s.previous = readFloats(in);
      s.stallAlerted = in.readBoolean();
      s.unknownRun = in.readInt();
      s.unknownAlerted = in.readBoolean();
      int c = in.readByte();
      for (int i = 0; i < c; i++) {
        s.costs.addLast(in.readDouble());
      }
      s.lastPhase = emptyToNull(in.readUTF());
      s.lastProgress = in.readDouble();
      s.runningCost = in.readDouble();
      s.lastIndex = in.readInt();
      s.cycleEnded = in.readBoolean();
      int a = in.readByte();
      for (int i = 0; i < a; i++) {
        s.recentAnomalies.addLast(in.readUTF());
      }
      if (version >= 3 && in.readBoolean()) {
        s.profile = PhaseProfile.read(in, version >= 4 ? 2 : 1);
      }
      if (version >= 4 && in.readBoolean()) {
        s.live = LiveCycle.read(in);
      }
      if (version >= 5) {
        s.heldStart = in.readLong();
        s.heldEnd = in.readLong();
        s.heldCost = in.readDouble();
      }
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes after the end");
      }
      return new Decoded(s, version, List.of());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("corrupt camera state: " + e.getMessage(), e);
    }
  }

  /** Format 1: one value with the aligner, the track ring and the context features. */
  private static Decoded readV1(DataInputStream in) throws IOException {
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
    in.readLong(); // cycle start sequence: the track entries carry sequences now
    s.cycleStartMicros = in.readLong();
    s.lastSeq = in.readLong();
    s.lastCaptureMicros = in.readLong();
    s.lastWallMillis = in.readLong();
    s.silentAlerted = in.readBoolean();
    int t = in.readInt();
    int[] index = new int[t];
    long[] micros = new long[t];
    for (int i = 0; i < t; i++) {
      index[i] = in.readShort();
      micros[i] = in.readLong();
    }
    byte[] emb = in.readNBytes(in.readInt());
    s.stillSinceMicros = in.readLong();
    s.previous = readFloats(in);
    s.stallAlerted = in.readBoolean();
    s.unknownRun = in.readInt();
    s.unknownAlerted = in.readBoolean();
    int c = in.readInt();
    for (int i = 0; i < c; i++) {
      s.costs.addLast(in.readDouble());
    }
    int f = in.readInt();
    for (int i = 0; i < f; i++) {
      in.skipNBytes(4L * in.readInt()); // context features: a cache now
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
    while (s.costs.size() > CameraState.COSTS) {
      s.costs.removeFirst();
    }
    // Format 1 had no sessions and no frame count: its sequences started at 1 and are taken
    // as the count of frames.
    s.frames = Math.max(0, s.lastSeq);
    return new Decoded(s, 1, legacyTrack(s, index, micros, emb));
  }

  /** The aligner frames of a format-1 ring that are still in it, in their slots. */
  private static List<Slot> legacyTrack(CameraState s, int[] index, long[] micros, byte[] emb) {
    List<Slot> out = new ArrayList<>();
    int cap = index.length;
    long pushed = StreamingAligner.savedFrames(s.aligner);
    if (cap == 0 || pushed <= 0 || emb.length % cap != 0) {
      return out;
    }
    int d = emb.length / cap;
    for (long f = Math.max(0, pushed - cap); f < pushed; f++) {
      int slot = (int) (f % cap);
      long back = pushed - 1 - f;
      out.add(new Slot(slot, new TrackEntry(index[slot], micros[slot], s.lastSeq - back,
          s.frames - 1 - back, java.util.Arrays.copyOfRange(emb, slot * d, slot * d + d))));
    }
    return out;
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > 1 << 16) {
      throw new IOException("embedding of " + n + " values");
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
