package io.lavmonitor.cli;

import ai.djl.ndarray.NDManager;
import io.lavmonitor.data.Dataset;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.model.DataFingerprint;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.train.Floors;
import io.lavmonitor.train.Method;
import io.lavmonitor.train.TrainingData;
import io.lavmonitor.train.TrainingRun;
import io.lavmonitor.train.TrainingSpec;
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
import picocli.CommandLine.Mixin;
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

  @Option(names = "--backbone-weights", paramLabel = "FILE",
      description = "Backbone weights to start from: torchvision's ImageNet ResNet-50 state "
          + "dict as torch.save wrote it (resnet50-*.pth, .pt) for the resnet50 backbones, or a "
          + "DJL .params file of the backbone block. Default: random initialisation.")
  Path backboneWeights;

  @Option(names = "--init", paramLabel = "MODEL",
      description = "Warm start from a model (version folder or store).")
  Path init;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Mixin
  TrainingOptions training = new TrainingOptions();

  @Mixin
  TrainingRunOptions run = new TrainingRunOptions();

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Checkpoints, log and loss curve (default: MODELS/.runs/<data>-<backbone>-<loss>-seed<S>).")
  Path runDir;

  @Option(names = "--resume", description = "Continue from the run folder's last checkpoint.")
  boolean resume;

  @Option(names = "--promote", description = "Promote the new model to the store's default.")
  boolean promote;

  @Override
  public Integer call() throws Exception {
    TrainingSpec ts = run.apply(training.apply(TrainingSpec.defaults().toBuilder())).build();
    Method m = ts.method();
    ai.djl.Device dev = Encoders.device(device);
    String bb = ts.backboneFor(dev);
    PrintWriter o = spec.commandLine().getOut();

    TrainingData in = TrainingData.load(Dataset.open(data), task, ts.size());
    int total = ts.stepsFor(in.trainVideos());
    if (total < 1 && m.trains()) {
      throw new InvalidInputException("--steps or --epochs must give at least one step");
    }
    int median = in.medianTrainFrames();
    String strideReason = ts.strideReason(median);
    String sigmaReason = ts.sigmaReason(median);
    ts = ts.forData(median); // the stride and the C-IDM window, from the data when not given
    int stride = ts.stride();
    Path work = runDir != null ? runDir : out.resolve(".runs").resolve(String.format(
        Locale.ROOT, "%s-%s-%s-seed%d", data.toAbsolutePath().normalize().getFileName(), bb,
        (m == Method.LAV ? ts.loss() : m.id()).replace('+', '_'), ts.seed()));
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
    TrainingRun.Config cfg = new TrainingRun.Config(ts, bb, stride, total, work, initWeights,
        backboneWeights, dev, in.phases());
    Validation validation = in.validation(ts.context(), stride);
    TrainingRun job = new TrainingRun(cfg, in.tasksFor(m, ts.labelFraction(), ts.seed()),
        validation);
    if (!resume && job.hasCheckpoint()) {
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
      r = job.run(resume, stop, new TrainingRun.Listener() {
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
      training.put("label_fraction", ts.labelFraction());
    }
    training.put("loss", ts.loss());
    training.put("cidm_form", ts.cidmForm().name().toLowerCase(Locale.ROOT));
    training.put("steps", r.steps());
    training.put("selected_step", r.bestStep());
    training.put("seed", ts.seed());
    training.put("seconds", Math.round(r.seconds() * 10) / 10.0);
    training.put("frames_per_video", ts.framesPerVideo());
    training.put("context_stride", stride);
    training.put("context_stride_reason", strideReason);
    training.put("gamma", ts.gamma());
    training.put("alpha", ts.alpha());
    training.put("sigma", ts.sigma());
    training.put("sigma_reason", sigmaReason);
    training.put("margin", ts.margin());
    training.put("lr", ts.lr());
    training.put("weight_decay", ts.weightDecay());
    training.put("augment", ts.augment());
    training.put("crop", ts.crop());
    training.put("final_loss", r.smoothedLoss());
    training.put("skipped_steps", r.skippedSteps());
    training.put("device", dev.toString());
    if (backboneWeights != null) {
      training.put("backbone_weights_sha256", ModelStore.sha256(backboneWeights));
    }
    Floors floors = null;
    if (validation != null && !r.metrics().isEmpty()) {
      o.println("measuring the floors (raw pixels, the untrained network) on the validation "
          + "split ...");
      o.flush();
      try (NDManager nm = Encoders.engine().newBaseManager(dev)) {
        LavEncoder untrained = Encoders.create(bb, ts.dim(), ts.size(), ts.context(), nm,
            initWeights, initWeights == null ? backboneWeights : null, ts.seed());
        floors = Floors.check(r.metrics(), validation.measurePixels(ts.size()),
            validation.measure(untrained, nm, ts.size()));
      }
      training.put("floors", floors.toJson());
    }
    ModelStore store = ModelStore.open(out);
    ModelCard card = store.add(r.weights(), ModelCard.draft(bb, ts.size(), ts.context(), stride,
        ts.dim(),
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
    if (floors != null) {
      o.println("raw pixels: " + TrainingData.format(floors.pixels()));
      o.println("untrained:  " + TrainingData.format(floors.untrained()));
      for (String w : floors.warnings()) {
        o.println("WARNING: this model is " + w + ". Raw frames would serve better there: "
            + "check it on your footage before deploying it (lav bench footage --model); train "
            + "longer, on more recordings, or with other settings (README, \"Real footage\").");
      }
    }
    o.flush();
    return 0;
  }
}
