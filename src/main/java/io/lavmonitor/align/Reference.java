package io.lavmonitor.align;

import io.lavmonitor.io.InvalidInputException;
import java.util.List;

/**
 * A station's reference cycle: its frame embeddings and, optionally, a phase label per frame.
 *
 * @param frames m x d embeddings, one row per reference frame
 * @param labels phase index of every frame, or null when the reference is unlabelled
 * @param phaseNames names of the phase indices, or null to print the indices themselves
 */
public record Reference(double[][] frames, int[] labels, List<String> phaseNames) {

  public Reference {
    Sequences.check(frames, "reference");
    if (labels != null && labels.length != frames.length) {
      throw new InvalidInputException("reference labels: " + labels.length
          + " labels for " + frames.length + " reference frames");
    }
    if (labels != null && phaseNames != null) {
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] < 0 || labels[i] >= phaseNames.size()) {
          throw new InvalidInputException("reference labels: frame " + i + " has phase "
              + labels[i] + ", but only " + phaseNames.size() + " phases are named");
        }
      }
    }
  }

  public static Reference unlabelled(double[][] frames) {
    return new Reference(frames, null, null);
  }

  public int length() {
    return frames.length;
  }

  public int dimension() {
    return frames[0].length;
  }

  /** Phase name at reference frame j, or null when the reference has no labels. */
  public String phaseAt(int j) {
    if (labels == null) {
      return null;
    }
    return phaseNames == null ? Integer.toString(labels[j]) : phaseNames.get(labels[j]);
  }

  /** A 64-bit fingerprint of the embeddings, to detect a state restored against another reference. */
  public long fingerprint() {
    long h = 0xcbf29ce484222325L;
    for (double[] row : frames) {
      for (double v : row) {
        h ^= Double.doubleToLongBits(v);
        h *= 0x100000001b3L;
      }
    }
    return h ^ ((long) frames.length << 32 | frames[0].length);
  }
}
