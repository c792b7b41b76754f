package io.lavmonitor.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trained model against the two floors on its own validation split: raw pixels and the same
 * network untrained. A model below either is useless, and nothing else would tell its user: the
 * loss went down all the same.
 *
 * @param pixels the validation measures of raw downscaled grey pixels
 * @param untrained those of the network with its initial weights
 * @param warnings one line per floor the model is below, naming the measures; empty when none
 */
public record Floors(Map<String, Double> pixels, Map<String, Double> untrained,
                     List<String> warnings) {
  /** The measures compared: higher is better for each; mean_distance is no quality measure. */
  static final List<String> MEASURES = List.of("kendall_tau", "progression", "classification",
      "ap5");
  /** How far below a floor a measure must be to count (validation splits are small). */
  static final double MARGIN = 0.01;

  /** Compares {@code trained} with both floors. */
  public static Floors check(Map<String, Double> trained, Map<String, Double> pixels,
                             Map<String, Double> untrained) {
    List<String> w = new ArrayList<>();
    below(trained, pixels, "raw pixels", w);
    below(trained, untrained, "the untrained network", w);
    return new Floors(pixels, untrained, w);
  }

  private static void below(Map<String, Double> trained, Map<String, Double> floor, String name,
                            List<String> out) {
    List<String> worse = new ArrayList<>();
    for (String k : MEASURES) {
      Double t = trained.get(k);
      Double f = floor.get(k);
      if (t != null && f != null && !(t >= f - MARGIN)) { // a NaN measure is below, too
        worse.add(String.format(Locale.ROOT, "%s %.3f < %.3f", k, t, f));
      }
    }
    if (!worse.isEmpty()) {
      out.add("worse than " + name + " on its validation split: " + String.join(", ", worse));
    }
  }

  /** The layout under {@code training.floors} in model.json. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pixels", pixels);
    m.put("untrained", untrained);
    m.put("warnings", warnings);
    return m;
  }
}
