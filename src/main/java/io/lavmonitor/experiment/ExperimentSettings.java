package io.lavmonitor.experiment;

import io.lavmonitor.loss.TemporalRegularizer;
import io.lavmonitor.train.PairTrainer;
import io.lavmonitor.train.TrainingSpec;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What every run of an experiment shares: the training specification (the method, loss, seed
 * and steps of a run are set per run), the few-shot episodes, and where runs are kept.
 *
 * @param episodes few-shot episodes per number of labelled videos
 * @param work where runs are kept for resuming
 */
public record ExperimentSettings(TrainingSpec spec, int episodes, Path work) {

  public String backbone() {
    return spec.backbone() == null ? "small" : spec.backbone();
  }

  public int size() {
    return spec.size();
  }

  public int dim() {
    return spec.dim();
  }

  public int context() {
    return spec.context();
  }

  public int stride() {
    return spec.stride();
  }

  public TemporalRegularizer.Form form() {
    return spec.cidmForm();
  }

  /**
   * The settings in a run's folder name, so that runs with other settings never mix: a readable
   * part and a hash of every setting that changes a run's outcome (the specification's key
   * without what each run sets itself).
   */
  String tag() {
    String shared = spec.toBuilder().method(io.lavmonitor.train.Method.LAV).loss("sdtw+cidm")
        .seed(0).steps(0).epochs(0).labelFraction(1).build().key() + "|" + backbone();
    return String.format(Locale.ROOT, "%s%d-p%d-k%d-lr%s-%s-%08x", backbone(), size(),
        spec.framesPerVideo(), context(), Double.toString(spec.lr()),
        form().name().toLowerCase(Locale.ROOT), shared.hashCode());
  }

  PairTrainer.Settings training() {
    return spec.pairSettings(spec.stride());
  }
}
