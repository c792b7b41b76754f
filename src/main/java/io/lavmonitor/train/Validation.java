package io.lavmonitor.train;

import ai.djl.ndarray.NDManager;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.embed.VideoEmbedder;
import io.lavmonitor.eval.EmbeddedVideo;
import io.lavmonitor.eval.Measures;
import io.lavmonitor.eval.PhaseSvm;
import io.lavmonitor.eval.PixelFeatures;
import io.lavmonitor.video.Preprocessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measures of {@code lav evaluate} on frozen embeddings of labelled videos, for use during
 * training: classification with all training labels, progression R^2, Kendall's tau, AP@5, and
 * the mean distance between different frames of a video (near zero when the embedding collapses).
 */
public final class Validation {
  /** A labelled video, preprocessed. */
  public record Video(PairTrainer.Frames frames, VideoLabels labels) {}

  private final List<Video> train;
  private final List<Video> val;
  private final int context;
  private final int stride;

  /** {@code train} fits the classifiers and regressors; {@code val} is measured. */
  public Validation(List<Video> train, List<Video> val, int context, int stride) {
    this.train = train;
    this.val = val;
    this.context = context;
    this.stride = stride;
  }

  /** Every measure for the encoder in its current state. */
  public Map<String, Double> measure(LavEncoder encoder, NDManager manager, int size) {
    VideoEmbedder embedder = new VideoEmbedder(encoder, new Preprocessor(size, true), context,
        stride, 16);
    return measure(embed(embedder, manager, train), embed(embedder, manager, val));
  }

  /** Every measure for the floor: the encoder inputs as raw downscaled grey pixels. */
  public Map<String, Double> measurePixels(int size) {
    return measure(pixels(train, size), pixels(val, size));
  }

  /** The videos as raw-pixel features ({@link PixelFeatures#ofChw}), one row per frame. */
  public static List<EmbeddedVideo> pixels(List<Video> vs, int size) {
    List<EmbeddedVideo> out = new ArrayList<>();
    for (Video v : vs) {
      List<float[]> chw = v.frames().chw();
      double[][] rows = new double[chw.size()][];
      for (int t = 0; t < rows.length; t++) {
        rows[t] = PixelFeatures.ofChw(chw.get(t), size);
      }
      out.add(new EmbeddedVideo(v.frames().name(), rows, v.labels()));
    }
    return out;
  }

  private static Map<String, Double> measure(List<EmbeddedVideo> tr, List<EmbeddedVideo> va) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (!tr.isEmpty()) {
      m.put("classification", Measures.classification(tr, va, 1.0, PhaseSvm.Kernel.RBF, 0, 2000));
      m.put("progression", Measures.progression(tr, va));
    }
    // Tau and AP compare validation videos with each other: within a task only.
    Map<List<String>, List<EmbeddedVideo>> byTask = new LinkedHashMap<>();
    va.forEach(v -> byTask.computeIfAbsent(v.labels().phases(), k -> new ArrayList<>()).add(v));
    double tau = 0;
    double ap = 0;
    int n = 0;
    for (List<EmbeddedVideo> group : byTask.values()) {
      if (group.size() >= 2) {
        tau += Measures.kendallsTau(group, 2) * group.size();
        ap += Measures.apAtK(group, 5, false) * group.size();
        n += group.size();
      }
    }
    if (n > 0) {
      m.put("kendall_tau", tau / n);
      m.put("ap5", ap / n);
    }
    m.put("mean_distance", meanDistance(va));
    return m;
  }

  private static List<EmbeddedVideo> embed(VideoEmbedder e, NDManager manager, List<Video> vs) {
    List<EmbeddedVideo> out = new ArrayList<>();
    for (Video v : vs) {
      out.add(new EmbeddedVideo(v.frames().name(), e.embed(manager, v.frames().chw()),
          v.labels()));
    }
    return out;
  }

  /**
   * Mean Euclidean distance between the embeddings of two different frames of the same video,
   * averaged over videos: the collapse measure (0 when every frame maps to one point; about 1.41
   * for orthogonal unit vectors).
   */
  public static double meanDistance(List<EmbeddedVideo> videos) {
    double sum = 0;
    for (EmbeddedVideo v : videos) {
      double[][] e = v.embeddings();
      double s = 0;
      long pairs = 0;
      for (int i = 0; i < e.length; i++) {
        for (int j = i + 1; j < e.length; j++) {
          double d = 0;
          for (int k = 0; k < e[i].length; k++) {
            double x = e[i][k] - e[j][k];
            d += x * x;
          }
          s += Math.sqrt(d);
          pairs++;
        }
      }
      sum += pairs == 0 ? 0 : s / pairs;
    }
    return videos.isEmpty() ? Double.NaN : sum / videos.size();
  }
}
