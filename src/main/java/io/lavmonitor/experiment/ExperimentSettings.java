package io.lavmonitor.experiment;

import io.lavmonitor.loss.TemporalRegularizer;
import io.lavmonitor.train.PairTrainer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What every run of an experiment shares.
 *
 * @param episodes few-shot episodes per number of labelled videos
 * @param work where runs are kept for resuming
 */
public record ExperimentSettings(String backbone, int size, int dim, int framesPerVideo,
                                 int context, int stride, double lr, double weightDecay,
                                 TemporalRegularizer.Form form, int episodes, Path work) {

  /** The settings in a run's folder name, so that runs with other settings never mix. */
  String tag() {
    return String.format(Locale.ROOT, "%s%d-p%d-k%d-lr%s-%s", backbone, size, framesPerVideo,
        context, Double.toString(lr), form.name().toLowerCase(Locale.ROOT));
  }

  PairTrainer.Settings training() {
    return new PairTrainer.Settings(framesPerVideo, context, stride, lr, weightDecay, true,
        32 / 255.0, 0.5);
  }
}
