package io.lavmonitor.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DtwTest {

  @Test
  void optimalCostAndPathMatchBruteForce() {
    Random rnd = new Random(2);
    for (int n = 1; n <= 5; n++) {
      for (int mm = 1; mm <= 5; mm++) {
        final int m = mm;
        for (Band band : new Band[] {Band.NONE, new Band(0), new Band(1)}) {
          double[] cost = Cost.SQEUCLIDEAN.matrix(SoftDtwTest.random(rnd, n, 2),
              SoftDtwTest.random(rnd, m, 2));
          List<List<int[]>> paths = SoftDtwTest.allPaths(n, m, band);
          double best = paths.stream().mapToDouble(p -> SoftDtwTest.pathCost(p, cost, m))
              .min().orElseThrow();
          Dtw.Result r = Dtw.align(cost, n, m, band);
          assertEquals(best, r.value(), 1e-12);
          assertEquals(r.value(), SoftDtwTest.pathCost(r.path(), cost, m), 1e-12,
              "the returned path must cost the returned value");
          assertValidPath(r.path(), n, m, band);
        }
      }
    }
  }

  @Test
  void identicalSequencesAlignOnTheDiagonal() {
    double[][] x = SoftDtwTest.random(new Random(1), 8, 3);
    Dtw.Result r = Dtw.align(Cost.SQEUCLIDEAN.matrix(x, x), 8, 8, Band.NONE);
    assertEquals(0.0, r.value(), 1e-12);
    assertEquals(8, r.path().size());
    for (int i = 0; i < 8; i++) {
      assertArrayEquals(new int[] {i, i}, r.path().get(i));
    }
  }

  /** Open-end positions against the cheapest path to every cell, enumerated by brute force. */
  @Test
  void openEndPositionsAreTheCheapestPathEndsOfEachPrefix() {
    java.util.Random rnd = new java.util.Random(21);
    for (int trial = 0; trial < 10; trial++) {
      int n = 2 + rnd.nextInt(5);
      int m = 2 + rnd.nextInt(5);
      double[] cost = new double[n * m];
      for (int i = 0; i < cost.length; i++) {
        cost[i] = rnd.nextDouble();
      }
      int[] got = Dtw.openEndPositions(cost, n, m);
      for (int t = 0; t < n; t++) {
        int best = 0;
        for (int j = 1; j < m; j++) {
          if (StreamingAlignerTest.cheapestPath(cost, m, t, j)[0]
              < StreamingAlignerTest.cheapestPath(cost, m, t, best)[0]) {
            best = j;
          }
        }
        assertEquals(best, got[t], "trial " + trial + ", prefix " + t);
      }
    }
  }

  static void assertValidPath(List<int[]> path, int n, int m, Band band) {
    assertArrayEquals(new int[] {0, 0}, path.get(0));
    assertArrayEquals(new int[] {n - 1, m - 1}, path.get(path.size() - 1));
    for (int k = 1; k < path.size(); k++) {
      int di = path.get(k)[0] - path.get(k - 1)[0];
      int dj = path.get(k)[1] - path.get(k - 1)[1];
      assertTrue((di == 1 || di == 0) && (dj == 1 || dj == 0) && di + dj > 0, "step " + k);
      assertTrue(band.allows(path.get(k)[0], path.get(k)[1], n, m));
    }
  }
}
