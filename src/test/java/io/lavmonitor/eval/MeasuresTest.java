package io.lavmonitor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.data.VideoLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each measure on constructed embeddings whose answer is known. */
class MeasuresTest {
  static final List<String> PHASES = List.of("a", "b", "c");

  /** A video of n frames in three phases split at n/3 and 2n/3, with the given embeddings. */
  static EmbeddedVideo video(String name, double[][] emb) {
    int n = emb.length;
    int[] labels = new int[n];
    for (int t = 0; t < n; t++) {
      labels[t] = Math.min(2, 3 * t / n);
    }
    return new EmbeddedVideo(name, emb, VideoLabels.fromFrameLabels(name, 15, labels, PHASES));
  }

  /** One-hot of the phase, plus noise far smaller than the gap between phases. */
  static EmbeddedVideo separable(String name, int n, Random rnd) {
    double[][] emb = new double[n][3];
    for (int t = 0; t < n; t++) {
      emb[t][Math.min(2, 3 * t / n)] = 1;
      for (int k = 0; k < 3; k++) {
        emb[t][k] += 0.05 * rnd.nextGaussian();
      }
    }
    return video(name, emb);
  }

  static EmbeddedVideo random(String name, int n, int d, Random rnd) {
    double[][] emb = new double[n][d];
    for (double[] row : emb) {
      for (int k = 0; k < d; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    return video(name, emb);
  }

  static EmbeddedVideo index(String name, int n, boolean reversed) {
    double[][] emb = new double[n][1];
    for (int t = 0; t < n; t++) {
      emb[t][0] = reversed ? n - 1 - t : t;
    }
    return video(name, emb);
  }

  @Test
  void separablePhasesClassifyPerfectlyAndRetrievePerfectly() {
    Random rnd = new Random(1);
    List<EmbeddedVideo> train = new ArrayList<>();
    List<EmbeddedVideo> val = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      train.add(separable("t" + i, 40 + 5 * i, rnd));
    }
    for (int i = 0; i < 3; i++) {
      val.add(separable("v" + i, 60 + 7 * i, rnd)); // phase runs longer than K + 1
    }
    for (double f : Evaluation.FRACTIONS) {
      assertEquals(1.0, Measures.classification(train, val, f, PhaseSvm.Kernel.RBF, 0, 0), 1e-12);
    }
    assertEquals(1.0, Measures.classification(train, val, 1.0, PhaseSvm.Kernel.LINEAR, 0, 0), 1e-12);
    Measures.FewShot one = Measures.fewShot(train, val, 1, 10, PhaseSvm.Kernel.RBF, 0, 0);
    assertEquals(1.0, one.mean(), 1e-12);
    assertEquals(0.0, one.ci95(), 1e-12);
    for (int k : Evaluation.KS) {
      assertEquals(1.0, Measures.apAtK(val, k, false), 1e-12);
      assertEquals(1.0, Measures.apAtK(val, k, true), 1e-12);
    }
  }

  @Test
  void embeddingsEqualToTheFrameIndexGiveTauOneAndReversedGivesMinusOne() {
    List<EmbeddedVideo> forward = List.of(index("a", 50, false), index("b", 50, false),
        index("c", 50, false));
    assertEquals(1.0, Measures.kendallsTau(forward, 1), 1e-12);
    assertEquals(1.0, Measures.kendallsTau(forward, 5), 1e-12);
    List<EmbeddedVideo> opposed = List.of(index("a", 50, false), index("b", 50, true));
    assertEquals(-1.0, Measures.kendallsTau(opposed, 2), 1e-12);
  }

  @Test
  void tauStridesBothVideosAsTccDoesAndTheFullSearchIsAnOption() {
    // b's odd frame 5 looks like frame 40. TCC's search (strided candidates) never sees it; the
    // full search matches a's frame 40 to it.
    EmbeddedVideo a = index("a", 50, false);
    double[][] e = index("b", 50, false).embeddings();
    e[5][0] = 40;
    EmbeddedVideo b = video("b", e);
    assertEquals(1.0, Measures.kendallsTau(List.of(a, b), 2), 1e-12);
    // a -> b: 25 strided frames, 300 pairs; the pairs of frame 40 with frames 6..38 (17 of
    // them) are discordant: tau = (300 - 2 * 17) / 300. b -> a is exact: tau 1.
    assertEquals((266.0 / 300 + 1) / 2, Measures.kendallsTau(List.of(a, b), 2, false), 1e-12);
  }

  @Test
  void randomEmbeddingsGiveTauNearZeroAndChanceLevelRetrieval() {
    Random rnd = new Random(2);
    List<EmbeddedVideo> val = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      val.add(random("r" + i, 90, 16, rnd));
    }
    assertEquals(0.0, Measures.kendallsTau(val, 1), 0.05);
    // Three equal phases: a random neighbour shares the phase with probability 1/3.
    for (int k : Evaluation.KS) {
      assertEquals(1.0 / 3, Measures.apAtK(val, k, false), 0.05, "AP@" + k);
    }
    List<EmbeddedVideo> train = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      train.add(random("t" + i, 90, 16, rnd));
    }
    assertEquals(1.0 / 3, Measures.classification(train, val, 1.0, PhaseSvm.Kernel.RBF, 0, 0),
        0.08);
  }

  @Test
  void progressionLinearInTheEmbeddingHasRSquaredOne() {
    // Embedding: [t/len, transition_1/len, transition_2/len, noise]: the target
    // (t - transition_c)/len is linear in it for both key events.
    Random rnd = new Random(3);
    List<EmbeddedVideo> train = new ArrayList<>();
    List<EmbeddedVideo> val = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int n = 30 + 4 * i;
      EmbeddedVideo shape = index("x", n, false);
      int[] ke = shape.labels().keyEvents();
      double[][] emb = new double[n][4];
      for (int t = 0; t < n; t++) {
        emb[t] = new double[] {t / (double) n, ke[0] / (double) n, ke[1] / (double) n,
            rnd.nextGaussian()};
      }
      (i < 7 ? train : val).add(video("p" + i, emb));
    }
    assertEquals(2, train.get(0).labels().keyEvents().length);
    assertEquals(1.0, Measures.progression(train, val), 1e-9);
    // Pure noise predicts nothing: R^2 at or below zero on validation videos.
    List<EmbeddedVideo> noisyTrain = new ArrayList<>();
    List<EmbeddedVideo> noisyVal = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      (i < 7 ? noisyTrain : noisyVal).add(random("n" + i, 40, 3, rnd));
    }
    assertTrue(Measures.progression(noisyTrain, noisyVal) < 0.05);
  }

  @Test
  void trainingVideosNeverLeakIntoScoring() {
    // Validation videos reuse the training embeddings with every phase relabelled, so a model
    // scored on its own training frames would reach 1.0; scored on validation labels it is 0.
    Random rnd = new Random(4);
    List<EmbeddedVideo> train = new ArrayList<>();
    List<EmbeddedVideo> val = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      EmbeddedVideo t = separable("t" + i, 60, rnd);
      train.add(t);
      int[] shifted = t.labels().frameLabels().clone();
      for (int k = 0; k < shifted.length; k++) {
        shifted[k] = (shifted[k] + 1) % 3;
      }
      val.add(new EmbeddedVideo("v" + i, t.embeddings(),
          VideoLabels.fromFrameLabels("v" + i, 15, shifted, PHASES)));
    }
    assertEquals(0.0, Measures.classification(train, val, 1.0, PhaseSvm.Kernel.RBF, 0, 0), 1e-12);
    assertEquals(1.0, Measures.classification(train, train, 1.0, PhaseSvm.Kernel.RBF, 0, 0), 1e-12);
  }

  /** The precomputed-kernel fit and dense prediction agree with LIBSVM's own RBF pipeline. */
  @Test
  void svmAgreesWithLibsvmsOwnRbfClassifier() {
    Random rnd = new Random(5);
    List<EmbeddedVideo> train = new ArrayList<>();
    List<EmbeddedVideo> val = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      train.add(noisyPhases("t" + i, 50, rnd));
      val.add(noisyPhases("v" + i, 50, rnd));
    }
    double ours = PhaseSvm.accuracy(train, val, PhaseSvm.Kernel.RBF, 1.0, 0);
    // LIBSVM used the plain way: sparse nodes, its RBF kernel, svm_predict.
    int n = 200;
    int d = 6;
    libsvm.svm_problem prob = new libsvm.svm_problem();
    prob.l = n;
    prob.x = new libsvm.svm_node[n][];
    prob.y = new double[n];
    double sum = 0;
    double sumSq = 0;
    int i = 0;
    for (EmbeddedVideo v : train) {
      for (int t = 0; t < v.frames(); t++, i++) {
        prob.x[i] = nodes(v.embeddings()[t]);
        prob.y[i] = v.labels().frameLabels()[t];
        for (double x : v.embeddings()[t]) {
          sum += x;
          sumSq += x * x;
        }
      }
    }
    libsvm.svm_parameter p = new libsvm.svm_parameter();
    p.svm_type = libsvm.svm_parameter.C_SVC;
    p.kernel_type = libsvm.svm_parameter.RBF;
    p.gamma = 1.0 / (d * (sumSq / (n * d) - Math.pow(sum / (n * d), 2)));
    p.C = 1;
    p.cache_size = 100;
    p.eps = 1e-3;
    p.shrinking = 1;
    p.weight_label = new int[0];
    p.weight = new double[0];
    libsvm.svm_model model = libsvm.svm.svm_train(prob, p);
    int correct = 0;
    int total = 0;
    for (EmbeddedVideo v : val) {
      for (int t = 0; t < v.frames(); t++, total++) {
        correct += (int) libsvm.svm.svm_predict(model, nodes(v.embeddings()[t]))
            == v.labels().frameLabels()[t] ? 1 : 0;
      }
    }
    assertEquals(correct / (double) total, ours, 1e-12);
    assertTrue(ours > 0.5 && ours < 1.0, "a non-trivial problem: " + ours);
  }

  /** Phases that overlap: one-hot plus strong noise in 6 dimensions. */
  static EmbeddedVideo noisyPhases(String name, int n, Random rnd) {
    double[][] emb = new double[n][6];
    for (int t = 0; t < n; t++) {
      emb[t][Math.min(2, 3 * t / n)] = 1;
      for (int k = 0; k < 6; k++) {
        emb[t][k] += 0.6 * rnd.nextGaussian();
      }
    }
    return video(name, emb);
  }

  static libsvm.svm_node[] nodes(double[] x) {
    libsvm.svm_node[] out = new libsvm.svm_node[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = new libsvm.svm_node();
      out[k].index = k + 1;
      out[k].value = x[k];
    }
    return out;
  }
}
