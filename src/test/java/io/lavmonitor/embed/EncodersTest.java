package io.lavmonitor.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.lavmonitor.io.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodersTest {
  @TempDir
  Path dir;

  private static float[] run(LavEncoder enc, NDManager m) {
    NDArray x = m.ones(new Shape(1, 2, 3, 32, 32));
    return enc.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow()
        .toFloatArray();
  }

  @Test
  void savedWeightsLoadBackIntoTheSameEncoder() throws Exception {
    Path file = dir.resolve("enc.params");
    try (NDManager m = Encoders.engine().newBaseManager()) {
      LavEncoder a = Encoders.create("small", 8, 32, 2, m, null, 11);
      Encoders.save(a, file);
      float[] expected = run(a, m);
      LavEncoder other = Encoders.create("small", 8, 32, 2, m, null, 12);
      assertTrue(Math.abs(run(other, m)[0] - expected[0]) > 1e-7, "seeds differ");
      LavEncoder b = Encoders.create("small", 8, 32, 2, m, file, 12);
      assertArrayEquals(expected, run(b, m), 0f);

      InvalidInputException wrongShape = assertThrows(InvalidInputException.class,
          () -> Encoders.create("small", 16, 32, 2, m, file, 0));
      assertTrue(wrongShape.getMessage().contains("not weights of a 'small' encoder"),
          wrongShape.getMessage());
      Files.writeString(dir.resolve("junk.params"), "junk");
      assertThrows(InvalidInputException.class,
          () -> Encoders.create("small", 8, 32, 2, m, dir.resolve("junk.params"), 0));
      assertThrows(InvalidInputException.class,
          () -> Encoders.create("resnet99", 8, 32, 2, m, null, 0));
    }
  }

  /** The backbone's feature map for one random frame of size x size. */
  static ai.djl.ndarray.types.Shape featureShape(LavEncoder e, NDManager m, int size) {
    ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
    return e.backbone().forward(ps, new ai.djl.ndarray.NDList(
        m.randomNormal(new ai.djl.ndarray.types.Shape(1, 3, size, size))), false)
        .singletonOrThrow().getShape();
  }

  @Test
  void resnetBackbonesCutWhereThePaperSays() {
    try (NDManager m = Encoders.engine().newBaseManager()) {
      // conv4c: 1024 channels at stride 16; conv5c: 2048 at stride 32 (224 -> 14 and 7).
      LavEncoder c4 = Encoders.create("resnet50-conv4c", 128, 224, 2, m, null, 1);
      assertEquals(new ai.djl.ndarray.types.Shape(1, 1024, 14, 14), featureShape(c4, m, 224));
      LavEncoder c5 = Encoders.create("resnet50-conv5c", 128, 224, 2, m, null, 1);
      assertEquals(new ai.djl.ndarray.types.Shape(1, 2048, 7, 7), featureShape(c5, m, 224));
      // Trainable parameters as torchvision's resnet50 counts them: stem 9,536, layer1 215,808,
      // layer2 1,219,584, the first 3 units of layer3 3,745,792 (conv4c: 5.19 M), all of layer3
      // 7,098,368 and layer4 14,964,736 (conv5c: 23.51 M). Conv biases, if any, add < 0.05 M.
      assertEquals(5_190_720, parameters(c4.backbone()), 50_000);
      assertEquals(23_508_032, parameters(c5.backbone()), 50_000);
    }
  }

  static double parameters(ai.djl.nn.Block b) {
    return b.getParameters().values().stream()
        .filter(ai.djl.nn.Parameter::requiresGradient)
        .mapToLong(p -> p.getArray().getShape().size()).sum();
  }

  @Test
  void backboneWeightsLoadFromALocalFile() throws Exception {
    Path file = dir.resolve("backbone.params");
    try (NDManager m = Encoders.engine().newBaseManager()) {
      LavEncoder a = Encoders.create("resnet50-conv4c", 16, 64, 2, m, null, 3);
      Encoders.save(a.backbone(), file);
      LavEncoder b = Encoders.create("resnet50-conv4c", 16, 64, 2, m, null, file, 4);
      ai.djl.ndarray.NDArray x = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 3, 64, 64));
      ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
      float[] fa = a.backbone().forward(ps, new ai.djl.ndarray.NDList(x), false)
          .singletonOrThrow().toFloatArray();
      float[] fb = b.backbone().forward(ps, new ai.djl.ndarray.NDList(x), false)
          .singletonOrThrow().toFloatArray();
      assertArrayEquals(fa, fb, 0f);
      // A small backbone's file does not fit a ResNet.
      Encoders.save(Encoders.create("small", 16, 64, 2, m, null, 3).backbone(),
          dir.resolve("small.params"));
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> Encoders.create(
          "resnet50-conv4c", 16, 64, 2, m, null, dir.resolve("small.params"), 4));
      assertTrue(e.getMessage().contains("not weights of a 'resnet50-conv4c' backbone"),
          e.getMessage());
    }
  }
}
