package io.lavmonitor.eval;

import io.lavmonitor.data.VideoLabels;

/** One video's frozen per-frame embeddings with its labels. */
public record EmbeddedVideo(String name, double[][] embeddings, VideoLabels labels) {

  public int frames() {
    return embeddings.length;
  }

  /** Phase name of frame t: classes are compared by name, so videos may number them apart. */
  public String phase(int t) {
    return labels.phaseAt(t);
  }
}
