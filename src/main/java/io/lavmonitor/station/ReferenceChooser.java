package io.lavmonitor.station;

import io.lavmonitor.align.Band;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Dtw;
import io.lavmonitor.io.InvalidInputException;
import java.util.List;

/**
 * Picks a station's reference among several recorded normal cycles: the medoid, the cycle whose
 * exact DTW alignments to all the others cost least in total (mean squared distance per path
 * step, on the model's embeddings). A single recorded cycle may be unusual (a slow operator, a
 * hurried step), and every rule that compares with the reference then misfires until the
 * station's profile has learnt what is normal.
 */
public final class ReferenceChooser {
  private ReferenceChooser() {}

  /**
   * The chosen cycle, every pair's cost ({@code pair[a][b]}, symmetric, 0 on the diagonal) and
   * each cycle's total.
   */
  public record Choice(int index, double[][] pair, double[] totals) {}

  /** The medoid of {@code cycles} (each frames x dimension); one cycle is its own medoid. */
  public static Choice medoid(List<double[][]> cycles) {
    int k = cycles.size();
    if (k == 0) {
      throw new InvalidInputException("no candidate reference cycle");
    }
    double[][] pair = new double[k][k];
    double[] totals = new double[k];
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        double[][] x = cycles.get(a);
        double[][] y = cycles.get(b);
        Dtw.Result r = Dtw.align(Cost.SQEUCLIDEAN.matrix(x, y), x.length, y.length, Band.NONE);
        pair[a][b] = pair[b][a] = r.value() / r.path().size();
      }
    }
    int best = 0;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        totals[a] += pair[a][b];
      }
      if (totals[a] < totals[best]) {
        best = a;
      }
    }
    return new Choice(best, pair, totals);
  }
}
