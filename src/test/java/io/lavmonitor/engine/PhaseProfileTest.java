package io.lavmonitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/** The per-phase profile of normal cycles: robust thresholds, a bounded history, its bytes. */
class PhaseProfileTest {
  @Test
  void thresholdIsMedianPlusFactorTimesMad() {
    PhaseProfile p = new PhaseProfile(2);
    double[] a = {0.10, 0.12, 0.14, 0.11, 0.30}; // one outlier does not move it much
    for (double v : a) {
      p.add(new double[] {v, Double.NaN});
    }
    // median 0.12; deviations 0.02, 0, 0.02, 0.01, 0.18 -> MAD 0.02 (above the 0.012 floor).
    assertEquals(0.12, p.median(0), 1e-12);
    assertEquals(0.12 + 5 * 0.02, p.limit(0, 5), 1e-12);
    assertEquals(5, p.cycles(0));
    assertEquals(0, p.cycles(1), "a phase a cycle did not show is not counted");
    assertTrue(Double.isNaN(p.limit(1, 5)));
  }

  @Test
  void identicalCostsGetTheFloor() {
    PhaseProfile p = new PhaseProfile(1);
    for (int i = 0; i < 7; i++) {
      p.add(new double[] {0.2});
    }
    assertEquals(0.2 + 3 * PhaseProfile.MAD_FLOOR * 0.2, p.limit(0, 3), 1e-12);
  }

  @Test
  void keepsTheRecentCyclesAndRoundTrips() throws Exception {
    PhaseProfile p = new PhaseProfile(3);
    for (int i = 0; i < PhaseProfile.KEEP + 20; i++) {
      p.add(new double[] {i, 2 * i, Double.NaN});
    }
    assertEquals(PhaseProfile.KEEP, p.cycles(0));
    assertEquals(20 + (PhaseProfile.KEEP - 1) / 2.0, p.median(0), 1e-9);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    p.write(new DataOutputStream(b));
    PhaseProfile r = PhaseProfile.read(new DataInputStream(new ByteArrayInputStream(
        b.toByteArray())), 2);
    assertEquals(3, r.phases());
    assertEquals(p.limit(1, 4), r.limit(1, 4), 1e-3); // floats on the wire
    assertEquals(0, r.cycles(2));
  }

  @Test
  void theStillLimitIsTheMedianSpellPlusMadAndShrugsOffOneLongSpell() {
    PhaseProfile p = new PhaseProfile(2);
    double[] spells = {3.0, 3.5, 4.0, 3.0, 20.0}; // one stalled cycle among normal ones
    for (double v : spells) {
      p.addStill(new double[] {v, 0});
    }
    // By hand: median 3.5; deviations 0.5, 0, 0.5, 0.5, 16.5 -> MAD 0.5 (above the floor 0.35).
    assertEquals(3.5 + 5 * 0.5, p.stillLimit(0, 5), 1e-6);
    assertEquals(0.0, p.stillLimit(1, 5), 0.0); // never still: the rule's own limit applies
    assertEquals(5, p.stillCycles());
  }
}
