package io.lavmonitor.cli;

import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.train.Method;
import io.lavmonitor.train.TrainingSpec;
import java.util.Objects;
import picocli.CommandLine.Option;

/** The options of one training run (method, length, validation, seed), over a {@link TrainingSpec}. */
final class TrainingRunOptions {
  @Option(names = "--method", paramLabel = "M",
      description = "lav, lav+tcc, tcc, tcn, sal, supervised or random (the untrained encoder, "
          + "0 steps). All train the same encoder on the same frames. Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(names = "--steps", paramLabel = "N",
      description = "Training steps (default: " + TrainingSpec.DEFAULT_STEPS + " unless "
          + "--epochs).")
  Integer steps;

  @Option(names = "--epochs", paramLabel = "E",
      description = "Train for E epochs instead of --steps; an epoch is as many steps as there "
          + "are training videos.")
  Integer epochs;

  @Option(names = "--max-minutes", paramLabel = "M",
      description = "Stop training after M minutes and finish normally (default: no limit).")
  double maxMinutes;

  @Option(names = "--keep-best", description = "Keep the weights of the validation with the "
      + "best Kendall's tau (model selection on the validation split).")
  boolean keepBest;

  @Option(names = "--eval-every", paramLabel = "N",
      description = "Steps between validations (default: ${DEFAULT-VALUE}; 0: only at the end).")
  int evalEvery;

  @Option(names = "--checkpoint-every", paramLabel = "N",
      description = "Steps between checkpoints (default: ${DEFAULT-VALUE}; 0: none).")
  int checkpointEvery;

  @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--label-fraction", paramLabel = "F",
      description = "supervised: fraction of each task's training videos whose labels it trains "
          + "on (default: ${DEFAULT-VALUE}).")
  double labelFraction;

  private final Integer defaultSteps;

  /** The product's defaults. */
  TrainingRunOptions() {
    this(TrainingSpec.defaults());
  }

  /** Options whose defaults are {@code d}'s. */
  TrainingRunOptions(TrainingSpec d) {
    method = d.method().id();
    steps = d.steps() > 0 ? d.steps() : null;
    defaultSteps = steps;
    epochs = d.epochs() > 0 ? d.epochs() : null;
    maxMinutes = d.maxMinutes();
    keepBest = d.keepBest();
    evalEvery = d.evalEvery();
    checkpointEvery = d.checkpointEvery();
    seed = d.seed();
    labelFraction = d.labelFraction();
  }

  /** The options onto a specification. */
  TrainingSpec.Builder apply(TrainingSpec.Builder b) {
    // --epochs replaces a command's default step count (but not --steps given with it).
    Integer n = epochs != null && Objects.equals(steps, defaultSteps) ? null : steps;
    Method m = Method.parse(method);
    if (!m.encodes()) {
      throw new InvalidInputException("--method " + m.id() + " is a baseline without a model; "
          + "lav experiment compare measures it");
    }
    return b.method(m).steps(n == null ? 0 : n)
        .epochs(epochs == null ? 0 : epochs).maxMinutes(maxMinutes).keepBest(keepBest)
        .evalEvery(evalEvery).checkpointEvery(checkpointEvery).seed(seed)
        .labelFraction(labelFraction);
  }
}
