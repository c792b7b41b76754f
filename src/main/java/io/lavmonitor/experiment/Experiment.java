package io.lavmonitor.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.data.Dataset;
import io.lavmonitor.eval.Evaluation;
import io.lavmonitor.io.ArrayFiles;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.plot.EvaluationPlots;
import io.lavmonitor.train.Method;
import io.lavmonitor.train.TrainingData;
import io.lavmonitor.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The paper's experiments on our data: the loss ablation (Table 1), the comparison with the
 * baselines (Tables 2-4) and few-shot classification (Fig. 5). Every run is a {@link RunSpec};
 * all runs of an experiment train for the same number of steps, chosen from a time budget when
 * none is given. Finished runs are kept in the work folder and never repeated.
 */
public final class Experiment {
  /** Which experiment. */
  public enum Kind {
    ABLATION("ablation"), COMPARE("compare"), FEW_SHOT("few-shot");

    final String id;

    Kind(String id) {
      this.id = id;
    }
  }

  /** The losses of the paper's Table 1, in its order. */
  public static final List<String> LOSSES = List.of("sdtw", "idm", "sfa", "cidm", "sdtw+idm",
      "sdtw+sfa", "sdtw+cidm");
  static final List<Method> COMPARED = List.of(Method.LAV, Method.LAV_TCC, Method.TCC,
      Method.TCN, Method.SAL, Method.SUPERVISED, Method.RANDOM, Method.PIXELS);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * An experiment request.
   *
   * @param steps training steps per run; null to derive them from {@code budgetMinutes}
   * @param command the command line, recorded with the results
   * @param methods only the runs of these methods; empty for all
   */
  public record Options(Kind kind, List<Path> datasets, List<Long> seeds, double budgetMinutes,
                        Integer steps, ExperimentSettings settings, Path out, String command,
                        List<Method> methods) {}

  /** Told what happens. */
  public interface Listener {
    void planned(int steps, int runs, int finished);

    void started(RunSpec spec, int index);

    void finished(RunSpec spec, boolean reused);
  }

  /** What an experiment produced. */
  public record Outcome(Path folder, int steps, int runs, int reused, boolean interrupted) {}

  private Experiment() {}

  /** The runs of an experiment, seed by seed so that a cut-short experiment stays balanced. */
  static List<RunSpec> runs(Kind kind, List<String> datasets, List<Long> seeds) {
    List<RunSpec> out = new ArrayList<>();
    for (long seed : seeds) {
      for (String ds : datasets) {
        if (kind == Kind.ABLATION) {
          LOSSES.forEach(l -> out.add(new RunSpec(ds, Method.LAV, l, 1.0, seed)));
          continue;
        }
        for (Method m : COMPARED) {
          if (m == Method.SUPERVISED && kind == Kind.COMPARE) {
            for (double f : Evaluation.FRACTIONS) {
              out.add(new RunSpec(ds, m, null, f, seed));
            }
          } else if (m != Method.SUPERVISED) {
            out.add(RunSpec.of(ds, m, seed));
          }
        }
      }
    }
    if (kind != Kind.ABLATION) { // S-DTW alone, for the distance-matrix figure only
      out.add(new RunSpec(datasets.get(0), Method.LAV, "sdtw", 1.0, seeds.get(0)));
    }
    return out;
  }

  public static Outcome run(Options o, AtomicBoolean stop, Listener listener) {
    long t0 = System.nanoTime();
    Map<String, Object> env = Environment.describe(); // the code that runs, not a later checkout
    if (o.datasets().isEmpty() || o.seeds().isEmpty()) {
      throw new InvalidInputException("an experiment needs at least one --data and one seed");
    }
    Map<String, TrainingData> data = new LinkedHashMap<>();
    for (Path p : o.datasets()) {
      String name = p.toAbsolutePath().normalize().getFileName().toString();
      if (data.containsKey(name)) {
        throw new InvalidInputException("two datasets named " + name + ": rename a folder");
      }
      TrainingData d = TrainingData.load(Dataset.open(p), null, o.settings().size());
      if (d.labelledVal().size() < 2) {
        throw new InvalidInputException(p + ": the experiments need at least 2 validation "
            + "videos (Kendall's tau compares them), found " + d.labelledVal().size());
      }
      data.put(name, d);
    }
    List<String> names = new ArrayList<>(data.keySet());
    List<RunSpec> specs = runs(o.kind(), names, o.seeds()).stream()
        .filter(r -> o.methods().isEmpty() || o.methods().contains(r.method())).toList();
    if (specs.isEmpty()) {
      throw new InvalidInputException("--methods " + o.methods() + ": none of them is in this "
          + "experiment");
    }
    RunExecutor exec = new RunExecutor(o.settings());
    Plan plan = o.steps() != null ? new Plan(o.steps(), Map.of("steps", "given"))
        : Plan.forBudget(o, specs, data, exec, t0);
    // Each run's result file is read once, here.
    List<RunExecutor.Result> earlier = specs.stream().map(s -> exec.stored(s, plan.steps()))
        .toList();
    int finished = (int) earlier.stream().filter(java.util.Objects::nonNull).count();
    listener.planned(plan.steps(), specs.size(), finished);
    List<RunExecutor.Result> results = new ArrayList<>();
    boolean interrupted = false;
    int reused = 0;
    for (int i = 0; i < specs.size(); i++) {
      RunSpec s = specs.get(i);
      RunExecutor.Result r = earlier.get(i);
      if (r != null) {
        reused++;
        results.add(r);
        listener.finished(s, true);
        continue;
      }
      if (stop.get()) {
        interrupted = true;
        break;
      }
      listener.started(s, i);
      r = exec.execute(s, plan.steps(), data.get(s.dataset()), stop);
      if (r == null) {
        interrupted = true;
        break;
      }
      results.add(r);
      listener.finished(s, false);
    }
    Path folder = Report.write(o, plan, names, results, (System.nanoTime() - t0) / 6e10,
        interrupted, env);
    return new Outcome(folder, plan.steps(), specs.size(), reused, interrupted);
  }

