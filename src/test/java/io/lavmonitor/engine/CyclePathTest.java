package io.lavmonitor.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.align.Reference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A finished cycle's path: where the work began and ended, its phases and their costs. */
class CyclePathTest {
  /** 40 reference frames on a quarter circle (unit vectors), phases of 10 frames. */
  static Reference reference() {
    int m = 40;
    double[][] f = new double[m][];
    int[] labels = new int[m];
    for (int j = 0; j < m; j++) {
      f[j] = frame(j);
      labels[j] = j / 10;
    }
    return new Reference(f, labels, List.of("a", "b", "c", "d"));
  }

  static double[] frame(double j) {
    double a = j / 39.0 * Math.PI / 2;
    return new double[] {Math.cos(a), Math.sin(a), 0};
  }

  private static TrackEntry[] entries(List<double[]> frames) {
    TrackEntry[] out = new TrackEntry[frames.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new TrackEntry(0, i * 100_000L, i + 1, i, TrackEntry.quantise(frames.get(i)));
    }
    return out;
  }

  /**
   * 14 idle frames resting on reference frame 3 (the scene before the first movement), the
   * work (frames 4..39), then 11 idle frames on the last: the cycle is the work, with the
   * idle spells' last and first frames.
   */
  @Test
  void idleSpellsAtEitherEndAreNotTheCycle() {
    List<double[]> q = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      q.add(frame(3));
    }
    for (int j = 4; j < 40; j++) {
      q.add(frame(j));
    }
    for (int i = 0; i < 11; i++) {
      q.add(frame(39));
    }
    CyclePath p = CyclePath.of(entries(q), reference());
    assertEquals(13, p.first(), "the idle spell's last frame");
    assertEquals(14 + 36 - 1, p.last(), "the first frame resting on the reference's end");
    // Phase a: the idle's last frame and reference frames 4..9; b, c, d: 10 each (d: 30..39).
    assertArrayEquals(new int[] {7, 10, 10, 10}, p.phaseFrames(4));
    for (double c : p.phaseCosts(4)) {
      assertTrue(c < 1e-3, "exact frames match at quantisation error: " + c);
    }
  }

  @Test
  void shortPausesWithinTheWorkAreKept() {
    List<double[]> q = new ArrayList<>();
    for (int j = 0; j < 40; j++) {
      q.add(frame(j));
      if (j == 2 || j == 37) {
        for (int i = 0; i < CyclePath.MIN_IDLE_FRAMES - 2; i++) {
          q.add(frame(j)); // a pause of MIN_IDLE_FRAMES - 1 frames on one reference frame
        }
      }
    }
    CyclePath p = CyclePath.of(entries(q), reference());
    assertEquals(0, p.first());
    assertEquals(q.size() - 1, p.last());
  }

  @Test
  void aPhaseShownUnlikeTheReferenceCostsMore() {
    List<double[]> q = new ArrayList<>();
    for (int j = 0; j < 40; j++) {
      double[] f = frame(j);
      if (j >= 20 && j < 30) { // phase c with something else in the picture
        f = new double[] {f[0] * 0.8, f[1] * 0.8, 0.6};
      }
      q.add(f);
    }
    double[] c = CyclePath.of(entries(q), reference()).phaseCosts(4);
    // Each of phase c's frames is 0.6 off the reference in a third dimension, plus the 20 %
    // shrink: |(0.2 cos, 0.2 sin, -0.6)|^2 = 0.04 + 0.36.
    assertEquals(0.40, c[2], 0.02);
    assertTrue(c[0] < 1e-3 && c[1] < 1e-3 && c[3] < 1e-3);
  }
}
