package io.lavmonitor.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.FiniteDifferences;
import io.lavmonitor.io.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoftDtwTest {

  // ---- published test vectors (tslearn), squared Euclidean, gamma = 1 ----

  @Test
  void zerosAgainstOnesMatchesPublishedValue() {
    double v = new SoftDtw(1.0).value(new double[10][8], filled(12, 8, 1.0), Cost.SQEUCLIDEAN);
    // The published figure has 9 significant digits and is 3e-6 above the float64 value, which an
    // independent float64 evaluation of the recursion (numpy) also gives: 91.98061035026274.
    assertEquals(91.9806137, v, 5e-6);
    assertEquals(91.98061035026274, v, 1e-9);
  }

  @Test
  void zerosAgainstItselfIsMinusLogDelannoyNumber() {
    double v = new SoftDtw(1.0).value(new double[10][8], new double[10][8], Cost.SQEUCLIDEAN);
    assertEquals(-14.1957006, v, 1e-6);
    // Every path costs 0, so the value is -ln(number of paths) = -ln D(9, 9).
    assertEquals(-Math.log(1_462_563.0), v, 1e-9);
  }

  @Test
  void singleFramesGiveTheirCost() {
    double v = new SoftDtw(1.0).value(new double[][] {{0}}, new double[][] {{1}},
        Cost.SQEUCLIDEAN);
    assertEquals(1.0, v, 1e-12);
  }

  // ---- brute force over every monotone path ----

  @ParameterizedTest
  @ValueSource(doubles = {1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3})
  void matchesSoftMinOverAllPathsEnumerated(double gamma) {
    Random rnd = new Random(7);
    for (int n = 1; n <= 5; n++) {
      for (int m = 1; m <= 5; m++) {
        double[][] x = random(rnd, n, 3);
        double[][] y = random(rnd, m, 3);
        double[] cost = Cost.SQEUCLIDEAN.matrix(x, y);
        double expected = bruteForceSoftMin(cost, n, m, gamma, Band.NONE);
        double actual = new SoftDtw(gamma).forward(cost, n, m).value();
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)),
            "n=" + n + " m=" + m + " gamma=" + gamma);
      }
    }
  }

  @Test
  void bandRestrictsToPathsInsideIt() {
    Random rnd = new Random(11);
    for (int w = 0; w <= 3; w++) {
      for (int[] nm : new int[][] {{5, 5}, {4, 6}, {6, 3}}) {
        int n = nm[0];
        int m = nm[1];
        double[] cost = Cost.SQEUCLIDEAN.matrix(random(rnd, n, 2), random(rnd, m, 2));
        Band band = new Band(w);
        double expected = bruteForceSoftMin(cost, n, m, 0.5, band);
        assertEquals(expected, new SoftDtw(0.5, band).forward(cost, n, m).value(), 1e-9);
        // E must vanish outside the band.
        double[] e = new SoftDtw(0.5, band).forward(cost, n, m).expectedAlignment();
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < m; j++) {
            if (!band.allows(i, j, n, m)) {
              assertEquals(0.0, e[i * m + j], "E outside band at " + i + "," + j);
            }
          }
        }
      }
    }
  }

  @Test
  void expectedAlignmentIsPathProbabilityWeightedByBruteForce() {
    Random rnd = new Random(3);
    int n = 4;
    int m = 5;
    double gamma = 0.7;
    double[] cost = Cost.SQEUCLIDEAN.matrix(random(rnd, n, 2), random(rnd, m, 2));
    double[] e = new SoftDtw(gamma).forward(cost, n, m).expectedAlignment();
    // E(i, j) = sum over paths through (i, j) of p(path), p ~ exp(-cost(path)/gamma).
    List<List<int[]>> paths = allPaths(n, m, Band.NONE);
    double[] costs = paths.stream().mapToDouble(p -> pathCost(p, cost, m)).toArray();
    double min = java.util.Arrays.stream(costs).min().orElseThrow();
    double z = 0;
    double[] expected = new double[n * m];
    for (int p = 0; p < paths.size(); p++) {
      double w = Math.exp(-(costs[p] - min) / gamma);
      z += w;
      for (int[] c : paths.get(p)) {
        expected[c[0] * m + c[1]] += w;
      }
    }
    for (int k = 0; k < n * m; k++) {
      assertEquals(expected[k] / z, e[k], 1e-10);
    }
  }

  // ---- finite differences ----

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.1, 1.0, 10.0})
  void gradientWithRespectToCostMatrixMatchesFiniteDifferences(double gamma) {
    Random rnd = new Random(5);
    int n = 6;
    int m = 7;
    double[] cost = Cost.SQEUCLIDEAN.matrix(random(rnd, n, 4), random(rnd, m, 4));
    SoftDtw sdtw = new SoftDtw(gamma);
    double[] e = sdtw.forward(cost, n, m).expectedAlignment();
    double h = 1e-6;
    for (int k = 0; k < n * m; k++) {
      double[] plus = cost.clone();
      double[] minus = cost.clone();
      plus[k] += h;
      minus[k] -= h;
      double fd = (sdtw.forward(plus, n, m).value() - sdtw.forward(minus, n, m).value()) / (2 * h);
      assertEquals(fd, e[k], 1e-6, "cell " + k);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqeuclidean", "cosine"})
  void gradientWithRespectToBothSequencesMatchesFiniteDifferences(String costName) {
    Cost cost = Cost.parse(costName);
    Random rnd = new Random(9);
    double[][] x = random(rnd, 5, 3);
    double[][] y = random(rnd, 6, 3);
    SoftDtw sdtw = new SoftDtw(0.3, new Band(2));
    SoftDtw.Gradient g = sdtw.gradient(x, y, cost);
    FiniteDifferences.assertGradient(g.gradX(), x, () -> sdtw.value(x, y, cost));
    FiniteDifferences.assertGradient(g.gradY(), y, () -> sdtw.value(x, y, cost));
    assertEquals(sdtw.value(x, y, cost), g.value(), 1e-12);
  }

  // ---- stability ----

  @ParameterizedTest
  @ValueSource(doubles = {1e-3, 1.0, 1e3})
  void longSequencesWithLargeCostsStayFinite(double gamma) {
    Random rnd = new Random(1);
    int n = 2048;
    double[][] x = random(rnd, n, 4);
    double[][] y = random(rnd, n, 4);
    for (double[] row : y) {
      row[0] += 1e3; // costs around 1e6 per cell
    }
    SoftDtw.Gradient g = new SoftDtw(gamma, new Band(64)).gradient(x, y, Cost.SQEUCLIDEAN);
    assertTrue(Double.isFinite(g.value()), "value " + g.value());
    for (double v : g.expectedAlignment()) {
      assertTrue(Double.isFinite(v) && v >= -1e-12 && v <= 1 + 1e-9, "E entry " + v);
    }
    for (double[] row : g.gradX()) {
      for (double v : row) {
        assertTrue(Double.isFinite(v));
      }
    }
  }

  @Test
  void longUnbandedSequencesStayFinite() {
    int n = 2048;
    double v = new SoftDtw(1e-3).forward(new double[n * n], n, n).value();
    // All-zero costs: the value is -gamma ln(#paths), which is huge but finite.
    assertTrue(Double.isFinite(v) && v < 0, "value " + v);
  }

  @Test
  void smallGammaApproachesHardDtw() {
    Random rnd = new Random(4);
    double[][] x = random(rnd, 20, 5);
    double[][] y = random(rnd, 25, 5);
    double[] cost = Cost.SQEUCLIDEAN.matrix(x, y);
    double hard = Dtw.align(cost, 20, 25, Band.NONE).value();
    double soft = new SoftDtw(1e-3).forward(cost, 20, 25).value();
    // softmin is within gamma*ln(#paths) below the min; #paths < 3^(n+m).
    assertTrue(soft <= hard + 1e-12 && soft >= hard - 1e-3 * 45 * Math.log(3), soft + " vs " + hard);
  }

  @Test
  void rejectsBadInputs() {
    assertThrows(InvalidInputException.class, () -> new SoftDtw(0));
    assertThrows(InvalidInputException.class, () -> new SoftDtw(Double.NaN));
    assertThrows(InvalidInputException.class,
        () -> new SoftDtw(1).value(new double[0][], new double[2][2], Cost.SQEUCLIDEAN));
    assertThrows(InvalidInputException.class,
        () -> new SoftDtw(1).value(new double[2][3], new double[2][2], Cost.SQEUCLIDEAN));
    double[][] nan = new double[2][2];
    nan[1][1] = Double.NaN;
    assertThrows(InvalidInputException.class,
        () -> new SoftDtw(1).value(nan, new double[2][2], Cost.SQEUCLIDEAN));
  }

  // ---- helpers: an independent definition by enumeration ----

  static double bruteForceSoftMin(double[] cost, int n, int m, double gamma, Band band) {
    List<List<int[]>> paths = allPaths(n, m, band);
    double[] costs = paths.stream().mapToDouble(p -> pathCost(p, cost, m)).toArray();
    double min = java.util.Arrays.stream(costs).min().orElseThrow();
    double s = 0;
    for (double c : costs) {
      s += Math.exp(-(c - min) / gamma);
    }
    return min - gamma * Math.log(s);
  }

  static double pathCost(List<int[]> path, double[] cost, int m) {
    double s = 0;
    for (int[] c : path) {
      s += cost[c[0] * m + c[1]];
    }
    return s;
  }

  static List<List<int[]>> allPaths(int n, int m, Band band) {
    List<List<int[]>> out = new ArrayList<>();
    List<int[]> cur = new ArrayList<>();
    cur.add(new int[] {0, 0});
    extend(0, 0, n, m, band, cur, out);
    return out;
  }

  private static void extend(int i, int j, int n, int m, Band band, List<int[]> cur,
                             List<List<int[]>> out) {
    if (!band.allows(i, j, n, m)) {
      return;
    }
    if (i == n - 1 && j == m - 1) {
      out.add(new ArrayList<>(cur));
      return;
    }
    int[][] moves = {{1, 0}, {0, 1}, {1, 1}};
    for (int[] mv : moves) {
      int a = i + mv[0];
      int b = j + mv[1];
      if (a < n && b < m) {
        cur.add(new int[] {a, b});
        extend(a, b, n, m, band, cur, out);
        cur.remove(cur.size() - 1);
      }
    }
  }

  static double[][] random(Random rnd, int n, int d) {
    double[][] a = new double[n][d];
    for (double[] row : a) {
      for (int k = 0; k < d; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    return a;
  }

  static double[][] filled(int n, int d, double v) {
    double[][] a = new double[n][d];
    for (double[] row : a) {
      java.util.Arrays.fill(row, v);
    }
    return a;
  }
}
