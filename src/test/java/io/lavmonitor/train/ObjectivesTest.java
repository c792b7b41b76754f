package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.lavmonitor.FiniteDifferences;
import io.lavmonitor.bench.SyntheticStreams;
import io.lavmonitor.io.InvalidInputException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The baselines' losses (TCC, TCN, SAL, supervised) on real libtorch in float64: against a
 * plain-Java transcription of each paper's formula, against inputs whose answer is known in
 * closed form, and their autograd gradients against central finite differences.
 */
class ObjectivesTest {
  private static final Engine ENGINE = Engine.getEngine("PyTorch");

  /** Builds an objective in a manager and sets its heads (by name) before the loss is taken. */
  private interface Build {
    Objective make(NDManager m);
  }

  private record Outcome(double value, double[] gradX, double[] gradY) {}

  private static Outcome run(Build build, double[][] x, int[] fx, int lx, double[][] y, int[] fy,
                             int ly, int[] labels, Map<String, double[][]> heads, long seed) {
    try (NDManager m = ENGINE.newBaseManager()) {
      Objective o = build.make(m);
      heads.forEach((name, v) -> Heads.assign(o.heads().get(name),
          m.create(v).reshape(o.heads().get(name).getShape())));
      NDArray xs = m.create(x);
      NDArray ys = m.create(y);
      xs.setRequiresGradient(true);
      ys.setRequiresGradient(true);
      double value;
      try (GradientCollector gc = ENGINE.newGradientCollector()) {
        NDArray l = o.loss(new Objective.Sampled(xs, fx, lx, labels),
            new Objective.Sampled(ys, fy, ly, labels), new Random(seed));
        value = l.toDoubleArray()[0];
        gc.backward(l);
      }
      return new Outcome(value, xs.getGradient().toDoubleArray(),
          ys.getGradient().toDoubleArray());
    }
  }

