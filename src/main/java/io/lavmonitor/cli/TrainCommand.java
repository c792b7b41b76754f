package io.lavmonitor.cli;

import io.lavmonitor.data.Dataset;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.loss.LavLoss;
import io.lavmonitor.loss.TemporalRegularizer;
import io.lavmonitor.model.DataFingerprint;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.train.Method;
import io.lavmonitor.train.PairTrainer;
import io.lavmonitor.train.TrainingData;
import io.lavmonitor.train.TrainingRun;
import io.lavmonitor.train.Validation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav train}: self-supervised LAV training into a model store. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a LAV encoder, self-supervised, on random pairs of training videos of "
        + "the same task (same phase names), and add it to a model store (--out) as a new "
        + "version with model.json, the CSV log and the loss curve.",
        "Checkpoints every --checkpoint-every steps into the run folder; --resume continues from "
            + "the last one; Ctrl-C saves a checkpoint before exit. Validation videos are "
            + "measured every --eval-every steps and at the end."})
final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset folder.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "MODELS",
      description = "Model store folder (created if missing).")
  Path out;

  @Option(names = "--task", paramLabel = "T",
      description = "Only videos whose name starts with T (default: every task).")
  String task;

  @Option(names = "--backbone", paramLabel = "B",
      description = "small, resnet50-conv4c or resnet50-conv5c (default: small on a CPU, "
          + "resnet50-conv4c on a GPU).")
  String backbone;

  @Option(names = "--backbone-weights", paramLabel = "FILE",
      description = "Backbone weights to start from (DJL .params of the backbone block, e.g. "
          + "converted ImageNet weights). Default: random initialisation.")
  Path backboneWeights;

  @Option(names = "--init", paramLabel = "MODEL",
      description = "Warm start from a model (version folder or store).")
  Path init;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--steps", description = "Training steps (default: 1000).")
  Integer steps;

  @Option(names = "--epochs", paramLabel = "E",
      description = "Train for E epochs instead of --steps; an epoch is as many steps as there "
          + "are training videos.")
  Integer epochs;

  @Option(names = "--size", defaultValue = "112", description = "Input size (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--dim", defaultValue = "128", description = "Embedding size (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--method", defaultValue = "lav", paramLabel = "M",
      description = "lav, lav+tcc, tcc, tcn, sal, supervised or random (the untrained encoder, "
          + "0 steps). All train the same encoder on the same frames. Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(names = "--label-fraction", defaultValue = "1.0", paramLabel = "F",
      description = "supervised: fraction of each task's training videos whose labels it trains "
          + "on (default: ${DEFAULT-VALUE}).")
  double labelFraction;

  @Option(names = "--loss", defaultValue = "sdtw+cidm",
      description = "sdtw, idm, sfa, cidm, sdtw+idm, sdtw+sfa or sdtw+cidm (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--cidm-form", defaultValue = "paper", paramLabel = "F",
      description = "paper (Eq. 7 on the p sampled positions) or official (the authors' code: "
          + "frame positions divided by the video length). Default: ${DEFAULT-VALUE}.")
  String cidmForm;

  @Option(names = "--gamma", defaultValue = "0.1", description = "Soft-DTW gamma (default: ${DEFAULT-VALUE}).")
  double gamma;

  @Option(names = "--alpha", defaultValue = "0.5", description = "Regulariser weight (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--sigma", defaultValue = "10", description = "C-IDM window (default: ${DEFAULT-VALUE}).")
  double sigma;

  @Option(names = "--margin", defaultValue = "2", description = "C-IDM margin lambda (default: ${DEFAULT-VALUE}).")
  double margin;

  @Option(names = "--lr", defaultValue = "1e-4", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--weight-decay", defaultValue = "1e-5", description = "Adam weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--frames", defaultValue = "20", description = "Frames per video p (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--context", defaultValue = "2", description = "Context frames k (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--stride", defaultValue = "15", description = "Context stride (default: ${DEFAULT-VALUE}).")
  int stride;

  @Option(names = "--no-augment", description = "No flip, brightness, contrast or crop changes.")
  boolean noAugment;

  @Option(names = "--crop", defaultValue = "0", paramLabel = "F",
      description = "Crop jitter: each video seen through a window of 1 - F to 1 of its side "
          + "(default: ${DEFAULT-VALUE}).")
  double crop;

  @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "N",
      description = "Steps between checkpoints (default: ${DEFAULT-VALUE}; 0: none).")
  int checkpointEvery;

  @Option(names = "--eval-every", defaultValue = "500", paramLabel = "N",
      description = "Steps between validations (default: ${DEFAULT-VALUE}; 0: only at the end).")
  int evalEvery;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Checkpoints, log and loss curve (default: MODELS/.runs/<data>-<backbone>-<loss>-seed<S>).")
  Path runDir;

  @Option(names = "--keep-best", description = "Keep the weights of the validation with the "
      + "best Kendall's tau (model selection on the validation split).")
  boolean keepBest;

  @Option(names = "--max-minutes", defaultValue = "0", paramLabel = "M",
      description = "Stop training after M minutes and finish normally (default: no limit).")
  double maxMinutes;

  @Option(names = "--resume", description = "Continue from the run folder's last checkpoint.")
  boolean resume;

  @Option(names = "--promote", description = "Promote the new model to the store's default.")
  boolean promote;

  @Override
  public Integer call() throws Exception {
    if (frames < 2 || context < 1 || stride < 1 || size < 32 || dim < 1) {
      throw new InvalidInputException("--frames >= 2, --context and --stride >= 1, --size >= 32");
    }
    Method m = Method.parse(method);
    if (!(labelFraction > 0 && labelFraction <= 1)) {
      throw new InvalidInputException("--label-fraction must be in (0, 1], got " + labelFraction);
    }
    if (steps != null && epochs != null) {
      throw new InvalidInputException("give --steps or --epochs, not both");
    }
    ai.djl.Device dev = Encoders.device(device);
    String bb = backbone != null ? backbone : Encoders.defaultBackbone(dev);
    TemporalRegularizer.Form form = TrainingData.cidmForm(cidmForm);
    LavLoss lossSpec = LavLoss.parse(loss, gamma, alpha, sigma, margin, form);
    PrintWriter o = spec.commandLine().getOut();

    TrainingData in = TrainingData.load(Dataset.open(data), task, size);
    int total = !m.trains() ? 0
        : steps != null ? steps : epochs != null ? epochs * in.trainVideos() : 1000;
    if (total < 1 && m.trains()) {
      throw new InvalidInputException("--steps or --epochs must give at least one step");
    }
    PairTrainer.Settings settings = new PairTrainer.Settings(frames, context, stride, lr,
        weightDecay, !noAugment, 32 / 255.0, 0.5, crop);
    Path work = runDir != null ? runDir : out.resolve(".runs").resolve(String.format(
        Locale.ROOT, "%s-%s-%s-seed%d", data.toAbsolutePath().normalize().getFileName(), bb,
        (m == Method.LAV ? loss : m.id()).replace('+', '_'), seed));
    Path initWeights = null;
    String parent = null;
    if (init != null) {
      ModelStore.Version v = ModelStore.resolve(init);
      if (!ModelStore.verify(v).isEmpty()) {
        throw new InvalidInputException("--init " + init + ": " + ModelStore.verify(v));
      }
      initWeights = v.weights();
      parent = v.card().id();
    }
    TrainingRun.Config cfg = new TrainingRun.Config(bb, size, dim, lossSpec, loss + "/" + form,
        settings, total, checkpointEvery, evalEvery, seed, work, initWeights, backboneWeights,
        dev, keepBest, maxMinutes, m, in.phases());
    TrainingRun run = new TrainingRun(cfg, in.tasksFor(m, labelFraction, seed),
        in.validation(context, stride));
    if (!resume && run.hasCheckpoint()) {
      throw new InvalidInputException(work + " holds a checkpoint of an earlier run: add "
          + "--resume to continue it, or give another --run-dir");
    }

    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true); // Ctrl-C: the loop checkpoints, then lets the JVM exit
      try {
        done.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "lav-train-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    TrainingRun.Result r;
    try (ProgressBar pb = BenchCommand.progress("train", total)) {
      r = run.run(resume, stop, new TrainingRun.Listener() {
        @Override
        public void step(int step, double l, double smoothed, double stepsPerSecond) {
          pb.stepTo(step);
          pb.setExtraMessage(String.format(Locale.ROOT, "loss %.3f, %.2f steps/s", smoothed,
              stepsPerSecond));
        }

        @Override
        public void evaluated(int step, Map<String, Double> m) {
          pb.setExtraMessage("validation " + TrainingData.format(m));
        }
      });
    } finally {
      done.countDown();
    }
    if (r.interrupted()) {
      o.printf(Locale.ROOT, "stopped at step %d; checkpoint in %s (continue with --resume)%n",
          r.steps(), work);
      o.flush();
      return 130;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // already shutting down
    }
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("method", m.id());
    if (m.needsLabels()) {
      training.put("label_fraction", labelFraction);
    }
    training.put("loss", loss);
    training.put("cidm_form", form.name().toLowerCase(Locale.ROOT));
    training.put("steps", r.steps());
    training.put("selected_step", r.bestStep());
    training.put("seed", seed);
    training.put("seconds", Math.round(r.seconds() * 10) / 10.0);
    training.put("frames_per_video", frames);
    training.put("gamma", gamma);
    training.put("alpha", alpha);
    training.put("sigma", sigma);
    training.put("margin", margin);
    training.put("lr", lr);
    training.put("weight_decay", weightDecay);
    training.put("augment", !noAugment);
    training.put("final_loss", r.smoothedLoss());
    training.put("skipped_steps", r.skippedSteps());
    training.put("device", dev.toString());
    if (backboneWeights != null) {
      training.put("backbone_weights_sha256", ModelStore.sha256(backboneWeights));
    }
    ModelStore store = ModelStore.open(out);
    ModelCard card = store.add(r.weights(), ModelCard.draft(bb, size, context, stride, dim,
        parent, null, DataFingerprint.of(in.trainEntries(), data), training, r.metrics()),
        Map.of("training.csv", r.log(), "loss.png", r.lossCurve()));
    if (promote) {
      store.promote(card.id(), null);
    }
    o.printf(Locale.ROOT, "model %s added to %s (%d steps, %.1f s)%s%n", card.id(), out,
        r.steps(), r.seconds(), promote ? ", promoted to default" : "");
    if (!r.metrics().isEmpty()) {
      o.println("validation: " + TrainingData.format(r.metrics()));
    }
    o.flush();
    return 0;
  }
}
