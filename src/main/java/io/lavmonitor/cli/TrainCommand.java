package io.lavmonitor.cli;

import ai.djl.ndarray.NDManager;
import io.lavmonitor.data.Dataset;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.loss.LavLoss;
import io.lavmonitor.loss.TemporalRegularizer;
import io.lavmonitor.train.PairTrainer;
import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav train}: self-supervised LAV training on a dataset's training videos. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a LAV encoder, self-supervised, on random pairs of training videos of "
        + "the same task (same phase names). Writes the weights (--out, DJL .params) and a CSV "
        + "log of the loss beside them.",
        "First version: a fixed number of steps from random weights; no checkpoints, resume or "
            + "model store yet."})
final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Weights file to write (.params).")
  Path out;

  @Option(names = "--backbone", defaultValue = "small", description = "Backbone (default: ${DEFAULT-VALUE}).")
  String backbone;

  @Option(names = "--steps", defaultValue = "1000", description = "Training steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--size", defaultValue = "112", description = "Input size (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--dim", defaultValue = "128", description = "Embedding size (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--loss", defaultValue = "sdtw+cidm",
      description = "sdtw, idm, sfa, cidm, sdtw+idm, sdtw+sfa or sdtw+cidm (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--cidm-form", defaultValue = "paper", paramLabel = "F",
      description = "paper (Eq. 7 on the p sampled positions) or official (the authors' code: "
          + "frame positions divided by the video length). Default: ${DEFAULT-VALUE}.")
  String cidmForm;

  @Option(names = "--lr", defaultValue = "1e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--frames", defaultValue = "20", description = "Frames per video p (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--context", defaultValue = "2", description = "Context frames k (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--stride", defaultValue = "15", description = "Context stride (default: ${DEFAULT-VALUE}).")
  int stride;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    if (steps < 1 || frames < 2 || context < 1 || stride < 1) {
      throw new InvalidInputException("--steps >= 1, --frames >= 2, --context and --stride >= 1");
    }
    TemporalRegularizer.Form form = switch (cidmForm.toLowerCase(Locale.ROOT)) {
      case "paper" -> TemporalRegularizer.Form.PAPER;
      case "official" -> TemporalRegularizer.Form.OFFICIAL;
      default -> throw new InvalidInputException("unknown --cidm-form '" + cidmForm
          + "' (expected paper or official)");
    };
    LavLoss lossSpec = LavLoss.parse(loss, 0.1, 0.5, 10, 2.0, form);
    Dataset ds = Dataset.open(data);
    Preprocessor pre = new Preprocessor(size, true);
    Map<List<String>, List<PairTrainer.Frames>> byTask = new LinkedHashMap<>();
    for (Dataset.Entry e : ds.train()) {
      List<float[]> chw;
      try (VideoSource s = VideoSources.open(e.video().toString())) {
        chw = pre.chw(s);
      }
      byTask.computeIfAbsent(e.labels().phases(), k -> new ArrayList<>())
          .add(new PairTrainer.Frames(e.name(), chw));
    }
    List<List<PairTrainer.Frames>> tasks = byTask.values().stream()
        .filter(v -> v.size() >= 2).toList();
    if (tasks.isEmpty()) {
      throw new InvalidInputException(data + ": training needs two training videos of one task");
    }
    Path log = Path.of(out.toString().replaceFirst("\\.params$", "") + ".csv");
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Random rnd = new Random(seed);
    long t0 = System.nanoTime();
    try (NDManager manager = Encoders.engine().newBaseManager();
         Writer w = Files.newBufferedWriter(log);
         ProgressBar pb = BenchCommand.progress("train", steps)) {
      LavEncoder enc = Encoders.create(backbone, dim, size, context, manager, null, seed);
      PairTrainer trainer = new PairTrainer(enc, manager, size, lossSpec,
          new PairTrainer.Settings(frames, context, stride, lr, 1e-5, true, 32 / 255.0, 0.5),
          seed);
      PrintWriter csv = new PrintWriter(w);
      csv.println("step,loss,seconds");
      double smoothed = Double.NaN;
      for (int step = 1; step <= steps; step++) {
        List<PairTrainer.Frames> task = tasks.get(rnd.nextInt(tasks.size()));
        int i = rnd.nextInt(task.size());
        int j = rnd.nextInt(task.size() - 1);
        double l = trainer.step(task.get(i), task.get(j >= i ? j + 1 : j));
        if (Double.isFinite(l)) { // a skipped step does not poison the running mean
          smoothed = Double.isNaN(smoothed) ? l : 0.95 * smoothed + 0.05 * l;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        csv.printf(Locale.ROOT, "%d,%.6f,%.2f%n", step, l, secs);
        csv.flush(); // a long run can be followed, and survives a crash
        pb.step();
        pb.setExtraMessage(String.format(Locale.ROOT, "loss %.3f, %.2f steps/s", smoothed,
            step / secs));
      }
      csv.flush();
      Encoders.save(enc, out);
    }
    spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s and %s (%d steps, %.1f s)%n", out,
        log, steps, (System.nanoTime() - t0) / 1e9);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
