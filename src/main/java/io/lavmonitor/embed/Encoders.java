package io.lavmonitor.embed;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.lavmonitor.io.InvalidInputException;
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

  /**
   * An encoder for clips of k frames of size x size, with weights from {@code weights} (a file
   * written by {@link #save}) or, when null, random weights from the seed.
   */
  public static LavEncoder create(String backbone, int embeddingSize, int size, int k,
                                  NDManager manager, Path weights, long seed) {
    if (!backbone.equals("small")) {
      throw new InvalidInputException("unknown or not yet available backbone '" + backbone
          + "' (available: small)");
    }
    engine().setRandomSeed((int) seed);
    LavEncoder enc = LavEncoder.small(embeddingSize);
    enc.initialize(manager, DataType.FLOAT32, new Shape(1, k, 3, size, size));
    if (weights == null) {
      LOG.info("encoder '{}' has random weights (seed {}): no weights file given", backbone,
          seed);
      return enc;
    }
    // DJL replaces parameters whatever their shape, so check that the file fits this encoder.
    java.util.Map<String, Shape> expected = new java.util.LinkedHashMap<>();
    enc.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
    try (InputStream in = new BufferedInputStream(Files.newInputStream(weights));
         DataInputStream data = new DataInputStream(in)) {
      enc.loadParameters(manager, data);
      enc.getParameters().forEach(p -> {
        Shape got = p.getValue().getArray().getShape();
        if (!got.equals(expected.get(p.getKey()))) {
          throw new IllegalStateException("parameter " + p.getKey() + " has shape " + got
              + ", expected " + expected.get(p.getKey()));
        }
      });
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(weights + ": no such weights file");
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new InvalidInputException(weights + ": not weights of a '" + backbone
          + "' encoder with " + embeddingSize + "-d output (" + e.getMessage() + ")");
    }
    return enc;
  }

  /** Writes the encoder's parameters in DJL's format. */
  public static void save(LavEncoder encoder, Path file) {
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
