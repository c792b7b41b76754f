package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.lavmonitor.video.FrameSampling;
import java.util.Random;

/**
 * Single-view time-contrastive network (Sermanet et al., ICRA 2018, Sec. III-B) with the
 * n-pairs loss: half of a video's sampled frames are anchors (segment-uniform), the other half
 * their positives, each within {@code window} frames of its anchor. For anchor i the positives
 * of the other anchors are the negatives, except those within {@code margin} frames of anchor i
 * (too close in time to be told apart), which are left out. Logits are dot products of the unit
 * embeddings over a temperature. Each video of the pair is a separate batch: TCN does not
 * compare videos.
 */
public final class TcnLoss implements Objective {
  /** Positive window and negative margin in frames (0.2 s and 1 s at the synthetic 15 fps). */
  public static final int WINDOW = 3;
  public static final int MARGIN = 15;
  public static final double TEMPERATURE = 0.1;

  private final int window;
  private final int margin;
  private final double temperature;

  public TcnLoss() {
    this(WINDOW, MARGIN, TEMPERATURE);
  }

  public TcnLoss(int window, int margin, double temperature) {
    this.window = window;
    this.margin = margin;
    this.temperature = temperature;
  }

  /** p/2 segment-uniform anchors, then one positive per anchor at a random non-zero offset. */
  @Override
  public int[] sample(int n, int p, Random rnd) {
    int h = Math.max(1, p / 2);
    int[] anchors = FrameSampling.segmentUniform(n, h, rnd);
    int[] out = new int[2 * h];
    for (int i = 0; i < h; i++) {
      out[i] = anchors[i];
      int offset = 1 + rnd.nextInt(window);
      int pos = anchors[i] + (rnd.nextBoolean() ? offset : -offset);
      if (pos < 0 || pos >= n) {
        pos = anchors[i] - (pos - anchors[i]); // reflect at the ends
      }
      out[h + i] = Math.max(0, Math.min(n - 1, pos));
    }
    return out;
  }

  @Override
  public NDArray loss(Sampled x, Sampled y, Random rnd) {
    return nPairs(x).add(nPairs(y)).div(2);
  }

  /** The n-pairs loss of one video's anchors (first half of the rows) and positives. */
  NDArray nPairs(Sampled s) {
    int h = s.frames().length / 2;
    NDArray e = s.embeddings();
    NDArray a = e.get("0:" + h);
    NDArray p = e.get(h + ":" + 2 * h);
    NDArray logits = a.matMul(p.transpose()).div(temperature);
    double[] mask = new double[h * h];
    for (int i = 0; i < h; i++) {
      for (int j = 0; j < h; j++) {
        if (i != j && Math.abs(s.frames()[i] - s.frames()[h + j]) <= margin) {
          mask[i * h + j] = -1e4; // excluded: exp(-1e4) is 0 in float32 and float64
        }
      }
    }
    logits = logits.add(Heads.owned(e.getManager(), mask, new Shape(h, h), e.getDataType()));
    int[] targets = new int[h];
    for (int i = 0; i < h; i++) {
      targets[i] = i;
    }
    return Heads.crossEntropy(logits, targets);
  }
}
