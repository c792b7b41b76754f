package io.lavmonitor.train;

import io.lavmonitor.data.Dataset;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.loss.TemporalRegularizer;
import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A dataset's videos decoded and preprocessed once for training: training videos grouped by task
 * (videos with the same phase names), and the labelled videos validation measures.
 */
public record TrainingData(List<Dataset.Entry> trainEntries,
                           List<List<PairTrainer.Frames>> tasks,
                           List<Validation.Video> labelledTrain,
                           List<Validation.Video> labelledVal) {

  /**
   * Decodes the dataset's training and validation videos at {@code size}.
   *
   * @param namePrefix keep only videos whose name starts with it; null for all
   */
  public static TrainingData load(Dataset ds, String namePrefix, int size) {
    Preprocessor pre = new Preprocessor(size, true);
    List<Dataset.Entry> train = ds.train().stream()
        .filter(e -> namePrefix == null || e.name().startsWith(namePrefix)).toList();
    List<Dataset.Entry> val = ds.val().stream()
        .filter(e -> namePrefix == null || e.name().startsWith(namePrefix)).toList();
    if (train.size() < 2) {
      throw new InvalidInputException(ds.root() + ": training needs at least two training videos"
          + (namePrefix == null ? "" : " named " + namePrefix + "*") + ", found " + train.size());
    }
    Map<List<String>, List<PairTrainer.Frames>> byTask = new LinkedHashMap<>();
    List<Validation.Video> lt = new ArrayList<>();
    for (Dataset.Entry e : train) {
      VideoLabels l = e.labels();
      PairTrainer.Frames f = decode(pre, e);
      byTask.computeIfAbsent(l.phases(), k -> new ArrayList<>()).add(f);
      lt.add(new Validation.Video(f, l));
    }
    List<Validation.Video> lv = new ArrayList<>();
    for (Dataset.Entry e : val) {
      lv.add(new Validation.Video(decode(pre, e), e.labels()));
    }
    return new TrainingData(train, new ArrayList<>(byTask.values()), lt, lv);
  }

  private static PairTrainer.Frames decode(Preprocessor pre, Dataset.Entry e) {
    try (VideoSource s = VideoSources.open(e.video().toString())) {
      List<float[]> chw = pre.chw(s);
      int[] labels = e.labels().frameLabels();
      if (labels.length != chw.size()) {
        throw new InvalidInputException(e.name() + ": " + chw.size() + " frames decoded but "
            + labels.length + " frame labels");
      }
      return new PairTrainer.Frames(e.name(), chw, labels);
    }
  }

  /**
   * The training videos a method may see: without labels for self-supervised methods; for
   * supervised ones, only a seeded random ceil({@code labelFraction} n) of each task's n videos
   * (at least one), with their labels, as many as the evaluation's classifiers get.
   */
  public List<List<PairTrainer.Frames>> tasksFor(Method method, double labelFraction, long seed) {
    List<List<PairTrainer.Frames>> out = new ArrayList<>();
    for (List<PairTrainer.Frames> task : tasks) {
      if (!method.needsLabels()) {
        out.add(task.stream().map(PairTrainer.Frames::unlabelled).toList());
        continue;
      }
      List<PairTrainer.Frames> shuffled = new ArrayList<>(task);
      java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
      int keep = Math.min(task.size(),
          Math.max(1, (int) Math.ceil(labelFraction * task.size() - 1e-9)));
      out.add(List.copyOf(shuffled.subList(0, keep)));
    }
    return out;
  }

  /** The most phases any training task has (the supervised classifier's classes). */
  public int phases() {
    return labelledTrain.stream().mapToInt(v -> v.labels().phases().size()).max().orElse(0);
  }

  public int trainVideos() {
    return trainEntries.size();
  }

  /** The median length in frames of the training videos. */
  public int medianTrainFrames() {
    int[] n = labelledTrain.stream().mapToInt(v -> v.frames().chw().size()).sorted().toArray();
    return n.length == 0 ? 0 : n[n.length / 2];
  }

  /** Validation on the labelled videos, or null when there are no validation videos. */
  public Validation validation(int context, int stride) {
    return labelledVal.isEmpty() ? null : new Validation(labelledTrain, labelledVal, context,
        stride);
  }

  /** {@code paper} or {@code official}. */
  public static TemporalRegularizer.Form cidmForm(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "paper" -> TemporalRegularizer.Form.PAPER;
      case "official" -> TemporalRegularizer.Form.OFFICIAL;
      default -> throw new InvalidInputException("unknown --cidm-form '" + s
          + "' (expected paper or official)");
    };
  }

  /** Metrics as {@code name value, ...} with three decimals. */
  public static String format(Map<String, Double> m) {
    StringJoiner j = new StringJoiner(", ");
    m.forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s %.3f", k, v)));
    return j.toString();
  }
}
