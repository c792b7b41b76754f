package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.SoftDtw;
import io.lavmonitor.bench.SyntheticStreams;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The DJL losses on real libtorch (offline, CPU natives from Maven) against the Java reference. */
class DjlLossTest {

  @Test
  void valueAndGradientsMatchThePureJavaReference() {
    Random rnd = new Random(3);
    double[][] x = SyntheticStreams.unitRows(rnd, 9, 5);
    double[][] y = SyntheticStreams.unitRows(rnd, 12, 5);
    SoftDtw.Gradient reference = new SoftDtw(0.1).gradient(x, y, Cost.SQEUCLIDEAN);
    assertMatches(x, y, (xs, ys) -> new SoftDtwLoss(0.1).loss(xs, ys), reference.value(),
        reference.gradX(), reference.gradY(), "soft-DTW");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sdtw+cidm", "sdtw+idm", "sdtw+sfa",
      "cidm"})
  void lavLossMatchesThePureJavaReference(String name) {
    Random rnd = new Random(name.hashCode());
    double[][] x = SyntheticStreams.unitRows(rnd, 8, 4);
    double[][] y = SyntheticStreams.unitRows(rnd, 10, 4);
    double[] tx = {0, 3, 5, 9, 12, 15, 21, 24};
    double[] ty = {0, 2, 4, 7, 9, 13, 16, 18, 22, 25};
    for (io.lavmonitor.loss.TemporalRegularizer.Form form
        : io.lavmonitor.loss.TemporalRegularizer.Form.values()) {
      io.lavmonitor.loss.LavLoss spec = io.lavmonitor.loss.LavLoss.parse(name, 0.1, 0.5, 4, 2.0,
          form);
      io.lavmonitor.loss.LavLoss.PairValue reference = spec.apply(x, tx, 26, y, ty, 27);
      assertMatches(x, y, (xs, ys) -> new DjlLavLoss(spec).loss(xs, tx, 26, ys, ty, 27),
          reference.value(), reference.gradX(), reference.gradY(), name + " " + form);
    }
  }

  /** Runs the DJL loss on x and y with autograd and compares value and both gradients. */
  private static void assertMatches(double[][] x, double[][] y,
                                    java.util.function.BinaryOperator<NDArray> loss,
                                    double value, double[][] gradX, double[][] gradY,
                                    String what) {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = engine.newBaseManager()) {
      NDArray xs = manager.create(x);
      NDArray ys = manager.create(y);
      xs.setRequiresGradient(true);
      ys.setRequiresGradient(true);
      double actual;
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray l = loss.apply(xs, ys);
        actual = l.toDoubleArray()[0];
        gc.backward(l);
      }
      assertEquals(value, actual, 1e-9, what);
      assertClose(gradX, xs.getGradient().toDoubleArray());
      assertClose(gradY, ys.getGradient().toDoubleArray());
    }
  }

  private static void assertClose(double[][] expected, double[] actual) {
    int d = expected[0].length;
    for (int i = 0; i < expected.length; i++) {
      for (int k = 0; k < d; k++) {
        assertEquals(expected[i][k], actual[i * d + k], 1e-9, "gradient at " + i + "," + k);
      }
    }
  }
}
