package io.lavmonitor.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Dtw;
import io.lavmonitor.align.Band;
import io.lavmonitor.align.Reference;
import io.lavmonitor.data.StepRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The orders of a reference's frames that step rules allow, and the cycle path among them. */
class StepOrdersTest {
  static final List<String> PHASES = List.of("a", "b", "c", "d");

  @Test
  void everyAllowedOrderOnceWritten() {
    int[] labels = {0, 0, 1, 1, 2, 2, 3, 3};
    List<int[]> orders = StepOrders.of(labels.length, labels, PHASES,
        new StepRules(List.of("b"), List.of(List.of("c", "d"))));
    List<String> got = orders.stream().map(java.util.Arrays::toString).toList();
    assertEquals(List.of("[0, 1, 2, 3, 4, 5, 6, 7]", "[0, 1, 2, 3, 6, 7, 4, 5]",
        "[0, 1, 4, 5, 6, 7]", "[0, 1, 6, 7, 4, 5]"), got);
    assertEquals(1, StepOrders.of(labels.length, labels, PHASES, StepRules.NONE).size());
    // A group member that shows as two runs in the reference keeps the group in order.
    int[] twice = {2, 0, 0, 1, 1, 2};
    assertEquals(1, StepOrders.of(twice.length, twice, PHASES, new StepRules(null,
        List.of(List.of("a", "c")))).size());
    assertEquals(24, StepOrders.permutations(new int[] {0, 1, 2, 3}).size());
  }

  /**
   * The finished cycle's path among the orders is the least DTW cost (per n + m) of the cycle
   * against each order's frames written out as a reference of its own, over every end the
   * order may take (brute force); each frame's reference frame is given in the reference's own
   * numbering.
   */
  @Test
  void theCycleFollowsTheOrderItMatchesBest() {
    Random rnd = new Random(3);
    Reference ref = CameraEngineTest.distinctPhases(PHASES, 6, 5, rnd);
    StepRules rules = new StepRules(List.of("b"), List.of(List.of("c", "d")));
    List<int[]> orders = StepOrders.of(ref.length(), ref.labels(), PHASES, rules);
    // The cycle: a, d, c (b left out, c and d swapped), with noise.
    List<double[]> frames = new ArrayList<>();
    for (int p : new int[] {0, 3, 2}) {
      for (int j = 0; j < ref.length(); j++) {
        if (ref.labels()[j] == p) {
          double[] f = ref.frames()[j].clone();
          f[0] += 0.02 * rnd.nextGaussian();
          frames.add(f);
        }
      }
    }
    TrackEntry[] entries = new TrackEntry[frames.size()];
    double[][] q = new double[frames.size()][];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = new TrackEntry(0, i * 100_000L, i + 1, i,
          TrackEntry.quantise(frames.get(i)));
      q[i] = CyclePath.dequantise(entries[i].emb());
    }
    // Brute force: every order over every prefix from half the frames on (a cycle may end past
    // the aligner's end, here taken as the last frame), by D / (n + m).
    int n = q.length;
    double own = Double.POSITIVE_INFINITY;
    double least = Double.POSITIVE_INFINITY;
    int bestOrder = -1;
    for (int o = 0; o < orders.size(); o++) {
      int[] cols = orders.get(o);
      double[][] rf = new double[cols.length][];
      for (int j = 0; j < cols.length; j++) {
        rf[j] = ref.frames()[cols[j]];
      }
      for (int end = Math.max(1, n / 2); end < n; end++) {
        double[][] part = java.util.Arrays.copyOf(q, end + 1);
        double v = Dtw.align(Cost.SQEUCLIDEAN.matrix(part, rf), end + 1, cols.length,
            Band.NONE).value() / (end + 1 + cols.length);
        own = o == 0 ? Math.min(own, v) : own;
        if (v < least) {
          least = v;
          bestOrder = o;
        }
      }
    }
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 18, 19, 20, 21, 22, 23, 12, 13, 14, 15, 16,
        17}, orders.get(bestOrder));
    CyclePath path = CyclePath.best(entries, entries.length, ref, orders);
    assertEquals(bestOrder, path.order());
    assertEquals(least / own, path.costRatio(), 1e-9);
    assertTrue(path.costRatio() < 0.5, "the swap fits much better: " + path.costRatio());
    assertArrayEquals(new int[] {6, 0, 6, 6}, path.phaseFrames(4));
    assertEquals(1.0, CyclePath.best(entries, entries.length, ref, orders.subList(0, 1))
        .costRatio());
  }
}
