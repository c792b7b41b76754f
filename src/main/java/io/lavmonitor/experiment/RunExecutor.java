package io.lavmonitor.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.embed.VideoEmbedder;
import io.lavmonitor.eval.EmbeddedVideo;
import io.lavmonitor.eval.EvalData;
import io.lavmonitor.eval.Evaluation;
import io.lavmonitor.eval.Measures;
import io.lavmonitor.io.ArrayFiles;
import io.lavmonitor.train.TrainingData;
import io.lavmonitor.train.TrainingRun;
import io.lavmonitor.train.TrainingSpec;
import io.lavmonitor.train.Validation;
import io.lavmonitor.video.Preprocessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains and evaluates one {@link RunSpec}, or reads its result when an earlier invocation
 * finished it: a run's folder holds {@code result.json} once it is done, and a checkpoint while
 * it is under way, so an interrupted experiment continues where it stopped.
 */
final class RunExecutor {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A finished run: flat measures (cls@0.1, progression, kendall_tau, ap@5, few@1, ...). */
  record Result(RunSpec spec, int steps, double trainSeconds, Map<String, Double> measures,
                Path dir, int skippedSteps) {

    /** The layout of a run's {@code result.json} and of the runs in {@code results.json}. */
    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", spec.dataset());
      m.put("method", spec.method().id());
      m.put("loss", spec.loss());
      m.put("label_fraction", spec.labelFraction());
      m.put("seed", spec.seed());
      m.put("steps", steps);
      m.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
      m.put("skipped_steps", skippedSteps); // non-finite loss or gradient: not applied
      m.put("measures", measures);
      return m;
    }
  }

  private final ExperimentSettings s;

  RunExecutor(ExperimentSettings s) {
    this.s = s;
  }

  Path dir(RunSpec spec, int steps) {
    return s.work().resolve(spec.key(steps, s.tag()));
  }

  /** The stored result, or null when the run has not finished. */
  Result stored(RunSpec spec, int steps) {
    Path f = dir(spec, steps).resolve("result.json");
    if (!Files.exists(f)) {
      return null;
    }
    try {
      Map<?, ?> m = JSON.readValue(f.toFile(), Map.class);
      Map<String, Double> measures = new LinkedHashMap<>();
      // JSON has no NaN: Jackson writes it (a diverged run's measures) as the string "NaN".
      ((Map<?, ?>) m.get("measures")).forEach((k, v) -> measures.put((String) k,
          v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString())));
      return new Result(spec, ((Number) m.get("steps")).intValue(),
          ((Number) m.get("train_seconds")).doubleValue(), measures, f.getParent(),
          m.get("skipped_steps") instanceof Number k ? k.intValue() : 0);
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(new IOException(f + ": unreadable result (" + e.getMessage()
          + "); delete that run's folder to redo it", e));
    }
  }

  /** Trains (when the method trains) and evaluates; stores and returns the result. */
  Result execute(RunSpec spec, int steps, TrainingData data, AtomicBoolean stop) {
    Path dir = dir(spec, steps);
    long t0 = System.nanoTime();
    Path weights = null;
    int done = 0;
    int skipped = 0;
    if (spec.method().trains()) {
      TrainingSpec ts = s.spec().toBuilder().method(spec.method())
          .loss(spec.loss() == null ? "sdtw+cidm" : spec.loss()).seed(spec.seed())
          .labelFraction(spec.labelFraction()).steps(steps)
          .checkpointEvery(Math.max(25, steps / 4)).evalEvery(0).keepBest(false)
          .maxMinutes(0).build();
      TrainingRun.Config cfg = new TrainingRun.Config(ts, s.backbone(), s.stride(), steps,
          dir.resolve("train"), null, null, Device.cpu(), data.phases());
      TrainingRun run = new TrainingRun(cfg, data.tasksFor(spec.method(), spec.labelFraction(),
          spec.seed()), null);
      TrainingRun.Result r = run.run(run.hasCheckpoint(), stop, (step, l, sm, sps) -> { });
      if (r.interrupted()) {
        return null;
      }
      weights = r.weights();
      done = r.steps();
      skipped = r.skippedSteps();
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> measures = spec.method().encodes()
        ? evaluate(weights, spec.seed(), data, dir) : evaluatePixels(spec.seed(), data, dir);
    Result res = new Result(spec, done, trainSeconds, measures, dir, skipped);
    write(res, dir);
    return res;
  }

  /** Embeds every training and validation video with the weights and runs every measure. */
  Map<String, Double> evaluate(Path weights, long seed, TrainingData data, Path dir) {
    try (NDManager m = Encoders.engine().newBaseManager(Device.cpu())) {
      LavEncoder enc = Encoders.create(s.backbone(), s.dim(), s.size(), s.context(), m, weights,
          seed);
      VideoEmbedder e = new VideoEmbedder(enc, new Preprocessor(s.size(), true), s.context(),
          s.stride(), 16);
      return measure(embed(e, m, data.labelledTrain()), embed(e, m, data.labelledVal()), seed,
          dir);
    }
  }

  /** The floor: every measure on the raw frames, downscaled, with no encoder. */
  Map<String, Double> evaluatePixels(long seed, TrainingData data, Path dir) {
    return measure(Validation.pixels(data.labelledTrain(), s.size()),
        Validation.pixels(data.labelledVal(), s.size()), seed, dir);
  }

  private Map<String, Double> measure(List<EmbeddedVideo> train, List<EmbeddedVideo> val,
                                      long seed, Path dir) {
    for (int i = 0; i < Math.min(2, val.size()); i++) { // for the distance-matrix figures
      ArrayFiles.write(dir.resolve("val-embeddings").resolve(val.get(i).name() + ".npy"),
          val.get(i).embeddings());
    }
    Evaluation.Report r = Evaluation.run(new EvalData(train, val),
        new Evaluation.Settings(io.lavmonitor.eval.PhaseSvm.Kernel.RBF, 2, s.episodes(), seed,
            false, 2000), () -> { });
    Map<String, Double> out = new LinkedHashMap<>();
    r.classification().forEach((f, v) -> out.put("cls@" + f, v));
    out.put("progression", r.progression());
    out.put("kendall_tau", r.kendallsTau());
    // Release 0.1's tau (full search of the other video), which the published tables used.
    out.put("kendall_tau_full_search", Measures.kendallsTau(val, 2, false));
    r.ap().forEach((k, v) -> out.put("ap@" + k, v));
    for (Measures.FewShot f : r.fewShot()) {
      out.put("few@" + f.shots(), f.mean());
    }
    out.put("mean_distance", Validation.meanDistance(val));
    return out;
  }

  private static List<EmbeddedVideo> embed(VideoEmbedder e, NDManager m,
                                           List<Validation.Video> videos) {
    List<EmbeddedVideo> out = new ArrayList<>();
    for (Validation.Video v : videos) {
      out.add(new EmbeddedVideo(v.frames().name(), e.embed(m, v.frames().chw()), v.labels()));
    }
    return out;
  }

  private static void write(Result r, Path dir) {
    Map<String, Object> m = r.toJson();
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("result.json.tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), m);
      Files.move(tmp, dir.resolve("result.json"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the result in " + dir, e);
    }
  }
}
