package io.lavmonitor.eval;

import io.lavmonitor.align.Dots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;

/**
 * Phase classification with LIBSVM, with sklearn's SVC defaults (which TCC and LAV use): C-SVC,
 * RBF kernel, C = 1, gamma = 1 / (d var(X)) ("scale"), one-vs-one voting.
 *
 * <p>LIBSVM solves the dual on a precomputed kernel matrix (its sparse per-element kernel is the
 * bottleneck otherwise), and prediction evaluates LIBSVM's one-vs-one decision functions with
 * dense, vectorised kernel rows; both are the same arithmetic as LIBSVM's own. A fit uses at most
 * {@code maxFrames} training frames, evenly spaced over the pooled training frames, so that
 * evaluation time stays bounded; 0 uses them all.
 */
public final class PhaseSvm {
  /** The SVM kernel. */
  public enum Kernel {
    RBF, LINEAR;

    public static Kernel parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  static {
    svm.svm_set_print_string_function(s -> { }); // LIBSVM prints its progress otherwise
  }

  private PhaseSvm() {}

  /**
   * Fits on the training videos' frames and returns the accuracy over every frame of the
   * validation videos. A validation phase never seen in training counts as an error.
   */
  public static double accuracy(List<EmbeddedVideo> train, List<EmbeddedVideo> val,
                                Kernel kernel, double c, int maxFrames) {
    List<double[]> xs = new ArrayList<>();
    List<String> ys = new ArrayList<>();
    for (EmbeddedVideo v : train) {
      for (int t = 0; t < v.frames(); t++) {
        xs.add(v.embeddings()[t]);
        ys.add(v.phase(t));
      }
    }
    if (maxFrames > 0 && xs.size() > maxFrames) {
      List<double[]> sx = new ArrayList<>(maxFrames);
      List<String> sy = new ArrayList<>(maxFrames);
      for (int k = 0; k < maxFrames; k++) {
        int i = (int) ((long) k * xs.size() / maxFrames);
        sx.add(xs.get(i));
        sy.add(ys.get(i));
      }
      xs = sx;
      ys = sy;
    }
    List<String> classes = new ArrayList<>(new TreeSet<>(ys));
    double[][] x = xs.toArray(new double[0][]);
    int n = x.length;
    int d = x[0].length;
    double gamma = scaleGamma(x);
    Kernel2 k = new Kernel2(kernel, gamma, x);
    if (classes.size() == 1) {
      return score(val, f -> classes.get(0));
    }
    svm_problem prob = new svm_problem();
    prob.l = n;
    prob.x = gramRows(n);
    prob.y = new double[n];
    double[] row = new double[n];
    for (int i = 0; i < n; i++) {
      k.row(x[i], row);
      svm_node[] nodes = prob.x[i];
      nodes[0].value = i + 1;
      for (int j = 0; j < n; j++) {
        nodes[j + 1].value = row[j];
      }
      prob.y[i] = classes.indexOf(ys.get(i));
    }
    svm_parameter p = new svm_parameter();
    p.svm_type = svm_parameter.C_SVC;
    p.kernel_type = svm_parameter.PRECOMPUTED;
    p.C = c;
    p.cache_size = 100;
    p.eps = 1e-3;
    p.shrinking = 1;
    p.probability = 0;
    p.nr_weight = 0;
    p.weight_label = new int[0];
    p.weight = new double[0];
    svm_model model = svm.svm_train(prob, p);
    Decision decision = new Decision(model, x, k);
    return score(val, f -> classes.get(decision.predict(f)));
  }

  private static double score(List<EmbeddedVideo> val,
                              java.util.function.Function<double[], String> predict) {
    long correct = 0;
    long total = 0;
    for (EmbeddedVideo v : val) {
      for (int t = 0; t < v.frames(); t++) {
        correct += predict.apply(v.embeddings()[t]).equals(v.phase(t)) ? 1 : 0;
        total++;
      }
    }
    return correct / (double) total;
  }

