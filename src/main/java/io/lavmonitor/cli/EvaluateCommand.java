package io.lavmonitor.cli;

import io.lavmonitor.eval.EvalData;
import io.lavmonitor.eval.Evaluation;
import io.lavmonitor.eval.PhaseSvm;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.plot.EvaluationPlots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav evaluate}: the paper's four measures on frozen embeddings. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Evaluate frozen per-frame embeddings as in the paper (section 4): phase "
        + "classification by an SVM fitted on training videos and scored on validation videos "
        + "(10%%, 50%%, 100%% of training labels), few-shot classification (1, 2, 3, 5, 10 "
        + "labelled videos), phase progression (R^2), Kendall's tau, and AP@5/10/15.",
        "Writes PNG plots: the few-shot curve and distance matrices of validation videos."})
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--embeddings", required = true, paramLabel = "DIR",
      description = "One NAME.npy or NAME.csv per video, rows = frames.")
  Path embeddings;

  @Option(names = "--labels", required = true, paramLabel = "DIR",
      description = "One NAME.json label file per video.")
  Path labels;

  @Option(names = "--splits", paramLabel = "FILE",
      description = "splits.json (default: the one beside the labels folder).")
  Path splits;

  @Option(names = "--stride", defaultValue = "2", paramLabel = "S",
      description = "Kendall's tau takes every stride-th frame of both videos, as TCC's "
          + "evaluation does (default: ${DEFAULT-VALUE}).")
  int stride;

  @Option(names = "--tau-full-search",
      description = "Kendall's tau matches each strided frame against every frame of the other "
          + "video (release 0.1's measure) instead of its strided frames.")
  boolean tauFullSearch;

  @Option(names = "--kernel", defaultValue = "rbf", paramLabel = "K",
      description = "SVM kernel: rbf or linear (default: ${DEFAULT-VALUE}).")
  String kernel;

  @Option(names = "--episodes", defaultValue = "50", paramLabel = "N",
      description = "Few-shot episodes (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED",
      description = "Seed of the video draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--ap-within-video",
      description = "AP@K searches the query's own video, as the authors' code does.")
  boolean apWithinVideo;

  @Option(names = "--svm-max-frames", defaultValue = "2000", paramLabel = "N",
      description = "Training frames per SVM fit at most, evenly spaced over the pooled "
          + "training frames; 0 uses all (exact, but kernel SVMs grow quadratically). "
          + "Default: ${DEFAULT-VALUE}.")
  int svmMaxFrames;

  @Option(names = "--plots", defaultValue = "evaluation-plots", paramLabel = "DIR",
      description = "Folder for the PNG plots (default: ${DEFAULT-VALUE}).")
  Path plots;

  @Option(names = "--report", paramLabel = "FILE", description = "Write a Markdown report.")
  Path report;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (stride < 1 || episodes < 1 || svmMaxFrames < 0) {
      throw new InvalidInputException("--stride and --episodes must be >= 1, --svm-max-frames "
          + ">= 0");
    }
    PhaseSvm.Kernel k;
    try {
      k = PhaseSvm.Kernel.parse(kernel);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("unknown kernel '" + kernel + "' (expected rbf or linear)");
    }
    EvalData data = EvalData.load(embeddings, labels, splits);
    Evaluation.Report r;
    try (ProgressBar pb = BenchCommand.progress("evaluate", Evaluation.steps())) {
      r = Evaluation.run(data, new Evaluation.Settings(k, stride, episodes, seed,
          apWithinVideo, svmMaxFrames, tauFullSearch), pb::step);
    }
    EvaluationPlots.fewShot(r.fewShot(), plots.resolve("few_shot.png"));
    var first = data.val().get(0);
    EvaluationPlots.distanceMatrix(first.embeddings(), first.embeddings(),
        "self-distances of " + first.name(), plots.resolve("self_distance.png"));
    var other = data.val().size() > 1 ? data.val().get(1) : data.train().get(0);
    EvaluationPlots.distanceMatrix(first.embeddings(), other.embeddings(),
        first.name() + " (rows) against " + other.name(), plots.resolve("cross_distance.png"));
    if (report != null) {
      if (report.toAbsolutePath().getParent() != null) {
        Files.createDirectories(report.toAbsolutePath().getParent());
      }
      Files.writeString(report, r.toMarkdown("Evaluation of " + embeddings));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(r.toJson()));
    } else {
      out.print(r.toMarkdown("Evaluation of " + embeddings));
      out.printf(Locale.ROOT, "%nplots in %s; %.1f s%n", plots, r.seconds());
    }
    out.flush();
    return 0;
  }
}
