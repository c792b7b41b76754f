package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lavmonitor.embed.Encoders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/** Adam against the update rule written out in plain Java, and its state across a save. */
class AdamTest {
  /** Kingma and Ba's Algorithm 1 with L2 decay added to the gradient, in doubles. */
  static double[] reference(double[] w, double[][] grads, double lr, double wd) {
    double[] x = w.clone();
    double[] m = new double[x.length];
    double[] v = new double[x.length];
    for (int t = 1; t <= grads.length; t++) {
      for (int i = 0; i < x.length; i++) {
        double g = grads[t - 1][i] + wd * x[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double mh = m[i] / (1 - Math.pow(0.9, t));
        double vh = v[i] / (1 - Math.pow(0.999, t));
        x[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
      }
    }
    return x;
  }

  @Test
  void matchesTheUpdateRuleAndSurvivesASave() throws Exception {
    double[] w0 = {0.5, -1.0, 2.0};
    double[][] grads = {{0.1, -0.2, 3.0}, {0.05, 0.3, -1.0}, {-0.4, 0.0, 0.5}};
    double[] expected = reference(w0, grads, 0.01, 0.1);
    try (NDManager m = Encoders.engine().newBaseManager()) {
      NDArray w = m.create(new float[] {0.5f, -1.0f, 2.0f});
      Adam adam = new Adam(m, 0.01, 0.1);
      adam.beginStep();
      adam.update("w", w, m.create(toFloat(grads[0])));
      // Save after one step, continue in a fresh optimiser.
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      adam.save(new DataOutputStream(bytes));
      Adam restored = new Adam(m, 0.01, 0.1);
      restored.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertEquals(1, restored.steps());
      for (int t = 1; t < grads.length; t++) {
        restored.beginStep();
        restored.update("w", w, m.create(toFloat(grads[t])));
      }
      float[] got = w.toFloatArray();
      for (int i = 0; i < got.length; i++) {
        assertEquals(expected[i], got[i], 1e-5, "weight " + i);
      }
      // The update moved every weight (the test would pass trivially otherwise).
      assertArrayEquals(new boolean[] {true, true, true}, new boolean[] {
          Math.abs(got[0] - 0.5) > 1e-3, Math.abs(got[1] + 1) > 1e-3, Math.abs(got[2] - 2) > 1e-3});
    }
  }

  static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