  /** sklearn's gamma = "scale": 1 / (d * variance of all entries). */
  private static double scaleGamma(double[][] x) {
    double sum = 0;
    double sumSq = 0;
    for (double[] r : x) {
      for (double v : r) {
        sum += v;
        sumSq += v * v;
      }
    }
    double count = (double) x.length * x[0].length;
    double var = sumSq / count - (sum / count) * (sum / count);
    return var > 0 ? 1.0 / (x[0].length * var) : 1.0;
  }

  /**
   * Rows of LIBSVM nodes for an n x n precomputed kernel, reused by the next fit on the same
   * thread: a fit's model is used and dropped before that thread fits again, and allocating n^2
   * node objects per fit would dominate the evaluation.
   */
  private static final ThreadLocal<svm_node[][]> GRAM = ThreadLocal.withInitial(() ->
      new svm_node[0][]);

  private static svm_node[][] gramRows(int n) {
    svm_node[][] pool = GRAM.get();
    if (pool.length < n || (n > 0 && pool[0].length < n + 1)) {
      int size = Math.max(n, pool.length);
      pool = new svm_node[size][size + 1];
      for (svm_node[] r : pool) {
        for (int j = 0; j < r.length; j++) {
          r[j] = new svm_node();
          r[j].index = j;
        }
      }
      GRAM.set(pool);
    }
    return java.util.Arrays.copyOf(pool, n);
  }

  /** Kernel rows K(q, x_j) against a fixed set, computed densely. */
  private static final class Kernel2 {
    private final Kernel kernel;
    private final double gamma;
    private final Dots dots;
    private final double[] norms;

    Kernel2(Kernel kernel, double gamma, double[][] x) {
      this.kernel = kernel;
      this.gamma = gamma;
      this.dots = new Dots(x);
      this.norms = new double[x.length];
      for (int j = 0; j < x.length; j++) {
        double s = 0;
        for (double v : x[j]) {
          s += v * v;
        }
        norms[j] = s;
      }
    }

    void row(double[] q, double[] out) {
      dots.against(q, out);
      if (kernel == Kernel.RBF) {
        double qq = 0;
        for (double v : q) {
          qq += v * v;
        }
        for (int j = 0; j < norms.length; j++) {
          out[j] = Math.exp(-gamma * Math.max(0, qq + norms[j] - 2 * out[j]));
        }
      }
    }
  }

  /** LIBSVM's one-vs-one vote, with the kernel row of a query computed densely. */
  private static final class Decision {
    private final svm_model model;
    private final int[] svIndex;
    private final int[] start;
    private final Kernel2 kernel;
    private final double[] row;

    Decision(svm_model model, double[][] x, Kernel2 kernel) {
      this.model = model;
      this.kernel = kernel;
      this.row = new double[x.length];
      svIndex = new int[model.l];
      for (int i = 0; i < model.l; i++) {
        svIndex[i] = (int) model.SV[i][0].value - 1; // precomputed: the training row
      }
      start = new int[model.nr_class];
      for (int i = 1; i < model.nr_class; i++) {
        start[i] = start[i - 1] + model.nSV[i - 1];
      }
    }

    /** Index into the class list of the predicted class. */
    int predict(double[] q) {
      kernel.row(q, row);
      int nc = model.nr_class;
      int[] vote = new int[nc];
      int p = 0;
      for (int i = 0; i < nc; i++) {
        for (int j = i + 1; j < nc; j++) {
          double sum = 0;
          double[] coef1 = model.sv_coef[j - 1];
          double[] coef2 = model.sv_coef[i];
          for (int k = 0; k < model.nSV[i]; k++) {
            sum += coef1[start[i] + k] * row[svIndex[start[i] + k]];
          }
          for (int k = 0; k < model.nSV[j]; k++) {
            sum += coef2[start[j] + k] * row[svIndex[start[j] + k]];
          }
          sum -= model.rho[p++];
          if (sum > 0) {
            vote[i]++;
          } else {
            vote[j]++;
          }
        }
      }
      int best = 0;
      for (int i = 1; i < nc; i++) {
        if (vote[i] > vote[best]) {
          best = i;
        }
      }
      return model.label[best];
    }
  }
}
