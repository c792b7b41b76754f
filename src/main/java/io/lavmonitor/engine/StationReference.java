package io.lavmonitor.engine;

import io.lavmonitor.align.Reference;
import io.lavmonitor.data.StepRules;
import java.util.List;

/**
 * A station's reference cycle as a camera aligns against it: embeddings under one model, phase
 * labels, how long each phase takes in the reference, and the embeddings' fingerprint (computed
 * once: an aligner state saved against other embeddings is recognised without re-reading them).
 *
 * @param modelId the model whose embeddings these are
 * @param fps frame rate of the reference video
 * @param steps the steps that may be left out or done in any order (checked against the phases)
 */
public record StationReference(String station, String modelId, Reference reference, double fps,
                               long fingerprint, StepRules steps) {

  public StationReference {
    steps = steps == null ? StepRules.NONE : steps;
    String problem = steps.problem(reference.phaseNames(), reference.labels());
    if (problem != null) {
      throw new IllegalArgumentException("reference of " + station + ": " + problem);
    }
  }

  public StationReference(String station, String modelId, Reference reference, double fps) {
    this(station, modelId, reference, fps, reference.fingerprint(), StepRules.NONE);
  }

  public StationReference(String station, String modelId, Reference reference, double fps,
                          long fingerprint) {
    this(station, modelId, reference, fps, fingerprint, StepRules.NONE);
  }

  /** The reference as a record carries it, under the model it was embedded with. */
  public static StationReference of(io.lavmonitor.wire.ReferenceRecord r) {
    return new StationReference(r.station(), r.modelId(), new Reference(r.embeddingRows(),
        r.frameLabels(), r.phases()), r.fps()).withSteps(r.stepRules());
  }

  /** This reference under other step rules. */
  public StationReference withSteps(StepRules rules) {
    return new StationReference(station, modelId, reference, fps, fingerprint, rules);
  }

  public List<String> phases() {
    return reference.phaseNames();
  }

  /** Reference frames of phase p. */
  public int framesOf(int phase) {
    int n = 0;
    for (int l : reference.labels()) {
      n += l == phase ? 1 : 0;
    }
    return n;
  }

  /** Reference duration of phase p in seconds. */
  public double secondsOf(int phase) {
    return framesOf(phase) / fps;
  }

  public double cycleSeconds() {
    return reference.length() / fps;
  }
}
