package io.lavmonitor.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.lavmonitor.loss.LavLoss;
import io.lavmonitor.train.DjlLavLoss;
import org.junit.jupiter.api.Test;

/** The encoder on real libtorch: shapes, unit norm, determinism and gradient flow. */
class LavEncoderTest {
  private static float[] output(long seed, boolean training) {
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) seed);
    try (NDManager manager = engine.newBaseManager()) {
      LavEncoder enc = LavEncoder.small(128);
      enc.initialize(manager, DataType.FLOAT32, new Shape(3, 2, 3, 64, 64));
      NDArray clips = manager.randomNormal(new Shape(3, 2, 3, 64, 64));
      NDArray out = enc.forward(new ParameterStore(manager, false), new NDList(clips), training)
          .singletonOrThrow();
      assertEquals(new Shape(3, 128), out.getShape());
      return out.toFloatArray();
    }
  }

  @Test
  void embedsClipsAsUnitVectorsDeterministicallyForASeed() {
    float[] a = output(7, false);
    for (int i = 0; i < 3; i++) {
      double s = 0;
      for (int k = 0; k < 128; k++) {
        s += a[i * 128 + k] * a[i * 128 + k];
      }
      assertEquals(1.0, s, 1e-5, "norm of embedding " + i);
    }
    assertArrayEquals(a, output(7, false), 0f);
    float[] other = output(8, false);
    assertTrue(Math.abs(a[0] - other[0]) > 1e-6, "another seed, other weights");
  }

  @Test
  void theLavLossReachesEveryParameter() {
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed(1);
    try (NDManager manager = engine.newBaseManager()) {
      LavEncoder enc = LavEncoder.small(32);
      Shape clip = new Shape(6, 2, 3, 48, 48);
      enc.initialize(manager, DataType.FLOAT32, clip);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray x = manager.randomNormal(clip);
      NDArray y = manager.randomNormal(clip);
      double[] t = {0, 1, 2, 3, 4, 5};
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray ex = enc.forward(ps, new NDList(x), true).singletonOrThrow();
        NDArray ey = enc.forward(ps, new NDList(y), true).singletonOrThrow();
        NDArray loss = new DjlLavLoss(LavLoss.defaults()).loss(ex, t, 6, ey, t, 6);
        assertTrue(Double.isFinite(loss.toDoubleArray()[0]));
        gc.backward(loss);
      }
      int params = 0;
      for (Pair<String, Parameter> p : enc.getParameters()) {
        if (!p.getValue().requiresGradient()) {
          continue; // BatchNorm running statistics
        }
        NDArray g = p.getValue().getArray().getGradient();
        assertTrue(g.abs().sum().getFloat() > 0, "no gradient reaches " + p.getKey());
        params++;
      }
      assertTrue(params >= 20, params + " trainable parameters");
    }
  }
}
