package io.lavmonitor.embed;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.torch.StateDictReader;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds, initialises, saves and loads encoders. */
public final class Encoders {
  private static final Logger LOG = LoggerFactory.getLogger(Encoders.class);

  private Encoders() {}

  /** The PyTorch engine; nothing downloads (the natives come from the Maven artifact). */
  public static Engine engine() {
    return Engine.getEngine("PyTorch");
  }

  /** The backbones {@link #create} knows. */
  public static final java.util.List<String> BACKBONES =
      java.util.List.of("small", "resnet50-conv4c", "resnet50-conv5c");

  /**
   * The device for {@code auto}, {@code cpu} or {@code gpu}: auto takes the first GPU when the
   * engine finds one, gpu insists on one.
   */
  public static ai.djl.Device device(String choice) {
    int gpus = engine().getGpuCount();
    return switch (choice.toLowerCase(java.util.Locale.ROOT)) {
      case "auto" -> gpus > 0 ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
      case "cpu" -> ai.djl.Device.cpu();
      case "gpu" -> {
        if (gpus == 0) {
          throw new InvalidInputException("--device gpu, but libtorch finds no GPU here "
              + "(CUDA natives need the pytorch-native-cu* artifact; see README)");
        }
        yield ai.djl.Device.gpu();
      }
      default -> throw new InvalidInputException("unknown device '" + choice
          + "' (expected auto, cpu or gpu)");
    };
  }

  /** ResNet-50 on a GPU, the light backbone on a CPU (ResNet-50 costs ~350 ms a frame there). */
  public static String defaultBackbone(ai.djl.Device device) {
    return device.isGpu() ? "resnet50-conv4c" : "small";
  }

  /**
   * An encoder for clips of k frames of size x size, with weights from {@code weights} (a file
   * written by {@link #save}) or, when null, random weights from the seed.
   */
  public static LavEncoder create(String backbone, int embeddingSize, int size, int k,
                                  NDManager manager, Path weights, long seed) {
    return create(backbone, embeddingSize, size, k, manager, weights, null, seed);
  }

  /**
   * As {@link #create(String, int, int, int, NDManager, Path, long)}, with backbone weights
   * loaded from a local file before training when {@code backboneWeights} is given: a DJL
   * {@code .params} file of the backbone, or torchvision's ImageNet ResNet-50 state dict as
   * {@code torch.save} wrote it ({@code resnet50-*.pth}); {@code weights}, the whole encoder,
   * overrides them. The encoder lives on the manager's device.
   */
  public static LavEncoder create(String backbone, int embeddingSize, int size, int k,
                                  NDManager manager, Path weights, Path backboneWeights,
                                  long seed) {
    engine().setRandomSeed((int) seed);
    LavEncoder enc = switch (backbone) {
      case "small" -> LavEncoder.small(embeddingSize);
      case "resnet50-conv4c" -> LavEncoder.resnet50(false, embeddingSize);
      case "resnet50-conv5c" -> LavEncoder.resnet50(true, embeddingSize);
      default -> throw new InvalidInputException("unknown backbone '" + backbone
          + "' (available: " + String.join(", ", BACKBONES) + ")");
    };
    if (size < 32) {
      throw new InvalidInputException("input size " + size + " is too small (at least 32)");
    }
    enc.initialize(manager, DataType.FLOAT32, new Shape(1, k, 3, size, size));
    if (weights != null) {
      loadChecked(enc, manager, weights, "a '" + backbone + "' encoder with " + embeddingSize
          + "-d output");
    } else if (backboneWeights != null) {
      loadBackbone(enc, backbone, manager, backboneWeights);
      LOG.info("head random (seed {})", seed);
    } else {
      LOG.info("encoder '{}' has random weights (seed {}): no weights file given", backbone,
          seed);
    }
    return enc;
  }

  /**
   * Loads backbone weights from a DJL {@code .params} file or, told apart by content, a
   * torchvision state dict written by {@code torch.save} ({@code resnet50-*.pth}).
   */
  private static void loadBackbone(LavEncoder enc, String backbone, NDManager manager,
                                   Path file) {
    if (!StateDictReader.looksLikeTorchSave(file)) {
      loadChecked(enc.backbone(), manager, file, "a '" + backbone + "' backbone");
      LOG.info("backbone '{}' weights from {} (DJL .params)", backbone, file);
      return;
    }
    if (!backbone.startsWith("resnet50-")) {
      throw new InvalidInputException(file + ": a torch state dict, which only the "
          + "resnet50-conv4c and resnet50-conv5c backbones take (torchvision resnet50 "
          + "weights), not '" + backbone + "'");
    }
    java.util.Map<String, io.lavmonitor.torch.Tensor> dict = StateDictReader.read(file);
    String summary;
    try {
      summary = TorchvisionResNet.load(enc.backbone(),
          TorchvisionResNet.layerNames(backbone.equals("resnet50-conv5c")), dict);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ": not weights of a '" + backbone
          + "' backbone (" + e.getMessage() + ")");
    }
    LOG.info("backbone '{}' weights from {} (torch.save state dict, torchvision names: {})",
        backbone, file, summary);
  }

  /** Loads DJL parameters into a block, refusing a file whose shapes do not fit. */
  private static void loadChecked(ai.djl.nn.Block block, NDManager manager, Path file,
                                  String what) {
    // DJL replaces parameters whatever their shape, so check that the file fits this block.
    java.util.Map<String, Shape> expected = new java.util.LinkedHashMap<>();
    block.getParameters().forEach(p -> expected.put(p.getKey(),
        p.getValue().getArray().getShape()));
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
         DataInputStream data = new DataInputStream(in)) {
      block.loadParameters(manager, data);
      // Loaded arrays replace the initialised ones without their gradient buffers; training
      // from loaded weights (resume, warm start) needs them back.
      block.getParameters().forEach(p -> {
        if (p.getValue().requiresGradient()) {
          p.getValue().getArray().setRequiresGradient(true);
        }
      });
      block.getParameters().forEach(p -> {
        Shape got = p.getValue().getArray().getShape();
        if (!got.equals(expected.get(p.getKey()))) {
          throw new IllegalStateException("parameter " + p.getKey() + " has shape " + got
              + ", expected " + expected.get(p.getKey()));
        }
      });
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(file + ": no such weights file");
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new InvalidInputException(file + ": not weights of " + what + " ("
          + e.getMessage() + ")");
    }
  }

  /** Writes the encoder's parameters in DJL's format. */
  public static void save(LavEncoder encoder, Path file) {
    save((ai.djl.nn.Block) encoder, file);
  }

  /** Writes a block's parameters (an encoder, or a backbone alone) in DJL's format. */
  public static void save(ai.djl.nn.Block encoder, Path file) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      try (OutputStream out = Files.newOutputStream(file);
           DataOutputStream data = new DataOutputStream(out)) {
        encoder.saveParameters(data);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
