package io.lavmonitor.experiment;

import io.lavmonitor.train.Method;
import java.util.Locale;

/**
 * One training run of an experiment: a method (with its loss, for LAV, and its label fraction,
 * for the supervised reference) on one dataset with one seed.
 *
 * @param dataset the dataset's folder name
 * @param loss the LAV loss (ablation names such as sdtw+cidm); null for other methods
 * @param labelFraction supervised only; 1 otherwise
 */
public record RunSpec(String dataset, Method method, String loss, double labelFraction,
                      long seed) {

  public static RunSpec of(String dataset, Method method, long seed) {
    return new RunSpec(dataset, method, method == Method.LAV || method == Method.LAV_TCC
        ? "sdtw+cidm" : null, 1.0, seed);
  }

  /** The row name in result tables: the method, or the loss for LAV ablations. */
  public String row() {
    if (method == Method.LAV && !"sdtw+cidm".equals(loss)) {
      return lossName(loss);
    }
    return switch (method) {
      case LAV -> "LAV";
      case LAV_TCC -> "LAV + TCC";
      case TCC -> "TCC";
      case TCN -> "TCN";
      case SAL -> "SAL";
      case SUPERVISED -> "Supervised";
      case RANDOM -> "Random features";
      case PIXELS -> "Raw pixels";
    };
  }

  /** The paper's spelling of an ablation loss: S-DTW, C-IDM, S-DTW + C-IDM, ... */
  public static String lossName(String loss) {
    return loss.toUpperCase(Locale.ROOT).replace("SDTW", "S-DTW").replace("CIDM", "C-IDM")
        .replace("+", " + ");
  }

  /** Folder name of the run, unique for everything that changes its outcome. */
  public String key(int steps, String settings) {
    StringBuilder sb = new StringBuilder(method.id().replace('+', '_'));
    if (loss != null) {
      sb.append('-').append(loss.replace('+', '_'));
    }
    if (method.needsLabels()) {
      sb.append(String.format(Locale.ROOT, "-labels%.2f", labelFraction));
    }
    if (method.trains()) {
      sb.append("-steps").append(steps);
    }
    return dataset + "/" + sb + "-" + settings + "-seed" + seed;
  }
}
