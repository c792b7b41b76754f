package io.lavmonitor.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a camera has learnt of its station's normal cycles, as it shares it with the station's
 * other cameras on {@code lav.calibration} (compacted, key {@code STATION/CAMERA}): the model
 * it was learnt under, the recent normal cycle costs and the per-phase profile. Each camera
 * writes only its own record, after each cycle it learnt from; the rules of every camera of the
 * station read the pool of all of them ({@link #pool}), so a station's cameras calibrate
 * together wherever their partitions are, and a camera that joins later starts calibrated.
 *
 * <p>Format ("LAVS", version byte): 1 = camera, model, costs, profile (layout 2).
 */
public final class StationCalibration {
  private static final int MAGIC = 0x4C415653; // "LAVS"
  /** The format this code writes. */
  public static final byte VERSION = 1;

  /** A camera's record, decoded. */
  public record Peer(String camera, String modelId, List<Double> costs, PhaseProfile profile) {}

  /** What the rules read: the station's normal cycle costs and profile (own first). */
  public record Pool(List<Double> costs, PhaseProfile profile, int cameras) {}

  private StationCalibration() {}

  /** The camera's record, from its state. */
  public static byte[] write(String camera, CameraState s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream o = new DataOutputStream(bytes)) {
      o.writeInt(MAGIC);
      o.writeByte(VERSION);
      o.writeUTF(camera);
      o.writeUTF(s.modelId == null ? "" : s.modelId);
      o.writeByte(s.costs.size());
      for (double c : s.costs) {
        o.writeDouble(c);
      }
      o.writeBoolean(s.profile != null);
      if (s.profile != null) {
        s.profile.write(o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a record; IllegalArgumentException names what is wrong. */
  public static Peer read(byte[] b) {
    if (b == null || b.length < 5) {
      throw new IllegalArgumentException("calibration record of " + (b == null ? 0 : b.length)
          + " bytes");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not a calibration record (bad magic)");
      }
      int version = in.readByte();
      if (version < 1 || version > VERSION) {
        throw new IllegalArgumentException("calibration format " + version
            + " is newer than this monitor (reads 1 to " + VERSION + ")");
      }
      String camera = in.readUTF();
      String model = in.readUTF();
      int n = in.readByte() & 0xff;
      List<Double> costs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        costs.add(in.readDouble());
      }
      PhaseProfile profile = in.readBoolean() ? PhaseProfile.read(in, 2) : null;
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes after the end");
      }
      return new Peer(camera, model.isEmpty() ? null : model, costs, profile);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt calibration record: " + e.getMessage(), e);
    }
  }

  /**
   * The station's pool for a camera: its own costs and profile with those of the peers learnt
   * under the same model (records of another model, or of the camera itself, are left out).
   */
  public static Pool pool(String camera, CameraState own, List<Peer> peers) {
    List<Double> costs = new ArrayList<>(own.costs);
    List<PhaseProfile> profiles = new ArrayList<>();
    int cameras = 1;
    for (Peer p : peers) {
      if (p.camera().equals(camera) || own.modelId == null || !own.modelId.equals(p.modelId())) {
        continue;
      }
      cameras++;
      costs.addAll(p.costs());
      if (p.profile() != null) {
        profiles.add(p.profile());
      }
    }
    PhaseProfile profile = own.profile;
    if (profile == null && !profiles.isEmpty()) {
      profile = new PhaseProfile(profiles.get(0).phases());
    }
    return new Pool(costs, profile == null ? null
        : profiles.isEmpty() ? profile : PhaseProfile.pooled(profile, profiles), cameras);
  }
}
