package io.lavmonitor.cli;

import io.lavmonitor.experiment.Experiment;
import io.lavmonitor.experiment.RunSpec;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.loss.TemporalRegularizer;
import io.lavmonitor.train.TrainingSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav experiment}: the paper's experiments on our data, resumable, within a budget. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
    description = "Reproduce the paper's experiments on labelled datasets: every method trains "
        + "the same encoder on the same frames for the same number of steps, then is measured "
        + "on frozen embeddings. Results go to OUT/<experiment>/<date>/ (results.md, "
        + "results.json, figures). Finished runs are kept in --work and not repeated, so an "
        + "interrupted experiment continues when run again.",
    subcommands = {ExperimentCommand.Ablation.class, ExperimentCommand.Compare.class,
        ExperimentCommand.FewShot.class})
final class ExperimentCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every experiment takes. */
  static final class Common {
    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "A labelled dataset folder (as lav synth writes); repeat for several "
            + "datasets, one table column group each.")
    List<Path> data;

    @Option(names = "--seeds", defaultValue = "0,1,2", split = ",", paramLabel = "S,...",
        description = "Seeds; every run is repeated per seed (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--budget-minutes", defaultValue = "60", paramLabel = "M",
        description = "Time box for the whole experiment on this machine: the steps per run "
            + "are chosen so that every run fits, after timing a few steps and one evaluation "
            + "(default: ${DEFAULT-VALUE}).")
    double budgetMinutes;

    @Option(names = "--steps", paramLabel = "N",
        description = "Training steps per run, instead of deriving them from the budget.")
    Integer steps;

    @Option(names = "--out", defaultValue = "docs/results", paramLabel = "DIR",
        description = "Where results go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work", defaultValue = ".lav-experiments", paramLabel = "DIR",
        description = "Where runs, their weights and results are kept for resuming "
            + "(default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--methods", split = ",", paramLabel = "M,...",
        description = "Only the runs of these methods (for example pixels, to add the floor to "
            + "tables whose other runs are done); default: all.")
    List<String> methods = List.of();

    @Option(names = "--episodes", defaultValue = "10", paramLabel = "N",
        description = "Few-shot episodes per number of labelled videos (default: ${DEFAULT-VALUE}).")
    int episodes;
  }

  /**
   * The training settings of every run: the product's, but 64 px and the small backbone (which
   * keep a budget of minutes on two cores meaningful for ten runs), and the optimiser, C-IDM form
   * context stride and C-IDM window the published tables were measured with (docs/results).
   */
  static final TrainingSpec DEFAULTS = TrainingSpec.defaults().toBuilder().size(64)
      .backbone("small").lr(3e-4).cidmForm(TemporalRegularizer.Form.OFFICIAL).stride(15)
      .sigma(10).build();

  abstract static class Base implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common c;

    @Mixin
    TrainingOptions training = new TrainingOptions(DEFAULTS);

    abstract Experiment.Kind kind();

    @Override
    public Integer call() {
      TrainingSpec ts = training.spec(DEFAULTS);
      if (ts.framesPerVideo() < 3 || c.episodes < 1) {
        throw new InvalidInputException("--frames >= 3, --episodes >= 1");
      }
      if (ts.stride() == 0 || ts.sigma() == 0) {
        throw new InvalidInputException("experiments need a fixed --stride and --sigma "
            + "(datasets differ in length, and runs are compared across them)");
      }
      if (c.steps != null && c.steps < 1) {
        throw new InvalidInputException("--steps must be at least 1");
      }
      String command = "lav " + String.join(" ", spec.commandLine().getParseResult()
          .originalArgs());
      Experiment.Options o = new Experiment.Options(kind(), c.data, c.seeds, c.budgetMinutes,
          c.steps, new io.lavmonitor.experiment.ExperimentSettings(ts, c.episodes, c.work),
          c.out, command, c.methods.stream().map(io.lavmonitor.train.Method::parse).toList());
      PrintWriter out = spec.commandLine().getOut();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        stop.set(true); // Ctrl-C: the current run checkpoints, the report is written
        try {
          done.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }, "lav-experiment-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      Experiment.Outcome r;
      ProgressBar[] pb = new ProgressBar[1];
      try {
        r = Experiment.run(o, stop, new Experiment.Listener() {
          @Override
          public void planned(int steps, int runs, int finished) {
            out.printf(Locale.ROOT, "%s: %d runs (%d finished earlier), %d training steps "
                + "each%n", kind().name().toLowerCase(Locale.ROOT), runs, finished, steps);
            out.flush();
            pb[0] = BenchCommand.progress(kind().name().toLowerCase(Locale.ROOT), runs);
          }

          @Override
          public void started(RunSpec s, int index) {
            pb[0].setExtraMessage(s.dataset() + " " + s.row() + " seed " + s.seed());
          }

          @Override
          public void finished(RunSpec s, boolean reused) {
            pb[0].step();
          }
        });
      } finally {
        if (pb[0] != null) {
          pb[0].close();
        }
        done.countDown();
      }
      out.printf(Locale.ROOT, "%s %s (results.md, results.json, figures)%n",
          r.interrupted() ? "stopped; partial results in" : "results in", r.folder());
      out.flush();
      return r.interrupted() ? 130 : 0;
    }
  }

  @Command(name = "ablation", mixinStandardHelpOptions = true,
      description = "The paper's Table 1: LAV trained with each loss and combination (S-DTW, "
          + "IDM, SFA, C-IDM, S-DTW+IDM, S-DTW+SFA, S-DTW+C-IDM): classification, progression, "
          + "Kendall's tau, and the mean frame distance (collapse); distance-matrix figures "
          + "(Fig. 4) for S-DTW alone and S-DTW+C-IDM.")
  static final class Ablation extends Base {
    @Override
    Experiment.Kind kind() {
      return Experiment.Kind.ABLATION;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "The paper's Tables 2-4: LAV, LAV+TCC, TCC, TCN, SAL, supervised (trained "
          + "with each label fraction) and random features: classification at label fractions "
          + "0.1/0.5/1.0, progression, Kendall's tau, AP@5/10/15; few-shot and distance-matrix "
          + "figures.")
  static final class Compare extends Base {
    @Override
    Experiment.Kind kind() {
      return Experiment.Kind.COMPARE;
    }
  }

  @Command(name = "few-shot", mixinStandardHelpOptions = true,
      description = "The paper's Fig. 5: phase classification accuracy against the number of "
          + "labelled training videos (1, 2, 3, 5, 10) for every self-supervised method and "
          + "random features. Shares finished runs with compare.")
  static final class FewShot extends Base {
    @Override
    Experiment.Kind kind() {
      return Experiment.Kind.FEW_SHOT;
    }
  }
}
