package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import io.lavmonitor.video.FrameSampling;
import java.util.Map;
import java.util.Random;

/**
 * What a training method minimises on a pair of videos of the same task (LAV, TCC, TCN, SAL,
 * supervised): a differentiable loss of the sampled frames' embeddings. Every method sees the
 * same encoder, data and sampler; only this differs.
 */
public interface Objective {

  /**
   * One video's sampled frames.
   *
   * @param embeddings (p, dim) embeddings of the sampled frames, in sampling order
   * @param frames each row's frame index in its video
   * @param length the video's length in frames
   * @param labels the video's per-frame phase labels, or null when the method may not see them
   */
  record Sampled(NDArray embeddings, int[] frames, int length, int[] labels) {}

  /** The loss of a pair; {@code rnd} is the trainer's seeded sampler. */
  NDArray loss(Sampled x, Sampled y, Random rnd);

  /** Which p frames of a video of n frames a step embeds (segment-uniform unless overridden). */
  default int[] sample(int n, int p, Random rnd) {
    return FrameSampling.segmentUniform(n, p, rnd);
  }

  /**
   * Trainable arrays outside the encoder (a classifier head), by name. They are trained with
   * the encoder and kept in checkpoints, but not in the published model.
   */
  default Map<String, NDArray> heads() {
    return Map.of();
  }

  /** Whether training videos must carry phase labels. */
  default boolean needsLabels() {
    return false;
  }
}
