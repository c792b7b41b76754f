package io.lavmonitor.eval;

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
 * RBF kernel, C = 1, gamma = 1 / (d var(X)) ("scale"), one-vs-one.
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
   * Fits on every frame of the training videos and returns the accuracy over every frame of the
   * validation videos. A validation phase never seen in training counts as an error.
   */
  public static double accuracy(List<EmbeddedVideo> train, List<EmbeddedVideo> val,
                                Kernel kernel, double c) {
    List<String> classes = new ArrayList<>(new TreeSet<>(phases(train)));
    int n = train.stream().mapToInt(EmbeddedVideo::frames).sum();
    int d = train.get(0).embeddings()[0].length;
    svm_problem prob = new svm_problem();
    prob.l = n;
    prob.x = new svm_node[n][];
    prob.y = new double[n];
    double sum = 0;
    double sumSq = 0;
    int i = 0;
    for (EmbeddedVideo v : train) {
      for (int t = 0; t < v.frames(); t++) {
        prob.x[i] = nodes(v.embeddings()[t]);
        prob.y[i] = classes.indexOf(v.phase(t));
        for (double x : v.embeddings()[t]) {
          sum += x;
          sumSq += x * x;
        }
        i++;
      }
    }
    double count = (double) n * d;
    double var = sumSq / count - (sum / count) * (sum / count);
    svm_parameter p = new svm_parameter();
    p.svm_type = svm_parameter.C_SVC;
    p.kernel_type = kernel == Kernel.RBF ? svm_parameter.RBF : svm_parameter.LINEAR;
    p.gamma = var > 0 ? 1.0 / (d * var) : 1.0;
    p.C = c;
    p.cache_size = 200;
    p.eps = 1e-3;
    p.shrinking = 1;
    p.probability = 0;
    p.nr_weight = 0;
    p.weight_label = new int[0];
    p.weight = new double[0];
    if (classes.size() == 1) {
      return constantAccuracy(classes.get(0), val);
    }
    svm_model model = svm.svm_train(prob, p);
    long correct = 0;
    long total = 0;
    for (EmbeddedVideo v : val) {
      for (int t = 0; t < v.frames(); t++) {
        int predicted = (int) svm.svm_predict(model, nodes(v.embeddings()[t]));
        correct += classes.get(predicted).equals(v.phase(t)) ? 1 : 0;
        total++;
      }
    }
    return correct / (double) total;
  }

  private static double constantAccuracy(String only, List<EmbeddedVideo> val) {
    long correct = 0;
    long total = 0;
    for (EmbeddedVideo v : val) {
      for (int t = 0; t < v.frames(); t++) {
        correct += only.equals(v.phase(t)) ? 1 : 0;
        total++;
      }
    }
    return correct / (double) total;
  }

  private static List<String> phases(List<EmbeddedVideo> videos) {
    List<String> out = new ArrayList<>();
    for (EmbeddedVideo v : videos) {
      for (int t = 0; t < v.frames(); t++) {
        out.add(v.phase(t));
      }
    }
    return out;
  }

  private static svm_node[] nodes(double[] x) {
    svm_node[] out = new svm_node[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = new svm_node();
      out[k].index = k + 1;
      out[k].value = x[k];
    }
    return out;
  }
}
