package io.lavmonitor.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/** The four measures of the paper's section 4 on frozen embeddings (TCC's protocol). */
public final class Measures {
  private Measures() {}

  /**
   * Phase classification with labels from a fraction of the training videos (the first
   * ceil(fraction n) of a seeded shuffle), scored on every validation frame.
   */
  public static double classification(List<EmbeddedVideo> train, List<EmbeddedVideo> val,
                                      double fraction, PhaseSvm.Kernel kernel, long seed,
                                      int maxFrames) {
    List<EmbeddedVideo> shuffled = new ArrayList<>(train);
    Collections.shuffle(shuffled, new Random(seed));
    int n = Math.max(1, (int) Math.ceil(fraction * train.size() - 1e-9));
    return PhaseSvm.accuracy(shuffled.subList(0, n), val, kernel, 1.0, maxFrames);
  }

  /** Mean accuracy and 95% interval half-width over few-shot episodes. */
  public record FewShot(int shots, double mean, double ci95, int episodes) {}

  /**
   * Accuracy with labels from {@code shots} random training videos, over seeded episodes. The
   * episodes are drawn in order from the seed, then fitted in parallel on all cores.
   */
  public static FewShot fewShot(List<EmbeddedVideo> train, List<EmbeddedVideo> val, int shots,
                                int episodes, PhaseSvm.Kernel kernel, long seed,
                                int maxFrames) {
    Random rnd = new Random(seed * 31 + shots);
    List<List<EmbeddedVideo>> draws = new ArrayList<>();
    for (int e = 0; e < episodes; e++) {
      List<EmbeddedVideo> pick = new ArrayList<>(train);
      Collections.shuffle(pick, rnd);
      draws.add(pick.subList(0, shots));
    }
    double[] acc = java.util.stream.IntStream.range(0, episodes).parallel()
        .mapToDouble(e -> PhaseSvm.accuracy(draws.get(e), val, kernel, 1.0, maxFrames))
        .toArray();
    double mean = 0;
    for (double a : acc) {
      mean += a;
    }
    mean /= episodes;
    double var = 0;
    for (double a : acc) {
      var += (a - mean) * (a - mean);
    }
    double sd = episodes > 1 ? Math.sqrt(var / (episodes - 1)) : 0;
    return new FewShot(shots, mean, 1.96 * sd / Math.sqrt(episodes), episodes);
  }

  /**
   * Phase progression: for each key event c, a linear regression from the embedding to
   * (t - transition_c) / length, fitted on training frames, R^2 on validation frames; the mean
   * over key events. Videos with fewer key events take part in the events they have.
   */
  public static double progression(List<EmbeddedVideo> train, List<EmbeddedVideo> val) {
    int events = 0;
    for (EmbeddedVideo v : train) {
      events = Math.max(events, v.labels().keyEvents().length);
    }
    double sum = 0;
    int counted = 0;
    for (int c = 0; c < events; c++) {
      List<double[]> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      collect(train, c, x, y);
      List<double[]> vx = new ArrayList<>();
      List<Double> vy = new ArrayList<>();
      collect(val, c, vx, vy);
      if (x.size() <= x.get(0).length + 1 || vx.isEmpty()) {
        continue;
      }
      double[] beta = fit(x, y);
      double mean = vy.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double ssRes = 0;
      double ssTot = 0;
      for (int i = 0; i < vx.size(); i++) {
        double pred = beta[0];
        double[] row = vx.get(i);
        for (int k = 0; k < row.length; k++) {
          pred += beta[k + 1] * row[k];
        }
        ssRes += (vy.get(i) - pred) * (vy.get(i) - pred);
        ssTot += (vy.get(i) - mean) * (vy.get(i) - mean);
      }
      if (ssTot > 0) {
        sum += 1 - ssRes / ssTot;
        counted++;
      }
    }
    return counted == 0 ? Double.NaN : sum / counted;
  }

  private static void collect(List<EmbeddedVideo> videos, int c, List<double[]> x,
                              List<Double> y) {
    for (EmbeddedVideo v : videos) {
      int[] ke = v.labels().keyEvents();
      if (ke.length <= c) {
        continue;
      }
      for (int t = 0; t < v.frames(); t++) {
        x.add(v.embeddings()[t]);
        y.add((t - ke[c]) / (double) v.frames());
      }
    }
  }

