package io.lavmonitor.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs every measure on one split and keeps the results. */
public final class Evaluation {
  /** Label fractions for classification, as in the paper's Table 2. */
  public static final double[] FRACTIONS = {0.1, 0.5, 1.0};
  /** Labelled videos for few-shot classification, as in the paper's Fig. 5. */
  public static final int[] SHOTS = {1, 2, 3, 5, 10};
  /** Neighbours for AP@K, as in the paper's Table 4. */
  public static final int[] KS = {5, 10, 15}; // ascending

  /**
   * Evaluation settings.
   *
   * @param stride Kendall's tau takes every stride-th frame
   * @param tauFullSearch Kendall's tau searches every frame of the other video (release 0.1)
   *     instead of every stride-th one (TCC's evaluation, the default)
   * @param episodes few-shot episodes per number of shots
   * @param apWithinVideo search neighbours in the query's own video (the authors' code)
   * @param svmMaxFrames training frames per SVM fit at most, evenly spaced; 0 for all
   */
  public record Settings(PhaseSvm.Kernel kernel, int stride, int episodes, long seed,
                         boolean apWithinVideo, int svmMaxFrames, boolean tauFullSearch) {
    public Settings(PhaseSvm.Kernel kernel, int stride, int episodes, long seed,
                    boolean apWithinVideo, int svmMaxFrames) {
      this(kernel, stride, episodes, seed, apWithinVideo, svmMaxFrames, false);
    }

    public static Settings defaults() {
      return new Settings(PhaseSvm.Kernel.RBF, 2, 50, 0, false, 2000);
    }
  }

  /** All measures of one evaluation. */
  public record Report(Map<String, Double> classification, List<Measures.FewShot> fewShot,
                       double progression, double kendallsTau, Map<String, Double> ap,
                       int trainVideos, int valVideos, double seconds) {

    /** The JSON layout of {@code lav evaluate --json}. */
    public Map<String, Object> toJson() {
      Map<String, Object> fs = new LinkedHashMap<>();
      for (Measures.FewShot f : fewShot) {
        fs.put(Integer.toString(f.shots()), Map.of("mean", f.mean(), "ci95", f.ci95()));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("classification", classification);
      out.put("few_shot", fs);
      out.put("progression", progression);
      out.put("kendall_tau", kendallsTau);
      out.put("ap", ap);
      out.put("videos", Map.of("train", trainVideos, "val", valVideos));
      return out;
    }

    public String toMarkdown(String title) {
      StringBuilder sb = new StringBuilder("# " + title + "\n\n");
      sb.append(String.format(Locale.ROOT, "%d training and %d validation videos.%n%n",
          trainVideos, valVideos));
      sb.append("| measure | value |\n|---|---|\n");
      classification.forEach((k, v) -> sb.append(String.format(Locale.ROOT,
          "| classification, %s of training labels | %.4f |%n", k, v)));
      for (Measures.FewShot f : fewShot) {
        sb.append(String.format(Locale.ROOT,
            "| few-shot, %d labelled video%s | %.4f +- %.4f |%n", f.shots(),
            f.shots() == 1 ? "" : "s", f.mean(), f.ci95()));
      }
      sb.append(String.format(Locale.ROOT, "| phase progression (R^2) | %.4f |%n", progression));
      sb.append(String.format(Locale.ROOT, "| Kendall's tau | %.4f |%n", kendallsTau));
      ap.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "| AP@%s | %.4f |%n", k, v)));
      return sb.toString();
    }
  }

  private Evaluation() {}

  /** Runs everything; {@code step} is told each time one measure finishes. */
  public static Report run(EvalData d, Settings s, Runnable step) {
    long t0 = System.nanoTime();
    Map<String, Double> cls = new LinkedHashMap<>();
    for (double f : FRACTIONS) {
      cls.put(Double.toString(f), Measures.classification(d.train(), d.val(), f, s.kernel(),
          s.seed(), s.svmMaxFrames()));
      step.run();
    }
    List<Measures.FewShot> few = new ArrayList<>();
    for (int shots : SHOTS) {
      if (shots <= d.train().size()) {
        few.add(Measures.fewShot(d.train(), d.val(), shots, s.episodes(), s.kernel(), s.seed(),
            s.svmMaxFrames()));
      }
      step.run();
    }
    double prog = Measures.progression(d.train(), d.val());
    step.run();
    double tau = Measures.kendallsTau(d.val(), s.stride(), !s.tauFullSearch());
    step.run();
    Map<String, Double> ap = new LinkedHashMap<>();
    int[] ks = java.util.Arrays.stream(KS).sorted().toArray();
    double[] aps = Measures.apAtK(d.val(), ks, s.apWithinVideo());
    for (int q = 0; q < ks.length; q++) {
      ap.put(Integer.toString(ks[q]), aps[q]);
    }
    step.run();
    return new Report(cls, few, prog, tau, ap, d.train().size(), d.val().size(),
        (System.nanoTime() - t0) / 1e9);
  }

  /** Number of {@code step} calls {@link #run} makes. */
  public static int steps() {
    return FRACTIONS.length + SHOTS.length + 3;
  }
}
