package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Shuffle and Learn (Misra et al., ECCV 2016): is a triplet of frames (a, b, c) in temporal
 * order? A triplet is ordered when b lies between a and c in time (either direction, as in the
 * paper), and shuffled when b lies outside. A linear head classifies the concatenated
 * embeddings [e_a, e_b, e_c]; the loss is its cross-entropy. Each video of the pair gives
 * {@code triplets} triplets, half ordered and half shuffled, from its sampled frames.
 */
public final class SalLoss implements Objective {
  private final NDArray weight;
  private final NDArray bias;
  private final int triplets;

  /** A head for {@code dim}-dimensional embeddings, initialised from {@code rnd}. */
  public SalLoss(NDManager manager, int dim, int triplets, Random rnd, DataType type) {
    this.weight = Heads.weight(manager, 2, 3 * dim, rnd, type);
    this.bias = Heads.bias(manager, 2, type);
    this.triplets = triplets;
  }

  @Override
  public Map<String, NDArray> heads() {
    Map<String, NDArray> h = new LinkedHashMap<>();
    h.put("sal.weight", weight);
    h.put("sal.bias", bias);
    return h;
  }

  /** Triplets of row indices and their class (1 ordered, 0 shuffled). */
  record Triplets(int[] a, int[] b, int[] c, int[] ordered) {}

  /**
   * Draws triplets from rows whose frames are {@code frames} (at least 3 distinct). Ordered:
   * three frames in time order, or reversed. Shuffled: the same three frames with the middle
   * one moved to an end, so that b lies outside a..c.
   */
  static Triplets draw(int[] frames, int count, Random rnd) {
    int p = frames.length;
    if (java.util.Arrays.stream(frames).distinct().count() < 3) {
      throw new io.lavmonitor.io.InvalidInputException(
          "shuffle and learn needs 3 different frames per video, got " + p + " samples");
    }
    Integer[] byTime = new Integer[p];
    for (int i = 0; i < p; i++) {
      byTime[i] = i;
    }
    java.util.Arrays.sort(byTime, (u, v) -> Integer.compare(frames[u], frames[v]));
    int[] a = new int[count];
    int[] b = new int[count];
    int[] c = new int[count];
    int[] ordered = new int[count];
    for (int t = 0; t < count; t++) {
      int i;
      int j;
      int k;
      do { // three rows at strictly increasing frame positions
        int[] pick = rnd.ints(0, p).distinct().limit(3).sorted().toArray();
        i = byTime[pick[0]];
        j = byTime[pick[1]];
        k = byTime[pick[2]];
      } while (!(frames[i] < frames[j] && frames[j] < frames[k]));
      boolean reverse = rnd.nextBoolean();
      if (t % 2 == 0) { // ordered: (i, j, k) or (k, j, i)
        a[t] = reverse ? k : i;
        b[t] = j;
        c[t] = reverse ? i : k;
        ordered[t] = 1;
      } else { // shuffled: the middle frame at one end, (j, i, k) or (i, k, j)
        a[t] = reverse ? i : j;
        b[t] = reverse ? k : i;
        c[t] = reverse ? j : k;
      }
    }
    return new Triplets(a, b, c, ordered);
  }

  @Override
  public NDArray loss(Sampled x, Sampled y, Random rnd) {
    return video(x, rnd).add(video(y, rnd)).div(2);
  }

  NDArray video(Sampled s, Random rnd) {
    return loss(s.embeddings(), draw(s.frames(), triplets, rnd));
  }

  /** The head's cross-entropy on given triplets of rows of e. */
  NDArray loss(NDArray e, Triplets t) {
    NDManager m = e.getManager();
    int p = (int) e.getShape().get(0);
    DataType type = e.getDataType();
    NDArray features = ai.djl.ndarray.NDArrays.concat(new NDList(
        Heads.selector(m, t.a(), p, type).matMul(e),
        Heads.selector(m, t.b(), p, type).matMul(e),
        Heads.selector(m, t.c(), p, type).matMul(e)), 1);
    NDArray logits = features.matMul(weight.transpose()).add(bias);
    return Heads.crossEntropy(logits, t.ordered());
  }
}