  /** The steps per run, and how they were chosen. */
  record Plan(int steps, Map<String, Object> how) {

    /**
     * Times a few LAV steps and one evaluation, then gives every training run the same number of
     * steps so that all runs fit the budget. The plan is saved, so a resumed experiment keeps
     * the step count (and so its finished runs).
     */
    static Plan forBudget(Options o, List<RunSpec> specs, Map<String, TrainingData> data,
                          RunExecutor exec, long t0) {
      if (!(o.budgetMinutes() > 0)) {
        throw new InvalidInputException("give --budget-minutes or --steps");
      }
      Path file = o.settings().work().resolve("plans").resolve(String.format(Locale.ROOT,
          "%s-%08x.json", o.kind().id, (o.datasets().toString() + o.seeds() + o.budgetMinutes()
              + o.settings().tag()).hashCode()));
      try {
        if (Files.exists(file)) {
          Map<?, ?> m = JSON.readValue(file.toFile(), Map.class);
          @SuppressWarnings("unchecked")
          Map<String, Object> how = (Map<String, Object>) m;
          return new Plan(((Number) m.get("steps")).intValue(), how);
        }
        String first = data.keySet().iterator().next();
        TrainingData d = data.get(first);
        Path tmp = o.settings().work().resolve("calibration");
        double perStep = secondsPerStep(o.settings(), d, tmp);
        long e0 = System.nanoTime();
        exec.evaluate(null, 0, d, tmp);
        double evalFirst = (System.nanoTime() - e0) / 1e9;
        int framesFirst = frames(d);
        double evalAll = 0;
        int training = 0;
        for (RunSpec s : specs) {
          evalAll += evalFirst * frames(data.get(s.dataset())) / framesFirst;
          training += s.method().trains() ? 1 : 0;
        }
        double spent = (System.nanoTime() - t0) / 1e9;
        double left = o.budgetMinutes() * 60 - spent - evalAll;
        int steps = (int) Math.floor(left / Math.max(1, training) / perStep);
        if (steps < 10) {
          double need = (spent + evalAll + 10.0 * training * perStep) / 60;
          throw new InvalidInputException(String.format(Locale.ROOT, "a budget of %.1f minutes "
              + "leaves fewer than 10 steps per run for %d training runs (%.2f s a step, %.0f s "
              + "of evaluation); give at least %.0f minutes, fewer seeds or datasets, or "
              + "--steps", o.budgetMinutes(), training, perStep, evalAll, Math.ceil(need)));
        }
        Map<String, Object> how = new LinkedHashMap<>();
        how.put("steps", steps);
        how.put("budget_minutes", o.budgetMinutes());
        how.put("seconds_per_step", perStep);
        how.put("evaluation_seconds_estimate", evalAll);
        how.put("training_runs", training);
        how.put("runs", specs.size());
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), how);
        return new Plan(steps, how);
      } catch (IOException e) {
        throw new UncheckedIOException("planning in " + o.settings().work() + ": "
            + e.getMessage(), e);
      }
    }

    private static int frames(TrainingData d) {
      return Stream.concat(d.labelledTrain().stream(), d.labelledVal().stream())
          .mapToInt(v -> v.frames().chw().size()).sum();
    }

    /** Seconds per LAV step, from steps 3-6 of a throwaway run (the first ones warm up). */
    private static double secondsPerStep(ExperimentSettings s, TrainingData d, Path dir)
        throws IOException {
      long[] at = new long[7];
      TrainingRun.Config cfg = new TrainingRun.Config(s.spec().toBuilder().steps(6)
          .checkpointEvery(0).evalEvery(0).seed(0).build(), s.backbone(), s.stride(), 6, dir,
          null, null, ai.djl.Device.cpu(), 0);
      new TrainingRun(cfg, d.tasksFor(Method.LAV, 1, 0), null).run(false, new AtomicBoolean(),
          (step, l, sm, sps) -> at[step] = System.nanoTime());
      return (at[6] - at[2]) / 4e9;
    }
  }

  /** The distance-matrix figure of a run: two validation videos' embeddings. */
  static boolean distanceFigure(RunExecutor.Result r, String title, Path png) {
    Path dir = r.dir().resolve("val-embeddings");
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(p -> p.toString().endsWith(".npy")).sorted().toList();
      if (files.size() < 2) {
        return false;
      }
      // One colour scale for every figure, 0..4 (unit embeddings), so collapse shows as dark.
      EvaluationPlots.distanceMatrix(ArrayFiles.read(files.get(0)), ArrayFiles.read(files.get(1)),
          title + ": " + name(files.get(0)) + " (rows) vs " + name(files.get(1)), png, 4.0);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Path p) {
    String f = p.getFileName().toString();
    return f.substring(0, f.length() - 4);
  }

  /** Today's date in UTC, the results folder's name. */
  static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }
}
