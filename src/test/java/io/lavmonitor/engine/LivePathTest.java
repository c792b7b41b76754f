package io.lavmonitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lavmonitor.align.Band;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Dtw;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The live path against offline DTW of the same prefix: after every frame, its best end is the
 * reference frame whose full DTW of the prefix costs least per frame of both sequences, and its
 * per-phase frame counts are those of that DTW path (each stream frame counted at the last
 * reference frame its row reaches, when it looks like it about as well as like any).
 */
class LivePathTest {
  @Test
  void countsAndBestEndAreThoseOfOfflineDtwOfThePrefix() {
    Random r = new Random(5);
    int m = 12;
    int d = 3;
    double[][] ref = new double[m][d];
    int[] labels = new int[m];
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < d; k++) {
        ref[j][k] = r.nextGaussian();
      }
      labels[j] = j * 3 / m;
    }
    // A stream that plays the reference unevenly (repeats, a skipped stretch), with noise.
    int[] plays = {0, 0, 1, 2, 2, 2, 3, 6, 7, 7, 8, 9, 11, 11};
    double[][] x = new double[plays.length][d];
    for (int t = 0; t < plays.length; t++) {
      for (int k = 0; k < d; k++) {
        x[t][k] = ref[plays[t]][k] + 0.2 * r.nextGaussian();
      }
    }
    LivePath live = new LivePath(ref, labels, 3);
    for (int t = 0; t < x.length; t++) {
      live.push(x[t]);
      double[][] prefix = Arrays.copyOf(x, t + 1);
      int bestJ = -1;
      double bestMean = Double.POSITIVE_INFINITY;
      Dtw.Result best = null;
      for (int j = 0; j < m; j++) {
        double[][] head = Arrays.copyOf(ref, j + 1);
        Dtw.Result res = Dtw.align(Cost.SQEUCLIDEAN.matrix(prefix, head), t + 1, j + 1,
            Band.NONE);
        double mean = res.value() / (t + 1 + j + 1);
        if (mean < bestMean) {
          bestMean = mean;
          bestJ = j;
          best = res;
        }
      }
      assertEquals(bestJ, live.bestEnd(), "frame " + t);
      int[] want = new int[3];
      List<int[]> path = best.path();
      double[] c = Cost.SQEUCLIDEAN.matrix(prefix, ref);
      for (int i = 0; i < path.size(); i++) {
        int row = path.get(i)[0];
        boolean lastOfRow = i + 1 == path.size() || path.get(i + 1)[0] != row;
        double nearest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
          nearest = Math.min(nearest, c[row * m + j]);
        }
        double own = c[row * m + path.get(i)[1]];
        if (lastOfRow && own <= LivePath.GOOD_FACTOR * nearest + LivePath.GOOD_MARGIN) {
          want[labels[path.get(i)[1]]]++;
        }
      }
      for (int p = 0; p < 3; p++) {
        assertEquals(want[p], live.frames(bestJ, p), "frame " + t + ", phase " + p);
      }
    }
    assertEquals(x.length, live.frames());
  }
}
