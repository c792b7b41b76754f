package io.lavmonitor.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
