package io.lavmonitor.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The running cycle as the online path sees it, updated in O(1) per frame: frames per phase so
 * far, the longest still spell per phase (which teaches the stall rule what normal cycles
 * show), and the phase it is in now. The live page's step
 * checklist reads it. It is the online best end's view, which may jump over a short phase and
 * come back: the cycle-end rules use the cycle's exact path instead.
 */
public final class LiveCycle {
  private final int[] frames;
  private final float[] still;
  long startMicros = -1;
  long lastMicros = -1;
  long firstFrame = -1;
  int total;
  int phase = -1; // phase of the latest frame

  LiveCycle(int phases) {
    frames = new int[phases];
    still = new float[phases];
  }

  int phases() {
    return frames.length;
  }

  /** A frame the online path put in {@code p} (or -1: unlabelled). */
  void add(int p, long captureMicros, long cameraFrame) {
    if (startMicros < 0) {
      startMicros = captureMicros;
      firstFrame = cameraFrame;
    }
    lastMicros = captureMicros;
    total++;
    phase = p;
    if (p >= 0 && p < frames.length) {
      frames[p]++;
    }
  }

  int frames(int p) {
    return frames[p];
  }

  /** Notes that the scene has been still for {@code seconds} while the path was in phase p. */
  void still(int p, double seconds) {
    if (p >= 0 && p < still.length && seconds > still[p]) {
      still[p] = (float) seconds;
    }
  }

  /** Per phase, the longest still spell so far, in seconds (0: none). */
  double[] stillSpells() {
    double[] out = new double[still.length];
    for (int p = 0; p < still.length; p++) {
      out[p] = still[p];
    }
    return out;
  }

  /** Mean seconds between frames so far; NaN with fewer than two frames. */
  double frameSeconds() {
    return total < 2 ? Double.NaN : (lastMicros - startMicros) / 1e6 / (total - 1);
  }

  /** One step of the checklist: done, current or to come. */
  public record Step(String phase, String status, int frames, double seconds,
                     double referenceSeconds) {}

  /** The checklist of this cycle against the reference's phases and their durations. */
  List<Step> checklist(List<String> names, List<Double> referenceSeconds) {
    double dt = frameSeconds();
    List<Step> out = new ArrayList<>();
    for (int p = 0; p < frames.length && p < names.size(); p++) {
      String status = p == phase ? "current" : p > phase ? "todo" : "done";
      double secs = Double.isNaN(dt) ? 0 : frames[p] * dt;
      out.add(new Step(names.get(p), status, status.equals("todo") ? 0 : frames[p],
          status.equals("todo") ? 0 : secs, referenceSeconds.get(p)));
    }
    return out;
  }

  void write(DataOutputStream o) throws IOException {
    o.writeShort(frames.length);
    for (int p = 0; p < frames.length; p++) {
      o.writeInt(frames[p]);
      o.writeFloat(still[p]);
    }
    o.writeLong(startMicros);
    o.writeLong(lastMicros);
    o.writeLong(firstFrame);
    o.writeInt(total);
    o.writeInt(phase);
  }

  static LiveCycle read(DataInputStream in) throws IOException {
    int n = in.readShort();
    if (n < 0 || n > 4096) {
      throw new IOException("live cycle of " + n + " phases");
    }
    LiveCycle c = new LiveCycle(n);
    for (int p = 0; p < n; p++) {
      c.frames[p] = in.readInt();
      c.still[p] = in.readFloat();
    }
    c.startMicros = in.readLong();
    c.lastMicros = in.readLong();
    c.firstFrame = in.readLong();
    c.total = in.readInt();
    c.phase = in.readInt();
    return c;
  }
}
