package io.lavmonitor.monitor;

import io.lavmonitor.align.Reference;
import java.util.List;

/**
 * A station's reference cycle as the monitor uses it: embeddings under one model, phase labels,
 * and how long each phase takes in the reference.
 *
 * @param modelId the model whose embeddings these are
 * @param fps frame rate of the reference video
 */
public record StationReference(String station, String modelId, Reference reference, double fps) {

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
