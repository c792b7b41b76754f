package io.lavmonitor.embed;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.torch.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts a torchvision state dict ({@code conv1.weight}, {@code layer1.0.bn2.running_var},
 * {@code layer2.0.downsample.0.weight} ...) into our ResNet-50 backbone. The backbone's Conv2d
 * and BatchNorm blocks, depth first, are named as torchvision names its layers; each of their
 * parameters must find a tensor of its shape, or nothing is loaded. Tensors the backbone has no
 * use for ({@code fc.*}, layers past the cut, {@code num_batches_tracked}) are ignored.
 */
final class TorchvisionResNet {
  private TorchvisionResNet() {}

  /** torchvision's layer names for {@link LavEncoder#resnet50Backbone}, in block order. */
  static List<String> layerNames(boolean conv5c) {
    List<String> names = new ArrayList<>(List.of("conv1", "bn1"));
    int[] units = conv5c ? new int[] {3, 4, 6, 3} : new int[] {3, 4, 3};
    for (int stage = 0; stage < units.length; stage++) {
      for (int u = 0; u < units[stage]; u++) {
        names.addAll(unitLayerNames("layer" + (stage + 1) + "." + u, u == 0));
      }
    }
    return names;
  }

  /** torchvision's layer names of one {@link Bottleneck} unit. */
  static List<String> unitLayerNames(String unit, boolean projection) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      names.add(unit + ".conv" + i);
      names.add(unit + ".bn" + i);
    }
    if (projection) {
      names.add(unit + ".downsample.0");
      names.add(unit + ".downsample.1");
    }
    return names;
  }

  /**
   * Copies the tensors into the block's parameters, after checking that every parameter has one
   * of its shape. A prefix that every name carries (DataParallel's {@code module.}) is dropped.
   *
   * @param layers torchvision's names of the block's Conv2d and BatchNorm blocks, in order
   * @return how many tensors were used and ignored, for the log
   */
  static String load(Block block, List<String> layers, Map<String, Tensor> dict) {
    List<Target> targets = targets(block, layers);
    String prefix = prefix(dict, targets.get(0).name());
    List<String> missing = new ArrayList<>();
    for (Target t : targets) {
      Tensor v = dict.get(prefix + t.name());
      Shape want = t.parameter().getArray().getShape();
      if (v == null) {
        missing.add(t.name());
      } else if (!v.dtype().isFloatingPoint()) {
        throw new InvalidInputException(t.name() + " is " + v.dtype() + ", expected floating "
            + "point for parameter " + t.key() + " " + want);
      } else if (!new Shape(v.shape()).equals(want)) {
        throw new InvalidInputException(t.name() + " has shape " + v.shapeString()
            + " in the file; the backbone's parameter " + t.key() + " needs "
            + dims(want) + ": not torchvision resnet50 weights");
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException("no " + String.join(", ",
          missing.subList(0, Math.min(8, missing.size())))
          + (missing.size() > 8 ? " ... (" + missing.size() + " missing)" : "")
          + " in the state dict: not (all of) torchvision's resnet50 weights");
    }
    Set<String> used = new HashSet<>();
    for (Target t : targets) {
      float[] values = dict.get(prefix + t.name()).values();
      t.parameter().getArray().set(FloatBuffer.wrap(values));
      used.add(prefix + t.name());
    }
    return used.size() + " tensors used, " + (dict.size() - used.size()) + " ignored"
        + (prefix.isEmpty() ? "" : ", prefix '" + prefix + "' dropped");
  }

  /** The block's parameters by torchvision name, in block order. */
  static Map<String, Parameter> parameters(Block block, List<String> layers) {
    Map<String, Parameter> out = new java.util.LinkedHashMap<>();
    targets(block, layers).forEach(t -> out.put(t.name(), t.parameter()));
    return out;
  }

  /** A backbone parameter and its torchvision name. */
  private record Target(String name, String key, Parameter parameter) {}

  private static List<Target> targets(Block block, List<String> layers) {
    List<Pair<String, Block>> leaves = new ArrayList<>();
    leaves(block, "", leaves);
    if (leaves.size() != layers.size()) {
      throw new IllegalStateException("the backbone has " + leaves.size()
          + " convolution and batch norm blocks, torchvision's layout " + layers.size());
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < leaves.size(); i++) {
      Block leaf = leaves.get(i).getValue();
      String layer = layers.get(i);
      boolean bn = layer.matches(".*(bn\\d|downsample\\.1)");
      if (bn != leaf instanceof BatchNorm) {
        throw new IllegalStateException(layer + " is a " + leaf.getClass().getSimpleName());
      }
      for (Pair<String, Parameter> p : leaf.getDirectParameters()) {
        targets.add(new Target(layer + "." + torchName(p.getKey()),
            leaves.get(i).getKey() + p.getKey(), p.getValue()));
      }
    }
    return targets;
  }

  /** The Conv2d and BatchNorm blocks depth first, with DJL's parameter key prefixes. */
  private static void leaves(Block b, String path, List<Pair<String, Block>> out) {
    if (b instanceof Conv2d || b instanceof BatchNorm) {
      out.add(new Pair<>(path, b));
      return;
    }
    for (Pair<String, Block> c : b.getChildren()) {
      leaves(c.getValue(), path + c.getKey() + "_", out);
    }
  }

  private static String torchName(String djl) {
    return switch (djl) {
      case "gamma" -> "weight";
      case "beta" -> "bias";
      case "runningMean" -> "running_mean";
      case "runningVar" -> "running_var";
      default -> djl; // weight, bias
    };
  }

  /** "" when the dict has {@code first} itself, else the one prefix its names put before it. */
  private static String prefix(Map<String, Tensor> dict, String first) {
    if (dict.containsKey(first)) {
      return "";
    }
    String found = null;
    for (String k : dict.keySet()) {
      String p = k.substring(0, Math.max(0, k.length() - first.length()));
      if (k.endsWith("." + first) && !p.matches(".*layer\\d+\\.\\d+\\.")) {
        found = found == null || p.length() < found.length() ? p : found;
      }
    }
    return found == null ? "" : found;
  }

  private static String dims(Shape s) {
    return java.util.Arrays.toString(s.getShape());
  }
}
