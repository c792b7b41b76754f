package io.lavmonitor.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.torch.StateDictReader;
import io.lavmonitor.torch.Tensor;
import io.lavmonitor.torch.TorchZipWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision weights in our ResNet-50 backbone. The fixtures under
 * src/test/resources/io/lavmonitor/embed come from real torchvision (made by
 * src/test/resources/io/lavmonitor/torch/make-fixtures.py): a Bottleneck with its output, and
 * the names and shapes of resnet50's state dict. Full-size files are written here by
 * {@link TorchZipWriter} in torch.save's layout, with values by formula.
 */
class TorchvisionResNetTest {
  @TempDir
  Path dir;

  private Path resource(String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream(name)) {
      Files.copy(in, p);
    }
    return p;
  }

  /** torchvision's resnet50 state dict: name to shape, in its order. */
  private Map<String, long[]> torchvisionKeys() throws Exception {
    Map<String, long[]> keys = new LinkedHashMap<>();
    try (InputStream in = getClass().getResourceAsStream("resnet50-keys.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ");
        keys.put(f[0], f.length < 2 || f[1].isEmpty() ? new long[0]
            : Arrays.stream(f[1].split(",")).mapToLong(Long::parseLong).toArray());
      }
    }
    assertEquals(320, keys.size());
    return keys;
  }

  /** Whether conv4c (stem, layer1, layer2, layer3.0-2) uses a torchvision name. */
  private static boolean conv4c(String name) {
    return !name.endsWith("num_batches_tracked") && !name.startsWith("fc.")
        && !name.startsWith("layer4.") && !name.matches("layer3\\.[3-5]\\..*");
  }

  private static boolean conv5c(String name) {
    return !name.endsWith("num_batches_tracked") && !name.startsWith("fc.");
  }

  @Test
  void theBackbonesHaveTorchvisionsNamesAndShapes() throws Exception {
    Map<String, long[]> tv = torchvisionKeys();
    try (NDManager m = Encoders.engine().newBaseManager()) {
      for (boolean c5 : new boolean[] {false, true}) {
        Block b = LavEncoder.resnet50Backbone(c5);
        b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        Map<String, Parameter> ours = TorchvisionResNet.parameters(b,
            TorchvisionResNet.layerNames(c5));
        Predicate<String> used = c5 ? TorchvisionResNetTest::conv5c
            : TorchvisionResNetTest::conv4c;
        assertEquals(tv.keySet().stream().filter(used).toList(), List.copyOf(ours.keySet()));
        ours.forEach((k, p) -> assertArrayEquals(tv.get(k), p.getArray().getShape().getShape(),
            k));
        // Every backbone parameter has a torchvision name: nothing is left at random.
        assertEquals(b.getParameters().size(), ours.size());
      }
    }
  }

  @Test
  void aBottleneckComputesWhatTorchvisionsComputes() throws Exception {
    Map<String, Tensor> sd = StateDictReader.read(resource("bottleneck.pth"));
    try (NDManager m = Encoders.engine().newBaseManager()) {
      Block unit = Bottleneck.unit(4, 2, true);
      unit.initialize(m, DataType.FLOAT32, new Shape(1, 16, 7, 7));
      String summary = TorchvisionResNet.load(unit,
          TorchvisionResNet.unitLayerNames("layer2.0", true), sd);
      assertTrue(summary.startsWith("20 tensors used, 6 ignored"), summary);
      NDArray x = m.create(sd.get("input").values(), new Shape(sd.get("input").shape()));
      ParameterStore ps = new ParameterStore(m, false);
      NDArray y = unit.forward(ps, new NDList(x), false).singletonOrThrow();
      Tensor want = sd.get("output");
      assertEquals(new Shape(want.shape()), y.getShape());
      float[] got = y.toFloatArray();
      for (int i = 0; i < got.length; i++) {
        assertEquals(want.values()[i], got[i], 2e-5f, "output element " + i);
      }
      // Loaded parameters still train.
      try (GradientCollector gc = Encoders.engine().newGradientCollector()) {
        NDArray loss = unit.forward(ps, new NDList(x), true).singletonOrThrow().sum();
        gc.backward(loss);
      }
      NDArray g = unit.getParameters().get(0).getValue().getArray().getGradient();
      assertTrue(g.abs().sum().getFloat() > 0, "gradient of conv1.weight");
    }
  }

  /** The value a formula gives element i of the k-th tensor: exact in float. */
  private static float value(int k, long i) {
    return k + (i % 251) / 256f;
  }

  /**
   * A torchvision-layout resnet50 file: the tensors {@code real} accepts get storages of their
   * own with values by formula, all others are views of one shared storage.
   */
  private Path write(String name, Map<String, long[]> keys, Predicate<String> real)
      throws Exception {
    TorchZipWriter w = new TorchZipWriter();
    long spare = keys.values().stream().mapToLong(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b))
        .max().orElseThrow();
    w.storage("spare", new float[(int) spare]).longStorage("count", new long[] {5});
    int k = 0;
    for (Map.Entry<String, long[]> e : keys.entrySet()) {
      long[] shape = e.getValue();
      if (e.getKey().endsWith("num_batches_tracked")) {
        w.view(e.getKey(), "count", shape);
      } else if (real.test(e.getKey())) {
        float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
          v[i] = value(k, i);
        }
        w.tensor(e.getKey(), shape, v);
      } else {
        w.view(e.getKey(), "spare", shape);
      }
      k++;
    }
    Path p = dir.resolve(name);
    w.write(p);
    return p;
  }

  @Test
  void aFullTorchvisionStateDictLoadsIntoConv4cThroughEncoders() throws Exception {
    Map<String, long[]> tv = torchvisionKeys();
    Path file = write("resnet50-test.pth", tv, TorchvisionResNetTest::conv4c);
    List<String> names = List.copyOf(tv.keySet());
    try (NDManager m = Encoders.engine().newBaseManager()) {
      LavEncoder enc = Encoders.create("resnet50-conv4c", 16, 64, 2, m, null, file, 4);
      Map<String, Parameter> ours = TorchvisionResNet.parameters(enc.backbone(),
          TorchvisionResNet.layerNames(false));
      ours.forEach((name, p) -> {
        float[] got = p.getArray().toFloatArray();
        int k = names.indexOf(name);
        for (int i = 0; i < got.length; i++) {
          if (got[i] != value(k, i)) {
            throw new AssertionError(name + "[" + i + "] is " + got[i]);
          }
        }
      });
      // A few by hand, through DJL's own names for them.
      Map<String, Parameter> djl = new LinkedHashMap<>();
      enc.backbone().getParameters().forEach(p -> djl.put(p.getKey(), p.getValue()));
      String first = djl.keySet().iterator().next();
      assertTrue(first.endsWith("Conv2d_weight"), first);
      assertEquals(0f, djl.get(first).getArray().getFloat(0, 0, 0, 0));
      Parameter var = ours.get("layer3.2.bn3.running_var");
      assertTrue(var.getName().equals("runningVar"), var.getName());
      assertEquals(value(names.indexOf("layer3.2.bn3.running_var"), 7),
          var.getArray().getFloat(7));
      assertEquals("gamma", ours.get("layer2.0.downsample.1.weight").getName());
      assertEquals(value(names.indexOf("layer2.0.downsample.1.bias"), 100),
          ours.get("layer2.0.downsample.1.bias").getArray().getFloat(100));
      assertTrue(ours.get("layer1.0.conv1.weight").getArray().hasGradient());
      assertEquals(new Shape(1, 1024, 4, 4), EncodersTest.featureShape(enc, m, 64));
    }
  }

  @Test
  void missingOrMisshapenTensorsAreNamed() throws Exception {
    Map<String, long[]> tv = torchvisionKeys();
    Map<String, long[]> lacking = new LinkedHashMap<>(tv);
    lacking.remove("layer2.1.bn2.running_mean");
    lacking.remove("fc.bias");
    Path file = write("lacking.pth", lacking, n -> false);
    try (NDManager m = Encoders.engine().newBaseManager()) {
      String msg = assertThrows(InvalidInputException.class, () -> Encoders.create(
          "resnet50-conv4c", 16, 64, 2, m, null, file, 4)).getMessage();
      assertTrue(msg.startsWith(file + ": not weights of a 'resnet50-conv4c' backbone (no "
          + "layer2.1.bn2.running_mean in the state dict"), msg);

      Map<String, long[]> misshapen = new LinkedHashMap<>(tv);
      misshapen.put("layer1.0.conv2.weight", new long[] {64, 64, 1, 1});
      Path bad = write("misshapen.pth", misshapen, n -> false);
      msg = assertThrows(InvalidInputException.class, () -> Encoders.create(
          "resnet50-conv4c", 16, 64, 2, m, null, bad, 4)).getMessage();
      assertTrue(msg.contains("layer1.0.conv2.weight has shape [64, 64, 1, 1] in the file; the "
          + "backbone's parameter ") && msg.contains("Conv2d_weight needs [64, 64, 3, 3]"), msg);

      // conv5c needs layer3.3 and on, and layer4, which only conv4c may lack.
      Map<String, long[]> cut = new LinkedHashMap<>(tv);
      cut.keySet().removeIf(n -> !conv4c(n));
      Path c4 = write("conv4c-only.pth", cut, n -> false);
      Encoders.create("resnet50-conv4c", 16, 64, 2, m, null, c4, 4);
      msg = assertThrows(InvalidInputException.class, () -> Encoders.create(
          "resnet50-conv5c", 16, 64, 2, m, null, c4, 4)).getMessage();
      assertTrue(msg.contains("no layer3.3.conv1.weight, layer3.3.bn1.weight"), msg);
      assertTrue(msg.contains("(" + (tv.keySet().stream().filter(n -> conv5c(n)).count()
          - cut.size()) + " missing)"), msg);

      // DataParallel's "module." prefix is dropped; the small backbone takes no state dict.
      Map<String, long[]> prefixed = new LinkedHashMap<>();
      tv.forEach((k, v) -> prefixed.put("module." + k, v));
      Path dp = write("data-parallel.pth", prefixed, n -> false);
      Encoders.create("resnet50-conv4c", 16, 64, 2, m, null, dp, 4);
      msg = assertThrows(InvalidInputException.class, () -> Encoders.create(
          "small", 16, 64, 2, m, null, dp, 4)).getMessage();
      assertTrue(msg.contains("only the resnet50-conv4c and resnet50-conv5c backbones take"),
          msg);
    }
  }
}
