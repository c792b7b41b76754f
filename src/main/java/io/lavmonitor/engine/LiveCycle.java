package io.lavmonitor.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The running cycle as the online path sees it, updated in O(1) per frame: frames per phase so
 * far, the longest still spell per phase (which teaches the stall rule what normal cycles
 * show), the phase it is in now, and the phases alerted as skipped while the cycle ran (from
 * the cycle's {@link LivePath}). The live page's step checklist reads it. Its frames per phase
 * are the online best end's view, which may jump over a short phase and come back: the rules
 * use exact paths instead.
 */
public final class LiveCycle {
  private final int[] frames;
  private final float[] still;
  long startMicros = -1;
  long lastMicros = -1;
  long firstFrame = -1;
  long alignerStart = -1; // the aligner frame of its first frame (the track's numbering)
  int total;
  long skipped; // bit p: phase p was alerted as skipped while the cycle ran (phases < 64)
  int aheadPhase = -1; // the phase of the live path's best end, and for how many frames
  int aheadRun;
  int phase = -1; // phase of the latest frame

  LiveCycle(int phases) {
    frames = new int[phases];
    still = new float[phases];
  }

  int phases() {
    return frames.length;
  }

  /** A frame the online path put in {@code p} (or -1: unlabelled). */
  void add(int p, long captureMicros, long cameraFrame, long alignerFrame) {
    if (startMicros < 0) {
      startMicros = captureMicros;
      firstFrame = cameraFrame;
      alignerStart = alignerFrame;
    }
    lastMicros = captureMicros;
    total++;
    if (p >= 0) {
      phase = p; // an unlabelled frame keeps the checklist where it was
    }
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

  /** The live path's best end is in phase q now: how long it has been there, in frames. */
  int ahead(int q) {
    aheadRun = q == aheadPhase ? aheadRun + 1 : 1;
    aheadPhase = q;
    return aheadRun;
  }

  boolean skippedAlerted(int p) {
    return p < 64 && (skipped & (1L << p)) != 0;
  }

  void markSkipped(int p) {
    if (p < 64) {
      skipped |= 1L << p;
    }
  }

  /** Mean seconds between frames so far; NaN with fewer than two frames. */
  double frameSeconds() {
    return total < 2 ? Double.NaN : (lastMicros - startMicros) / 1e6 / (total - 1);
  }

  /** One step of the checklist: done, skipped (alerted), current or to come. */
  public record Step(String phase, String status, int frames, double seconds,
                     double referenceSeconds) {}

  /** The checklist of this cycle against the reference's phases and their durations. */
  List<Step> checklist(List<String> names, List<Double> referenceSeconds) {
    double dt = frameSeconds();
    List<Step> out = new ArrayList<>();
    for (int p = 0; p < frames.length && p < names.size(); p++) {
      String status = p == phase ? "current" : p > phase ? "todo"
          : skippedAlerted(p) ? "skipped" : "done";
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
    o.writeLong(alignerStart);
    o.writeInt(total);
    o.writeLong(skipped);
    o.writeInt(aheadPhase);
    o.writeInt(aheadRun);
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
    c.alignerStart = in.readLong();
    c.total = in.readInt();
    c.skipped = in.readLong();
    c.aheadPhase = in.readInt();
    c.aheadRun = in.readInt();
    c.phase = in.readInt();
    return c;
  }
}
