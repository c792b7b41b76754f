package io.lavmonitor.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.lavmonitor.align.StreamingAligner;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.footage.Features;
import io.lavmonitor.footage.FootageEvaluation;
import io.lavmonitor.footage.FootageGenerator;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code lav bench footage}: the user's workflow on real footage. For each clip: the re-timed
 * benchmark ({@link FootageGenerator}), a model trained by {@code lav train} with the given
 * arguments (none: the defaults), and the measures of {@link FootageEvaluation} for it and, in
 * the same run, for the baselines: raw pixels, the randomly initialised encoder, and ImageNet
 * backbone features when a local weights file is given.
 */
public final class FootageBench {
  /** The real clips Debian's opencv-doc ships, and the stretch of each that is one cycle. */
  public static List<FootageGenerator.Clip> clips(Path media) {
    return List.of(
        new FootageGenerator.Clip("box", media.resolve("box.mp4"), 100, 388, 8),
        new FootageGenerator.Clip("cup", media.resolve("cup.mp4"), 38, 182, 4));
  }

  /**
   * The named clips under {@code media} (null: ~/.cache/lav-monitor/test-media, which
   * .ci/fetch-test-media fills), in the order given; "none" or an empty name is skipped.
   * InvalidInputException names an unknown or missing clip.
   */
  public static List<FootageGenerator.Clip> clips(Path media, List<String> names) {
    Path dir = media != null ? media : Path.of(System.getProperty("user.home"), ".cache",
        "lav-monitor", "test-media");
    List<FootageGenerator.Clip> chosen = new ArrayList<>();
    for (String name : names) {
      if (name.isBlank() || name.equals("none")) {
        continue;
      }
      FootageGenerator.Clip clip = clips(dir).stream().filter(c -> c.name().equals(name))
          .findFirst().orElseThrow(() -> new io.lavmonitor.io.InvalidInputException("clip "
              + name + ": known clips are box and cup"));
      if (!Files.exists(clip.file())) {
        throw new io.lavmonitor.io.InvalidInputException(clip.file()
            + ": missing (run .ci/fetch-test-media)");
      }
      chosen.add(clip);
    }
    return chosen;
  }

  /**
   * What to run.
   *
   * @param trainArgs extra {@code lav train} arguments; empty for the defaults; null not to train
   * @param backboneWeights ImageNet weights of the backbone for that baseline, or null
   */
  public record Options(List<FootageGenerator.Clip> clips, List<String> trainArgs,
                        Path backboneWeights, long seed, Path work,
                        List<StreamingAligner.Pattern> patterns, Path model) {}

  private FootageBench() {}

  public static Map<String, Object> run(Options o, Consumer<String> say) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    for (FootageGenerator.Clip clip : o.clips()) {
      Path data = o.work().resolve("data-" + clip.name() + "-seed" + o.seed());
      if (!Files.exists(data.resolve("splits.json"))) {
        say.accept(clip.name() + ": writing the benchmark to " + data);
        FootageGenerator.generate(clip, FootageGenerator.Options.benchmark(o.seed()), data);
      }
      int m = clip.referenceFrames();
      List<Map<String, Object>> rows = new ArrayList<>();
      say.accept(clip.name() + ": pixels");
      measure(data, Features.pixels(), m, o, rows, Map.of());
      Device dev = Encoders.device("auto");
      try (NDManager manager = Encoders.engine().newBaseManager(dev)) {
        ModelStore.Version v = null;
        double minutes = Double.NaN;
        if (o.model() != null) {
          v = ModelStore.resolve(o.model());
          say.accept(clip.name() + ": the given model " + v.card().id());
        } else if (o.trainArgs() != null) {
          Path models = o.work().resolve("models-" + clip.name());
          List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(),
              "--out", models.toString(), "--run-dir", o.work().resolve("run-" + clip.name()
                  + "-" + System.nanoTime()).toString()));
          args.addAll(o.trainArgs());
          say.accept(clip.name() + ": lav " + String.join(" ", args));
          long t0 = System.nanoTime();
          int rc = io.lavmonitor.cli.LavCommand.newCommandLine().execute(args.toArray(
              new String[0]));
          if (rc != 0) {
            throw new IllegalStateException("lav train failed with exit code " + rc);
          }
          minutes = (System.nanoTime() - t0) / 6e10;
          v = ModelStore.open(models).newest();
        }
        if (v != null) {
          ModelCard c = v.card();
          measure(data, Features.encoder("trained", v.load(manager), c.inputSize(),
              c.contextFrames(), c.contextStride(), dev), m, o, rows, Map.of("model", c.id(),
              "train_minutes", minutes, "context_stride", c.contextStride(),
              "validation", c.metrics()));
          // The same network with its initial weights.
          LavEncoder random = Encoders.create(c.backbone(), c.embeddingDim(), c.inputSize(),
              c.contextFrames(), manager, null, 0);
          measure(data, Features.encoder("random init", random, c.inputSize(),
              c.contextFrames(), c.contextStride(), dev), m, o, rows, Map.of());
        }
        if (o.backboneWeights() != null) {
          LavEncoder imagenet = Encoders.create("resnet50-conv4c", 128, 224, 2, manager, null,
              o.backboneWeights(), 0);
          measure(data, Features.encoder("ImageNet conv4c, random head", imagenet, 224, 2, 2,
              dev), m, o, rows, Map.of());
        }
      }
      out.put(clip.name(), rows);
      for (Map<String, Object> r : rows) {
        say.accept(clip.name() + ": " + r);
      }
    }
    return out;
  }

  /** The features' measures under each step pattern, embedding every recording once. */
  private static void measure(Path data, Features features, int m, Options o,
                              List<Map<String, Object>> rows, Map<String, Object> extra)
      throws Exception {
    try (Features f = Features.cached(features)) {
      for (StreamingAligner.Pattern p : o.patterns()) {
        StreamingAligner.Config cycle = StreamingAligner.Config.defaults(
            StreamingAligner.Mode.CYCLE).withPattern(p);
        StreamingAligner.Config continuous = StreamingAligner.Config.defaults(
            StreamingAligner.Mode.CONTINUOUS).withMinCycleFrames(m / 2).withPattern(p);
        Map<String, Object> r = new LinkedHashMap<>(FootageEvaluation.run(data, f, cycle,
            continuous));
        r.put("pattern", p.name().toLowerCase(java.util.Locale.ROOT));
        r.putAll(extra);
        rows.add(r);
      }
    }
  }
}
