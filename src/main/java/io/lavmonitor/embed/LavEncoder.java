package io.lavmonitor.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The LAV frame encoder (paper section 3.4): a 2-D backbone on each of k context frames, the k
 * feature maps stacked in time, two Conv3d + BatchNorm + ReLU, a global max pool over time and
 * space, two fully connected layers with dropout, a linear projection and L2 normalisation.
 *
 * <p>Input: (B, k, 3, H, W) clips of k context frames, oldest first, ImageNet-normalised. Output:
 * (B, D) unit vectors. The backbone and the head are separate blocks so that a stream can run the
 * backbone once per new frame and reuse the features of its context frames.
 */
public final class LavEncoder extends AbstractBlock {
  private static final byte VERSION = 1;

  private final Block backbone;
  private final Block head;
  private final int embeddingSize;

  private LavEncoder(Block backbone, int channels3d, int hidden, int embeddingSize) {
    super(VERSION);
    this.embeddingSize = embeddingSize;
    this.backbone = addChildBlock("backbone", backbone);
    SequentialBlock h = new SequentialBlock();
    for (int i = 0; i < 2; i++) {
      h.add(Conv3d.builder().setFilters(channels3d).setKernelShape(new Shape(3, 3, 3))
          .optPadding(new Shape(1, 1, 1)).build())
          .add(BatchNorm.builder().build())
          .add(Activation::relu);
    }
    h.add(Pool.globalMaxPool3dBlock());
    for (int i = 0; i < 2; i++) {
      h.add(Dropout.builder().optRate(0.1f).build())
          .add(Linear.builder().setUnits(hidden).build())
          .add(Activation::relu);
    }
    h.add(Linear.builder().setUnits(embeddingSize).build());
    this.head = addChildBlock("head", h);
  }

  /**
   * The lightweight backbone for real time on a CPU: five stride-2 Conv2d + BatchNorm + ReLU,
   * 3 -> 32 -> 64 -> 96 -> 128 -> 128 channels, a 224 x 224 frame to a 128 x 7 x 7 map. The 3-D
   * head then works on a quarter of conv4c's 14 x 14 positions with 128 channels, which keeps the
   * whole encoder under a third of a GFLOP per frame.
   */
  public static LavEncoder small(int embeddingSize) {
    SequentialBlock b = new SequentialBlock();
    for (int filters : new int[] {32, 64, 96, 128, 128}) {
      b.add(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3))
          .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build())
          .add(BatchNorm.builder().build())
          .add(Activation::relu);
    }
    return new LavEncoder(b, 128, 256, embeddingSize);
  }

  /**
   * ResNet-50 (He et al. 2016, bottleneck units) cut after conv4c, the third unit of the fourth
   * stage (1024 x 14 x 14 at 224 input), or after conv5c, the end of the fifth stage
   * (2048 x 7 x 7). The head follows the authors' code: Conv3d to 512 channels, 512 hidden units.
   */
  public static LavEncoder resnet50(boolean conv5c, int embeddingSize) {
    return new LavEncoder(resnet50Backbone(conv5c), 512, 512, embeddingSize);
  }

  /**
   * The backbone of {@link #resnet50} alone, for backbone weight files: torchvision's
   * resnet50 layout (stem conv1, bn1, max pool; layer1 to layer3, or to layer4 for conv5c, of
   * {@link Bottleneck} units), so that its ImageNet state dicts load ({@link TorchvisionResNet}).
   */
  public static SequentialBlock resnet50Backbone(boolean conv5c) {
    SequentialBlock b = new SequentialBlock();
    b.add(Conv2d.builder().setFilters(64).setKernelShape(new Shape(7, 7))
            .optStride(new Shape(2, 2)).optPadding(new Shape(3, 3)).optBias(false).build())
        .add(BatchNorm.builder().build())
        .add(Activation::relu)
        .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
    int[] units = conv5c ? new int[] {3, 4, 6, 3} : new int[] {3, 4, 3};
    for (int stage = 0; stage < units.length; stage++) {
      for (int u = 0; u < units[stage]; u++) {
        // A projection shortcut where the shape changes (first unit of each stage).
        b.add(Bottleneck.unit(64 << stage, stage > 0 && u == 0 ? 2 : 1, u == 0));
      }
    }
    return b;
  }

  public Block backbone() {
    return backbone;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                   PairList<String, Object> params) {
    NDArray clips = inputs.singletonOrThrow();
    Shape s = clips.getShape();
    long b = s.get(0);
    long k = s.get(1);
    NDArray frames = clips.reshape(b * k, s.get(2), s.get(3), s.get(4));
    NDArray features = backbone.forward(ps, new NDList(frames), training, params)
        .singletonOrThrow();
    return new NDList(embed(ps, features, b, k, training));
  }

  /**
   * The head on backbone features of b clips of k frames, (b k, C, h, w) in clip order: what a
   * stream calls with features it has kept from earlier frames.
   */
  public NDArray embed(ParameterStore ps, NDArray features, long b, long k, boolean training) {
    Shape f = features.getShape();
    NDArray stacked = features.reshape(b, k, f.get(1), f.get(2), f.get(3))
        .transpose(0, 2, 1, 3, 4);
    NDArray e = head.forward(ps, new NDList(stacked), training).singletonOrThrow();
    NDArray norm = e.pow(2).sum(new int[] {1}, true).add(1e-12).sqrt();
    return e.div(norm);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), embeddingSize)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType,
                                       Shape... inputShapes) {
    Shape s = inputShapes[0];
    Shape frames = new Shape(s.get(0) * s.get(1), s.get(2), s.get(3), s.get(4));
    backbone.initialize(manager, dataType, frames);
    Shape f = backbone.getOutputShapes(new Shape[] {frames})[0];
    head.initialize(manager, dataType, new Shape(s.get(0), f.get(1), s.get(1), f.get(2),
        f.get(3)));
  }
}
