package io.lavmonitor.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.io.InvalidInputException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The medoid reference, against costs worked out by hand and DTW's invariance to repeats. */
class ReferenceChooserTest {
  /** A unit-vector walk along a circle: frame t at angle step x t. */
  private static double[][] walk(int n, double step, double noise, long seed) {
    Random r = new Random(seed);
    double[][] f = new double[n][];
    for (int t = 0; t < n; t++) {
      double a = step * t + noise * r.nextGaussian();
      f[t] = new double[] {Math.cos(a), Math.sin(a)};
    }
    return f;
  }

  @Test
  void aRetimedCopyCostsNothingAndTheOddCycleIsNeverChosen() {
    double[][] base = walk(20, 0.15, 0, 1);
    double[][] slow = new double[40][]; // every frame twice: DTW aligns it at no cost
    for (int t = 0; t < 40; t++) {
      slow[t] = base[t / 2];
    }
    double[][] noisy = walk(20, 0.15, 0.02, 2);
    double[][] odd = walk(20, 0.3, 0, 3); // twice the motion: a different cycle
    ReferenceChooser.Choice c = ReferenceChooser.medoid(List.of(odd, base, slow, noisy));
    assertEquals(0.0, c.pair()[1][2], 1e-12);
    for (int a = 0; a < 4; a++) {
      assertEquals(0.0, c.pair()[a][a], 0.0);
      for (int b = 0; b < 4; b++) {
        assertEquals(c.pair()[a][b], c.pair()[b][a], 0.0);
      }
    }
    // base and slow are the same cycle (their pair costs nothing; their totals differ only by
    // path lengths, the cost being per step): the medoid is one of them; odd is the farthest.
    assertTrue(c.index() == 1 || c.index() == 2, "chose " + c.index());
    for (int a = 1; a < 4; a++) {
      assertTrue(c.totals()[0] > c.totals()[a], "odd is the least typical");
    }
  }

  @Test
  void twoFrameCyclesByHand() {
    // x = (e1, e2), y = (e1, -e2). Squared distances: (0,0) 0, (0,1) 2, (1,0) 2, (1,1) 4.
    // Paths to (1,1): the diagonal 0 + 4 = 4 in 2 steps; either detour 0 + 2 + 4 = 6. The
    // pair's cost is the best sum over its steps: 4 / 2 = 2.
    double[][] x = {{1, 0}, {0, 1}};
    double[][] y = {{1, 0}, {0, -1}};
    ReferenceChooser.Choice c = ReferenceChooser.medoid(List.of(x, y));
    assertEquals(2.0, c.pair()[0][1], 1e-12);
    assertEquals(0, c.index(), "a tie goes to the first");
  }

  @Test
  void oneCandidateIsItsOwnMedoidAndNoneIsAnError() {
    assertEquals(0, ReferenceChooser.medoid(List.<double[][]>of(walk(5, 0.1, 0, 1))).index());
    assertThrows(InvalidInputException.class, () -> ReferenceChooser.medoid(List.of()));
  }
}
