package io.lavmonitor.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.loss.LavLoss;
import io.lavmonitor.plot.TrainingPlot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A training run of {@link PairTrainer} steps with what a long run needs: a CSV log, a loss-curve
 * PNG, validation every N steps, checkpoints every N steps (weights, optimiser moments and random
 * state, written to a new folder and then named as the latest), resume from the latest checkpoint,
 * and a clean stop that checkpoints first (Ctrl-C).
 *
 * <p>Each step reseeds libtorch from (seed, step), so dropout draws depend on the step only, and
 * a resumed run continues exactly as the uninterrupted run would have on the CPU.
 */
public final class TrainingRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What to train: a {@link TrainingSpec}, resolved for one dataset and device.
   *
   * @param backbone the backbone (the spec's, or the device's default)
   * @param stride the context stride (the spec's, or derived from the data)
   * @param steps training steps
   * @param workDir where checkpoints, the log and the loss curve go
   * @param initWeights whole-encoder weights to start from (warm start), or null
   * @param backboneWeights backbone weights to start from, or null
   * @param phases phase classes for the supervised method (0 otherwise)
   */
  public record Config(TrainingSpec spec, String backbone, int stride, int steps, Path workDir,
                       Path initWeights, Path backboneWeights, Device device, int phases) {
    public int size() {
      return spec.size();
    }

    public int dim() {
      return spec.dim();
    }

    public LavLoss loss() {
      return spec.lavLoss();
    }

    public String lossName() {
      return spec.lossName();
    }

    public PairTrainer.Settings settings() {
      return spec.pairSettings(stride);
    }

    public int checkpointEvery() {
      return spec.checkpointEvery();
    }

    public int evalEvery() {
      return spec.evalEvery();
    }

    public long seed() {
      return spec.seed();
    }

    public boolean keepBest() {
      return spec.keepBest();
    }

    public double maxMinutes() {
      return spec.maxMinutes();
    }

    public Method method() {
      return spec.method();
    }

    /** What must match for a checkpoint to be resumed by this configuration. */
    String fingerprint() {
      String f = String.join("|", backbone, Integer.toString(size()), Integer.toString(dim()),
          lossName(), settings().toString(), Long.toString(seed()))
          // The C-IDM window: runs before it came from the data had 10, and resume as before.
          + (spec.sigma() == 10 ? "" : "|sigma=" + spec.sigma());
      // LAV keeps the fingerprint it had before methods existed, so old checkpoints resume.
      return method() == Method.LAV ? f : f + "|" + method().id() + "|" + phases;
    }
  }

  /** Told about progress. */
  public interface Listener {
    void step(int step, double loss, double smoothed, double stepsPerSecond);

    default void evaluated(int step, Map<String, Double> metrics) {}
  }

  /**
   * The outcome.
   *
   * @param weights the final weights (in the work folder)
   * @param interrupted true when a stop request ended the run early (a checkpoint was saved)
   */
  public record Result(Path weights, int steps, double seconds, double smoothedLoss,
                       Map<String, Double> metrics, int skippedSteps, boolean interrupted,
                       Path log, Path lossCurve, int bestStep) {}

  private final Config config;
  private final List<List<PairTrainer.Frames>> tasks;
  private final Validation validation;

  /**
   * @param tasks training videos grouped by task; pairs are drawn within a task
   * @param validation measured every {@code evalEvery} steps and at the end; may be null
   */
  public TrainingRun(Config config, List<List<PairTrainer.Frames>> tasks, Validation validation) {
    this.config = config;
    // A supervised run may have one labelled video: its pairs are two samples of it.
    int least = config.method().needsLabels() ? 1 : 2;
    this.tasks = tasks.stream().filter(t -> t.size() >= least).toList();
    if (this.tasks.isEmpty()) {
      throw new InvalidInputException(least == 1 ? "supervised training needs a labelled video"
          : "training needs two training videos of one task");
    }
    this.validation = validation;
  }

  public Path logFile() {
    return config.workDir().resolve("training.csv");
  }

  public Path lossCurve() {
    return config.workDir().resolve("loss.png");
  }

  /** Whether the work folder holds a checkpoint to resume. */
  public boolean hasCheckpoint() {
    return Files.exists(config.workDir().resolve("latest"));
  }

  /** Runs to the configured number of steps, or until {@code stop} is set. */
  public Result run(boolean resume, AtomicBoolean stop, Listener listener) {
    Config c = config;
    try {
      Files.createDirectories(c.workDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + c.workDir(), e);
    }
    long t0 = System.nanoTime();
    try (NDManager manager = Encoders.engine().newBaseManager(c.device())) {
      Checkpoint from = resume ? readLatest() : null;
      if (resume && from == null) {
        throw new InvalidInputException(c.workDir() + ": no checkpoint to resume");
      }
      if (from != null && !from.fingerprint.equals(c.fingerprint())) {
        throw new InvalidInputException(c.workDir() + ": the checkpoint was made with other "
            + "settings (" + from.fingerprint + "); resume with the same ones or start afresh");
      }
      Path weights = from != null ? from.dir.resolve("encoder.params") : c.initWeights();
      LavEncoder enc = Encoders.create(c.backbone(), c.dim(), c.size(),
          c.settings().context(), manager, weights, weights == null ? c.backboneWeights() : null,
          c.seed());
      PairTrainer trainer = new PairTrainer(enc, manager, c.size(),
          c.method().objective(c.loss(), c.dim(), c.phases(), manager, c.seed()), c.settings(),
          c.seed());
      SavedRandom pairs = new SavedRandom(c.seed() ^ 0x5DEECE66DL);
      int start = 0;
      double smoothed = Double.NaN;
      double secondsBefore = 0;
      History history = new History();
      if (from != null) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(
            from.dir.resolve("adam.bin")))) {
          trainer.optimizer().load(in);
        }
        Path heads = from.dir.resolve("heads.bin");
        if (Files.exists(heads)) {
          try (DataInputStream in = new DataInputStream(Files.newInputStream(heads))) {
            Heads.load(trainer.objective().heads(), in);
          }
        }
        trainer.restoreRandom(from.sampler);
        pairs = from.pairs;
        start = from.step;
        smoothed = from.smoothed;
        secondsBefore = from.seconds;
        history = History.read(logFile(), start);
      }
      history.writeAll(logFile());
      Map<String, Double> metrics = new LinkedHashMap<>();
      int step = start;
      boolean interrupted = false;
      double bestTau = Double.NEGATIVE_INFINITY;
      int bestStep = -1;
      Map<String, Double> bestMetrics = null;
      Path best = c.workDir().resolve("best.params");
      while (step < c.steps()) {
        if (stop.get()) {
          interrupted = true;
          break;
        }
        if (c.maxMinutes() > 0 && (System.nanoTime() - t0) / 6e10 > c.maxMinutes()) {
          break; // the time budget is spent: finish as if the steps were done
        }
        step++;
        Encoders.engine().setRandomSeed((int) (c.seed() * 1_000_003L + step));
        List<PairTrainer.Frames> task = tasks.get(pairs.nextInt(tasks.size()));
        int i = pairs.nextInt(task.size());
        int j = task.size() == 1 ? 0 : pairs.nextInt(task.size() - 1);
        double l = trainer.step(task.get(i), task.get(task.size() == 1 || j < i ? j : j + 1));
        if (Double.isFinite(l)) { // a skipped step does not poison the running mean
          smoothed = Double.isNaN(smoothed) ? l : 0.95 * smoothed + 0.05 * l;
        }
        double secs = secondsBefore + (System.nanoTime() - t0) / 1e9;
        history.add(step, l, secs, logFile());
        listener.step(step, l, smoothed, (step - start) / ((System.nanoTime() - t0) / 1e9));
        if (validation != null && c.evalEvery() > 0 && step % c.evalEvery() == 0
            && step < c.steps()) {
          metrics = validation.measure(enc, manager, c.size());
          history.eval(step, metrics, c.workDir());
          listener.evaluated(step, metrics);
          if (c.keepBest() && metrics.getOrDefault("kendall_tau", Double.NaN) > bestTau) {
            bestTau = metrics.get("kendall_tau");
            bestStep = step;
            bestMetrics = metrics;
            Encoders.save(enc, best);
          }
        }
        if (c.checkpointEvery() > 0 && step % c.checkpointEvery() == 0 && step < c.steps()) {
          writeCheckpoint(enc, trainer, pairs, step, smoothed, secs);
          TrainingPlot.write(history.steps, history.losses, history.evals, lossCurve());
        }
      }
      double secs = secondsBefore + (System.nanoTime() - t0) / 1e9;
      if (interrupted) {
        writeCheckpoint(enc, trainer, pairs, step, smoothed, secs);
      } else if (validation != null) {
        metrics = validation.measure(enc, manager, c.size());
        history.eval(step, metrics, c.workDir());
        listener.evaluated(step, metrics);
      }
      Path out = c.workDir().resolve("encoder.params");
      Encoders.save(enc, out);
      if (!interrupted && bestStep > 0 && !(metrics.getOrDefault("kendall_tau", Double.NaN)
          >= bestTau)) {
        Files.copy(best, out, StandardCopyOption.REPLACE_EXISTING); // an earlier step was better
        metrics = bestMetrics;
      } else {
        bestStep = step;
      }
      if (!interrupted) {
        deleteCheckpoints(null); // finished: the next run in this folder starts afresh
      }
      TrainingPlot.write(history.steps, history.losses, history.evals, lossCurve());
      return new Result(out, step, secs, smoothed, metrics, trainer.skippedSteps(), interrupted,
          logFile(), lossCurve(), bestStep);
    } catch (IOException e) {
      throw new UncheckedIOException("training in " + c.workDir() + ": " + e.getMessage(), e);
    }
  }

  private record Checkpoint(Path dir, int step, double smoothed, double seconds,
                            SavedRandom sampler, SavedRandom pairs, String fingerprint) {}

  /** Writes checkpoint-STEP/, then points {@code latest} at it, then drops older ones. */
  private void writeCheckpoint(LavEncoder enc, PairTrainer trainer, SavedRandom pairs, int step,
                               double smoothed, double seconds) throws IOException {
    Path dir = config.workDir().resolve(String.format(Locale.ROOT, "checkpoint-%07d", step));
    Files.createDirectories(dir);
    Encoders.save(enc, dir.resolve("encoder.params"));
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(
        dir.resolve("adam.bin")))) {
      trainer.optimizer().save(out);
    }
    if (!trainer.objective().heads().isEmpty()) {
      try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(
          dir.resolve("heads.bin")))) {
        Heads.save(trainer.objective().heads(), out);
      }
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("step", step);
    state.put("smoothed_loss", Double.isNaN(smoothed) ? null : smoothed);
    state.put("seconds", seconds);
    state.put("sampler_random", trainer.random().toMap());
    state.put("pair_random", pairs.toMap());
    state.put("settings", config.fingerprint());
    JSON.writeValue(dir.resolve("state.json").toFile(), state);
    Path tmp = config.workDir().resolve("latest.tmp");
    Files.writeString(tmp, dir.getFileName().toString());
    Files.move(tmp, config.workDir().resolve("latest"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    deleteCheckpoints(dir);
  }

  /** Deletes every checkpoint but {@code keep} (all of them, and the pointer, when null). */
  private void deleteCheckpoints(Path keep) throws IOException {
    if (keep == null) {
      Files.deleteIfExists(config.workDir().resolve("latest"));
    }
    try (Stream<Path> s = Files.list(config.workDir())) {
      for (Path old : s.filter(p -> p.getFileName().toString().startsWith("checkpoint-")
          && !p.equals(keep)).toList()) {
        try (Stream<Path> w = Files.walk(old)) {
          for (Path q : w.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(q);
          }
        }
      }
    }
  }

  private Checkpoint readLatest() {
    Path latest = config.workDir().resolve("latest");
    if (!Files.exists(latest)) {
      return null;
    }
    try {
      Path dir = config.workDir().resolve(Files.readString(latest).trim());
      @SuppressWarnings("unchecked")
      Map<String, Object> s = JSON.readValue(dir.resolve("state.json").toFile(), Map.class);
      Object sm = s.get("smoothed_loss");
      return new Checkpoint(dir, ((Number) s.get("step")).intValue(),
          sm == null ? Double.NaN : ((Number) sm).doubleValue(),
          ((Number) s.get("seconds")).doubleValue(),
          random(s.get("sampler_random")), random(s.get("pair_random")),
          (String) s.get("settings"));
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(latest + ": unreadable checkpoint (" + e.getMessage()
          + "); delete " + config.workDir() + " to start afresh");
    }
  }

  /** A random state of a checkpoint: plain numbers, or the base64 of release 0.1. */
  private static SavedRandom random(Object saved) {
    if (saved instanceof Map<?, ?> m) {
      return SavedRandom.fromMap(m);
    }
    if (saved instanceof String legacy) {
      return SavedRandom.fromLegacy(legacy);
    }
    throw new IllegalArgumentException("no random state");
  }

  /** The loss per step and the evaluations, mirrored in the CSV log. */
  private static final class History {
    final List<Integer> steps = new ArrayList<>();
    final List<Double> losses = new ArrayList<>();
    final List<double[]> seconds = new ArrayList<>();
    final Map<Integer, Map<String, Double>> evals = new LinkedHashMap<>();

    void add(int step, double loss, double secs, Path log) throws IOException {
      steps.add(step);
      losses.add(loss);
      seconds.add(new double[] {secs});
      // Appended and flushed each step, so a long run can be followed and survives a crash.
      Files.writeString(log, row(steps.size() - 1), java.nio.file.StandardOpenOption.APPEND);
    }

    void eval(int step, Map<String, Double> m, Path dir) throws IOException {
      evals.put(step, m);
      Path f = dir.resolve("validation.csv");
      if (!Files.exists(f)) {
        Files.writeString(f, "step," + String.join(",", m.keySet()) + "\n");
      }
      StringBuilder sb = new StringBuilder(Integer.toString(step));
      m.values().forEach(v -> sb.append(String.format(Locale.ROOT, ",%.4f", v)));
      Files.writeString(f, sb.append('\n'), java.nio.file.StandardOpenOption.APPEND);
    }

    String row(int i) {
      return String.format(Locale.ROOT, "%d,%.6f,%.2f%n", steps.get(i), losses.get(i),
          seconds.get(i)[0]);
    }

    void writeAll(Path log) throws IOException {
      StringBuilder sb = new StringBuilder("step,loss,seconds\n");
      for (int i = 0; i < steps.size(); i++) {
        sb.append(row(i));
      }
      Files.writeString(log, sb);
    }

    /** The rows of an earlier log up to the checkpoint's step (later ones are redone). */
    static History read(Path log, int upTo) throws IOException {
      History h = new History();
      if (!Files.exists(log)) {
        return h;
      }
      for (String line : Files.readAllLines(log)) {
        String[] f = line.split(",");
        if (f.length == 3 && !f[0].equals("step")) {
          int step = Integer.parseInt(f[0]);
          if (step <= upTo) {
            h.steps.add(step);
            h.losses.add(Double.parseDouble(f[1]));
            h.seconds.add(new double[] {Double.parseDouble(f[2])});
          }
        }
      }
      return h;
    }
  }
}
