package io.lavmonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;

/** Gradient checks by central finite differences, the independent definition of a gradient. */
public final class FiniteDifferences {
  private FiniteDifferences() {}

  /**
   * Asserts that {@code grad} is the gradient of {@code f} with respect to {@code at}, which f
   * reads: each entry is nudged by +-1e-6 in turn and restored.
   */
  public static void assertGradient(double[][] grad, double[][] at, DoubleSupplier f) {
    double h = 1e-6;
    for (int i = 0; i < at.length; i++) {
      for (int k = 0; k < at[i].length; k++) {
        double keep = at[i][k];
        at[i][k] = keep + h;
        double up = f.getAsDouble();
        at[i][k] = keep - h;
        double down = f.getAsDouble();
        at[i][k] = keep;
        double fd = (up - down) / (2 * h);
        assertEquals(fd, grad[i][k], 1e-5 * Math.max(1, Math.abs(fd)),
            "gradient at [" + i + "][" + k + "]");
      }
    }
  }
}