  /** Ordinary least squares with intercept (Commons Math); a tiny ridge if X is singular. */
  private static double[] fit(List<double[]> x, List<Double> y) {
    double[] ys = y.stream().mapToDouble(Double::doubleValue).toArray();
    double[][] xs = x.toArray(new double[0][]);
    try {
      OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
      ols.newSampleData(ys, xs);
      return ols.estimateRegressionParameters();
    } catch (SingularMatrixException e) {
      return Ridge.fit(xs, ys, 1e-6);
    }
  }

  /**
   * Kendall's tau of nearest-neighbour alignment as TCC's evaluation computes it: for every
   * ordered pair of validation videos, every stride-th frame of the first is matched to its
   * nearest among every stride-th frame of the second; tau between the two index sequences, NaNs
   * dropped, averaged. Needs no labels.
   */
  public static double kendallsTau(List<EmbeddedVideo> val, int stride) {
    return kendallsTau(val, stride, true);
  }

  /**
   * Kendall's tau; {@code strideCandidates} false searches every frame of the second video
   * (release 0.1's measure), true only every stride-th one (TCC's).
   */
  public static double kendallsTau(List<EmbeddedVideo> val, int stride,
                                   boolean strideCandidates) {
    KendallsCorrelation kendall = new KendallsCorrelation();
    double sum = 0;
    int pairs = 0;
    for (EmbeddedVideo j : val) {
      double[][] candidates = strideCandidates ? every(j.embeddings(), stride) : j.embeddings();
      Neighbours nn = new Neighbours(candidates);
      for (EmbeddedVideo i : val) {
        if (i == j) {
          continue;
        }
        int m = (i.frames() + stride - 1) / stride;
        double[] idx = new double[m];
        double[] match = new double[m];
        for (int k = 0; k < m; k++) {
          idx[k] = k;
          match[k] = nn.nearest(i.embeddings()[k * stride]);
        }
        double tau = m < 2 ? Double.NaN : kendall.correlation(idx, match);
        if (!Double.isNaN(tau)) {
          sum += tau;
          pairs++;
        }
      }
    }
    return pairs == 0 ? Double.NaN : sum / pairs;
  }

  private static double[][] every(double[][] rows, int stride) {
    double[][] out = new double[(rows.length + stride - 1) / stride][];
    for (int k = 0; k < out.length; k++) {
      out[k] = rows[k * stride];
    }
    return out;
  }

  /**
   * AP@K (paper section 5.4): each validation video in turn is the query and all other
   * validation videos the support set; a frame scores the fraction of its K nearest support
   * frames with its phase. Averaged over frames, then over videos. {@code withinVideo} searches
   * the query's own video instead (the authors' code), leaving the frame itself out.
   */
  public static double apAtK(List<EmbeddedVideo> val, int k, boolean withinVideo) {
    return apAtK(val, new int[] {k}, withinVideo)[0];
  }

  /** AP@K for several K at once, from one search for the largest K. */
  public static double[] apAtK(List<EmbeddedVideo> val, int[] ks, boolean withinVideo) {
    int kMax = java.util.Arrays.stream(ks).max().orElseThrow();
    List<double[]> rows = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    int[] start = new int[val.size() + 1];
    for (int v = 0; v < val.size(); v++) {
      start[v] = rows.size();
      EmbeddedVideo video = val.get(v);
      for (int t = 0; t < video.frames(); t++) {
        rows.add(video.embeddings()[t]);
        phases.add(video.phase(t));
      }
    }
    start[val.size()] = rows.size();
    Neighbours all = withinVideo ? null : new Neighbours(rows.toArray(new double[0][]));
    double[] total = new double[ks.length];
    for (int v = 0; v < val.size(); v++) {
      EmbeddedVideo video = val.get(v);
      Neighbours nn = withinVideo ? new Neighbours(video.embeddings()) : all;
      double[] videoScore = new double[ks.length];
      for (int t = 0; t < video.frames(); t++) {
        int[] hits = withinVideo ? nn.nearest(video.embeddings()[t], kMax, t, t + 1)
            : nn.nearest(video.embeddings()[t], kMax, start[v], start[v + 1]);
        int same = 0;
        int rank = 0;
        for (int q = 0; q < ks.length; q++) {
          while (rank < ks[q]) {
            int h = hits[rank++];
            if (h >= 0) {
              String phase = withinVideo ? video.phase(h) : phases.get(h);
              same += phase.equals(video.phase(t)) ? 1 : 0;
            }
          }
          videoScore[q] += same / (double) ks[q];
        }
      }
      for (int q = 0; q < ks.length; q++) {
        total[q] += videoScore[q] / video.frames();
      }
    }
    for (int q = 0; q < ks.length; q++) {
      total[q] /= val.size();
    }
    return total;
  }
}
