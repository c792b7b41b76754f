package io.lavmonitor.embed;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * torchvision's ResNet-50 bottleneck unit (ResNet v1.5) as DJL blocks, so that torchvision's
 * ImageNet weights mean the same thing here: 1x1, 3x3 carrying the stride, 1x1, convolutions
 * without bias, BatchNorm with eps 1e-5 and torch momentum 0.1 (DJL's 0.9), and a 1x1
 * projection shortcut with BatchNorm where the shape changes. DJL's own ResNetV1 unit differs
 * (stride on the first 1x1, conv biases, eps 2e-5 in the middle).
 *
 * <p>Its Conv2d and BatchNorm blocks come, depth first, in torchvision's order: conv1, bn1,
 * conv2, bn2, conv3, bn3, downsample.0, downsample.1 ({@link TorchvisionResNet} relies on it).
 */
final class Bottleneck {
  private Bottleneck() {}

  /**
   * A unit of {@code width} inner and {@code 4 width} output channels.
   *
   * @param stride the stride of the 3x3 convolution and of the projection
   * @param project whether the shortcut is a projection (first unit of a stage)
   */
  static Block unit(int width, int stride, boolean project) {
    Shape s = new Shape(stride, stride);
    SequentialBlock main = new SequentialBlock()
        .add(conv(width, 1, new Shape(1, 1))).add(bn()).add(Activation::relu)
        .add(conv(width, 3, s)).add(bn()).add(Activation::relu)
        .add(conv(4 * width, 1, new Shape(1, 1))).add(bn());
    SequentialBlock shortcut = new SequentialBlock();
    if (project) {
      shortcut.add(conv(4 * width, 1, s)).add(bn());
    } else {
      shortcut.add(Blocks.identityBlock());
    }
    return new ParallelBlock(Bottleneck::join, List.of(main, shortcut));
  }

  private static NDList join(List<NDList> branches) {
    return new NDList(Activation.relu(branches.get(0).singletonOrThrow()
        .add(branches.get(1).singletonOrThrow())));
  }

  private static Block conv(int filters, int kernel, Shape stride) {
    int pad = kernel / 2;
    return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
        .optStride(stride).optPadding(new Shape(pad, pad)).optBias(false).build();
  }

  private static Block bn() {
    return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
  }
}
