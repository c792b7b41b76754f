package io.lavmonitor.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.eval.Evaluation;
import io.lavmonitor.train.Method;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an experiment's folder, {@code OUT/<experiment>/<date>/}: {@code results.md} (the
 * tables, best in bold and second underlined), {@code results.json} (tables, every run's
 * measures, settings, seeds, versions, hardware) and the figures.
 */
final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  static Path write(Experiment.Options o, Experiment.Plan plan, List<String> datasets,
                    List<RunExecutor.Result> results, double minutes, boolean interrupted,
                    Map<String, Object> env) {
    Path folder = o.out().resolve(o.kind().id).resolve(Experiment.today());
    List<ResultTable> tables = switch (o.kind()) {
      case ABLATION -> List.of(ablation(datasets, results));
      case COMPARE -> List.of(classification(datasets, results), progression(datasets, results),
          retrieval(datasets, results));
      case FEW_SHOT -> List.of(fewShot(datasets, results));
    };
    try {
      Files.createDirectories(folder);
      List<String> figures = new ArrayList<>();
      for (RunExecutor.Result r : results) { // Fig. 4: S-DTW alone and S-DTW + C-IDM
        boolean first = r.spec().dataset().equals(datasets.get(0))
            && r.spec().seed() == o.seeds().get(0) && r.spec().method() == Method.LAV;
        if (first && ("sdtw".equals(r.spec().loss()) || "sdtw+cidm".equals(r.spec().loss()))) {
          String png = "distance-matrix-" + r.spec().loss().replace('+', '_') + ".png";
          if (Experiment.distanceFigure(r, RunSpec.lossName(r.spec().loss()),
              folder.resolve(png))) {
            figures.add(png);
          }
        }
      }
      figures.sort(null); // S-DTW alone before S-DTW + C-IDM
      if (o.kind() != Experiment.Kind.ABLATION) {
        for (String ds : datasets) {
          String png = "few-shot-" + ds + ".png";
          ExperimentPlots.fewShot(ds, Evaluation.SHOTS, fewShotMeans(ds, results),
              folder.resolve(png));
          figures.add(png);
        }
      }
      Files.writeString(folder.resolve("results.md"), markdown(o, plan, datasets, results,
          tables, figures, env, minutes, interrupted));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("experiment", o.kind().id);
      json.put("command", o.command());
      json.put("datasets", o.datasets().stream().map(Path::toString).toList());
      json.put("seeds", o.seeds());
      json.put("steps_per_run", plan.steps());
      json.put("plan", plan.how());
      json.put("settings", settings(o.settings()));
      json.put("environment", env);
      json.put("minutes", minutes);
      json.put("complete", !interrupted);
      Map<String, Object> tj = new LinkedHashMap<>();
      tables.forEach(t -> tj.put(t.title(), t.json()));
      json.put("tables", tj);
      json.put("runs", results.stream().map(RunExecutor.Result::toJson).toList());
      JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("results.json").toFile(),
          json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folder + ": " + e.getMessage(), e);
    }
    return folder;
  }

  private static Map<String, Object> settings(ExperimentSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backbone", s.backbone());
    m.put("input_size", s.size());
    m.put("embedding_size", s.dim());
    m.put("frames_per_video", s.spec().framesPerVideo());
    m.put("context_frames", s.context());
    m.put("context_stride", s.stride());
    m.put("lr", s.spec().lr());
    m.put("weight_decay", s.spec().weightDecay());
    m.put("crop", s.spec().crop());
    m.put("cidm_form", s.form().name().toLowerCase(Locale.ROOT));
    m.put("few_shot_episodes", s.episodes());
    return m;
  }

  private static String markdown(Experiment.Options o, Experiment.Plan plan,
                                 List<String> datasets, List<RunExecutor.Result> results,
                                 List<ResultTable> tables, List<String> figures,
                                 Map<String, Object> env, double minutes, boolean interrupted) {
    StringBuilder sb = new StringBuilder("# Experiment: ").append(o.kind().id).append("\n\n");
    sb.append("Command:\n\n```\n").append(o.command()).append("\n```\n\n");
    if (interrupted) {
      sb.append("**Incomplete**: the experiment was stopped; rerun the command to finish it.\n\n");
    }
    sb.append(String.format(Locale.ROOT, "Datasets %s; seeds %s; %d training steps per run "
        + "(%s); %d runs; %.1f minutes for this invocation.%n%n", String.join(", ", datasets),
        o.seeds(), plan.steps(), plan.how().containsKey("budget_minutes")
            ? "from a budget of " + plan.how().get("budget_minutes") + " minutes"
            : "given", results.size(), minutes));
    sb.append("Cells are mean ± sample standard deviation over the seeds. In each column the best mean is "
        + "**bold** and the second <u>underlined</u>; reference rows are not ranked.\n\n");
    tables.forEach(t -> sb.append(t.markdown()).append('\n'));
    for (String f : figures) {
      sb.append("![").append(f).append("](").append(f).append(")\n\n");
    }
    sb.append("Settings: `").append(settings(o.settings())).append("`\n\n");
    sb.append("Environment: `").append(env).append("`\n");
    return sb.toString();
  }

  private static final String[] FRACTIONS = {"0.1", "0.5", "1.0"};

  /** Table 1: every loss and combination. */
  static ResultTable ablation(List<String> datasets, List<RunExecutor.Result> results) {
    ResultTable t = new ResultTable("Table 1: loss ablation");
    List<ResultTable.Column> cols = new ArrayList<>();
    for (String ds : datasets) {
      cols.add(new ResultTable.Column(ds, "cls@1.0", "classification"));
      cols.add(new ResultTable.Column(ds, "progression", "progression"));
      cols.add(new ResultTable.Column(ds, "kendall_tau", "Kendall's tau"));
      cols.add(new ResultTable.Column(ds, "mean_distance", "mean distance", false));
    }
    cols.forEach(t::column);
    for (String loss : Experiment.LOSSES) { // rows in the paper's order
      for (RunExecutor.Result r : results) {
        if (loss.equals(r.spec().loss())) {
          addAll(t, cols, r, RunSpec.lossName(loss));
        }
      }
    }
    return t;
  }

  /** Table 2: classification at label fractions; supervised trained with the same fraction. */
  static ResultTable classification(List<String> datasets, List<RunExecutor.Result> results) {
    ResultTable t = new ResultTable("Table 2: phase classification by label fraction");
    for (String ds : datasets) {
      for (String f : FRACTIONS) {
        t.column(new ResultTable.Column(ds, "cls@" + f, f + " labels"));
      }
    }
    for (RunExecutor.Result r : compared(results)) {
      for (String ds : datasets) {
        for (String f : FRACTIONS) {
          boolean sup = r.spec().method() == Method.SUPERVISED;
          if (r.spec().dataset().equals(ds) && (!sup
              || Double.toString(r.spec().labelFraction()).equals(f))) {
            t.add(r.spec().row(), new ResultTable.Column(ds, "cls@" + f, f + " labels"),
                r.measures().get("cls@" + f));
          }
        }
      }
    }
    t.reference("Supervised");
    return t;
  }

  /** Table 3: progression and Kendall's tau. */
  static ResultTable progression(List<String> datasets, List<RunExecutor.Result> results) {
    ResultTable t = new ResultTable("Table 3: phase progression and Kendall's tau");
    List<ResultTable.Column> cols = new ArrayList<>();
    for (String ds : datasets) {
      cols.add(new ResultTable.Column(ds, "progression", "progression"));
      cols.add(new ResultTable.Column(ds, "kendall_tau", "Kendall's tau"));
    }
    cols.forEach(t::column);
    fullLabels(compared(results)).forEach(r -> addAll(t, cols, r, r.spec().row()));
    t.reference("Supervised");
    return t;
  }

  /** Table 4: AP@K. */
  static ResultTable retrieval(List<String> datasets, List<RunExecutor.Result> results) {
    ResultTable t = new ResultTable("Table 4: fine-grained frame retrieval, AP@K");
    List<ResultTable.Column> cols = new ArrayList<>();
    for (String ds : datasets) {
      for (int k : Evaluation.KS) {
        cols.add(new ResultTable.Column(ds, "ap@" + k, "AP@" + k));
      }
    }
    cols.forEach(t::column);
    fullLabels(compared(results)).forEach(r -> addAll(t, cols, r, r.spec().row()));
    t.reference("Supervised");
    return t;
  }

  /** Fig. 5 as a table: accuracy by number of labelled videos. */
  static ResultTable fewShot(List<String> datasets, List<RunExecutor.Result> results) {
    ResultTable t = new ResultTable("Few-shot phase classification by labelled videos (Fig. 5)");
    List<ResultTable.Column> cols = new ArrayList<>();
    for (String ds : datasets) {
      for (int s : Evaluation.SHOTS) {
        cols.add(fewShotColumn(ds, s));
      }
    }
    cols.forEach(t::column);
    compared(results).stream().filter(r -> r.spec().method() != Method.SUPERVISED)
        .forEach(r -> addAll(t, cols, r, r.spec().row()));
    return t;
  }

  private static ResultTable.Column fewShotColumn(String ds, int shots) {
    return new ResultTable.Column(ds, "few@" + shots, shots + (shots == 1 ? " video" : " videos"));
  }

  /** Mean few-shot accuracy per method over seeds, for the figure. */
  static Map<String, double[]> fewShotMeans(String ds, List<RunExecutor.Result> results) {
    ResultTable t = fewShot(List.of(ds), results);
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String row : t.rows()) {
      double[] y = new double[Evaluation.SHOTS.length];
      for (int i = 0; i < y.length; i++) {
        int s = Evaluation.SHOTS[i];
        y[i] = t.mean(row, fewShotColumn(ds, s));
      }
      out.put(row, y);
    }
    return out;
  }

  /** The compared methods' runs (not the S-DTW run kept for the figure). */
  private static List<RunExecutor.Result> compared(List<RunExecutor.Result> results) {
    return results.stream().filter(r -> r.spec().method() != Method.LAV
        || "sdtw+cidm".equals(r.spec().loss())).toList();
  }

  /** Supervised only with all labels; other methods as they are. */
  private static List<RunExecutor.Result> fullLabels(List<RunExecutor.Result> results) {
    return results.stream().filter(r -> r.spec().method() != Method.SUPERVISED
        || r.spec().labelFraction() == 1.0).toList();
  }

  private static void addAll(ResultTable t, List<ResultTable.Column> cols, RunExecutor.Result r,
                             String row) {
    for (ResultTable.Column c : cols) {
      Double v = r.measures().get(c.measure());
      if (c.dataset().equals(r.spec().dataset()) && v != null && !v.isNaN()) {
        t.add(row, c, v);
      }
    }
  }
}