  private static double[][] rows(double[] flat, int d) {
    double[][] out = new double[flat.length / d][d];
    for (int i = 0; i < out.length; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  /** Autograd's gradients for x and y against finite differences of the libtorch value. */
  private static void assertGradients(Build b, double[][] x, int[] fx, int lx, double[][] y,
                                      int[] fy, int ly, int[] labels,
                                      Map<String, double[][]> heads) {
    Outcome o = run(b, x, fx, lx, y, fy, ly, labels, heads, 1);
    int d = x[0].length;
    FiniteDifferences.assertGradient(rows(o.gradX(), d), x,
        () -> run(b, x, fx, lx, y, fy, ly, labels, heads, 1).value());
    FiniteDifferences.assertGradient(rows(o.gradY(), d), y,
        () -> run(b, x, fx, lx, y, fy, ly, labels, heads, 1).value());
  }

  // ---- TCC ----

  /** Cycle-back regression of u through v, written out from Dwibedi et al. Eq. 5-7. */
  private static double tccReference(double[][] u, double[] t, double[][] v, double temp,
                                     double lambda) {
    int n = u.length;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double[] alpha = softmax(negDistances(u[i], v, temp));
      double[] soft = new double[u[0].length];
      for (int j = 0; j < v.length; j++) {
        for (int k = 0; k < soft.length; k++) {
          soft[k] += alpha[j] * v[j][k];
        }
      }
      double[] beta = softmax(negDistances(soft, u, temp));
      double mu = 0;
      for (int k = 0; k < n; k++) {
        mu += beta[k] * t[k];
      }
      double var = 0;
      for (int k = 0; k < n; k++) {
        var += beta[k] * (t[k] - mu) * (t[k] - mu);
      }
      var = Math.max(var, TccLoss.MIN_VARIANCE);
      total += (t[i] - mu) * (t[i] - mu) / var + lambda * Math.log(var);
    }
    return total / n;
  }

  private static double[] negDistances(double[] a, double[][] b, double temp) {
    double[] out = new double[b.length];
    for (int j = 0; j < b.length; j++) {
      double s = 0;
      for (int k = 0; k < a.length; k++) {
        s += (a[k] - b[j][k]) * (a[k] - b[j][k]);
      }
      out[j] = -s / temp;
    }
    return out;
  }

  private static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = Math.exp(z[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < z.length; i++) {
      out[i] /= sum;
    }
    return out;
  }

  private static double[] positions(int[] frames, int length) {
    double[] t = new double[frames.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = frames[i] / (double) length;
    }
    return t;
  }

  @Test
  void tccMatchesTheWrittenOutFormulaAndFiniteDifferences() {
    Random rnd = new Random(5);
    double[][] x = SyntheticStreams.unitRows(rnd, 6, 4);
    double[][] y = SyntheticStreams.unitRows(rnd, 7, 4);
    int[] fx = {0, 4, 9, 13, 18, 22};
    int[] fy = {1, 3, 8, 12, 15, 20, 26};
    // A temperature of 1 keeps beta spread out, so the variance stays above its floor.
    Build b = m -> new TccLoss(1.0, 0.01);
    double expected = (tccReference(x, positions(fx, 24), y, 1.0, 0.01)
        + tccReference(y, positions(fy, 28), x, 1.0, 0.01)) / 2;
    assertEquals(expected, run(b, x, fx, 24, y, fy, 28, null, Map.of(), 0).value(), 1e-10);
    assertGradients(b, x, fx, 24, y, fy, 28, null, Map.of());
  }

  @Test
  void tccOfTwoCycleConsistentVideosIsTheVarianceTermAlone() {
    // Orthonormal frames, the second video in reverse: every frame's soft nearest neighbour
    // cycles back to itself exactly, so the regression error is 0 and beta is one-hot: the loss
    // is lambda log(variance floor).
    double[][] x = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    double[][] y = {x[3].clone(), x[2].clone(), x[1].clone(), x[0].clone()};
    int[] f = {0, 5, 10, 15};
    double value = run(m -> new TccLoss(0.01, 0.001), x, f, 20, y, f, 20, null, Map.of(), 0)
        .value();
    assertEquals(0.001 * Math.log(TccLoss.MIN_VARIANCE), value, 1e-12);
  }

  // ---- TCN ----

  private static double tcnReference(double[][] e, int[] frames, int margin, double temp) {
    int h = frames.length / 2;
    double total = 0;
    for (int i = 0; i < h; i++) {
      double pos = 0;
      double sum = 0;
      for (int j = 0; j < h; j++) {
        double dot = 0;
        for (int k = 0; k < e[0].length; k++) {
          dot += e[i][k] * e[h + j][k];
        }
        if (j == i) {
          pos = dot / temp;
          sum += Math.exp(dot / temp);
        } else if (Math.abs(frames[i] - frames[h + j]) > margin) {
          sum += Math.exp(dot / temp);
        }
      }
      total += Math.log(sum) - pos;
    }
    return total / h;
  }

  @Test
  void tcnMatchesTheNPairsFormulaAndFiniteDifferences() {
    Random rnd = new Random(8);
    double[][] x = SyntheticStreams.unitRows(rnd, 8, 5);
    double[][] y = SyntheticStreams.unitRows(rnd, 8, 5);
    // Anchors then positives; anchor 1 (frame 12) and positive 2 (frame 21) are 9 frames apart,
    // inside the margin of 10, so that negative is left out.
    int[] fx = {2, 12, 22, 32, 4, 13, 21, 33};
    int[] fy = {0, 30, 60, 90, 1, 29, 62, 88};
    Build b = m -> new TcnLoss(3, 10, 0.5);
    double expected = (tcnReference(x, fx, 10, 0.5) + tcnReference(y, fy, 10, 0.5)) / 2;
    assertEquals(expected, run(b, x, fx, 40, y, fy, 100, null, Map.of(), 0).value(), 1e-10);
    assertGradients(b, x, fx, 40, y, fy, 100, null, Map.of());
  }

  @Test
  void tcnOfOrthonormalAnchorsAndIdenticalPositivesHasAKnownValue() {
    double[][] e = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    int[] far = {0, 50, 100, 1, 51, 101};
    // Logits 1/T on the diagonal, 0 elsewhere: log(1 + 2 exp(-1/T)) per anchor.
    double v = run(m -> new TcnLoss(3, 10, 0.1), e, far, 200, e, far, 200, null, Map.of(), 0)
        .value();
    assertEquals(Math.log(1 + 2 * Math.exp(-10)), v, 1e-12);
    // Anchor 0's negative positive 1 within the margin drops out of its sum.
    int[] near = {0, 8, 100, 1, 9, 101};
    double w = run(m -> new TcnLoss(3, 10, 0.1), e, near, 200, e, near, 200, null, Map.of(), 0)
        .value();
    assertEquals((2 * Math.log(1 + Math.exp(-10)) + Math.log(1 + 2 * Math.exp(-10))) / 3, w,
        1e-12);
  }

  @Test
  void tcnSamplesPositivesWithinTheWindowOfTheirAnchors() {
    TcnLoss tcn = new TcnLoss(3, 15, 0.1);
    Random rnd = new Random(2);
    for (int trial = 0; trial < 200; trial++) {
      int n = 30 + rnd.nextInt(200);
      int[] f = tcn.sample(n, 20, rnd);
      assertEquals(20, f.length);
      for (int i = 0; i < 10; i++) {
        int gap = Math.abs(f[i] - f[10 + i]);
        assertTrue(gap >= 1 && gap <= 3, "gap " + gap);
        assertTrue(f[10 + i] >= 0 && f[10 + i] < n);
      }
    }
  }

  // ---- Shuffle and learn ----

  @Test
  void salTripletsAreOrderedExactlyWhenTheMiddleFrameLiesBetween() {
    int[] frames = {3, 10, 17, 25, 30, 41, 48, 55};
    SalLoss.Triplets t = SalLoss.draw(frames, 400, new Random(4));
    int ordered = 0;
    for (int i = 0; i < 400; i++) {
      int a = frames[t.a()[i]];
      int b = frames[t.b()[i]];
      int c = frames[t.c()[i]];
      boolean between = (a < b && b < c) || (c < b && b < a);
      assertEquals(t.ordered()[i] == 1, between, "triplet " + a + "," + b + "," + c);
      ordered += t.ordered()[i];
    }
    assertEquals(200, ordered);
    assertThrows(InvalidInputException.class,
        () -> SalLoss.draw(new int[] {4, 4, 9}, 2, new Random(1)));
  }

  @Test
  void salIsTheHeadsCrossEntropyAndItsGradientsAreRight() {
    Random rnd = new Random(11);
    double[][] x = SyntheticStreams.unitRows(rnd, 5, 3);
    double[][] y = SyntheticStreams.unitRows(rnd, 5, 3);
    int[] f = {0, 6, 11, 17, 23};
    double[][] w = new double[2][9];
    for (double[] row : w) {
      for (int k = 0; k < 9; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    double[][] bias = {{0.3, -0.2}};
    Build b = m -> new SalLoss(m, 3, 6, new Random(0), DataType.FLOAT64);
    Map<String, double[][]> heads = Map.of("sal.weight", w, "sal.bias", bias);
    // The same triplets the loss draws: x's from the sampler first, then y's.
    Random same = new Random(3);
    double expected = (salReference(x, SalLoss.draw(f, 6, same), w, bias[0])
        + salReference(y, SalLoss.draw(f, 6, same), w, bias[0])) / 2;
    assertEquals(expected, run(b, x, f, 24, y, f, 24, null, heads, 3).value(), 1e-10);
    assertGradients(b, x, f, 24, y, f, 24, null, heads);
    // With a zero head every triplet is a coin toss: log 2.
    Map<String, double[][]> zero = Map.of("sal.weight", new double[2][9], "sal.bias",
        new double[1][2]);
    assertEquals(Math.log(2), run(b, x, f, 24, y, f, 24, null, zero, 3).value(), 1e-12);
  }

  private static double salReference(double[][] e, SalLoss.Triplets t, double[][] w,
                                     double[] bias) {
    double total = 0;
    int n = t.a().length;
    for (int i = 0; i < n; i++) {
      double[] feat = new double[3 * e[0].length];
      int d = e[0].length;
      System.arraycopy(e[t.a()[i]], 0, feat, 0, d);
      System.arraycopy(e[t.b()[i]], 0, feat, d, d);
      System.arraycopy(e[t.c()[i]], 0, feat, 2 * d, d);
      double[] logits = new double[2];
      for (int c = 0; c < 2; c++) {
        logits[c] = bias[c];
        for (int k = 0; k < feat.length; k++) {
          logits[c] += w[c][k] * feat[k];
        }
      }
      total -= Math.log(softmax(logits)[t.ordered()[i]]);
    }
    return total / n;
  }

  // ---- Supervised ----

  @Test
  void supervisedIsTheClassifiersCrossEntropyOnTheSampledFramesLabels() {
    Random rnd = new Random(13);
    double[][] x = SyntheticStreams.unitRows(rnd, 4, 3);
    double[][] y = SyntheticStreams.unitRows(rnd, 4, 3);
    int[] labels = {0, 0, 1, 1, 1, 2, 2, 2, 3, 3};
    int[] fx = {0, 3, 6, 9};
    int[] fy = {1, 2, 5, 8};
    double[][] w = new double[4][3];
    for (double[] row : w) {
      for (int k = 0; k < 3; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    double[][] bias = {{0.1, 0.2, -0.1, 0}};
    Build b = m -> new SupervisedLoss(m, 3, 4, new Random(0), DataType.FLOAT64);
    Map<String, double[][]> heads = Map.of("supervised.weight", w, "supervised.bias", bias);
    double expected = 0;
    for (int[] pick : new int[][] {fx, fy}) {
      double[][] e = pick == fx ? x : y;
      double s = 0;
      for (int i = 0; i < 4; i++) {
        double[] logits = new double[4];
        for (int c = 0; c < 4; c++) {
          logits[c] = bias[0][c] + w[c][0] * e[i][0] + w[c][1] * e[i][1] + w[c][2] * e[i][2];
        }
        s -= Math.log(softmax(logits)[labels[pick[i]]]);
      }
      expected += s / 4 / 2;
    }
    assertEquals(expected, run(b, x, fx, 10, y, fy, 10, labels, heads, 0).value(), 1e-10);
    assertGradients(b, x, fx, 10, y, fy, 10, labels, heads);
    Map<String, double[][]> zero = Map.of("supervised.weight", new double[4][3],
        "supervised.bias", new double[1][4]);
    assertEquals(Math.log(4), run(b, x, fx, 10, y, fy, 10, labels, zero, 0).value(), 1e-12);
    assertThrows(InvalidInputException.class,
        () -> run(b, x, fx, 10, y, fy, 10, null, heads, 0));
  }

  @Test
  void methodsParseByTheirCommandLineNames() {
    for (Method m : Method.values()) {
      assertEquals(m, Method.parse(m.id().toUpperCase(java.util.Locale.ROOT)));
    }
    assertThrows(InvalidInputException.class, () -> Method.parse("simclr"));
  }
}
