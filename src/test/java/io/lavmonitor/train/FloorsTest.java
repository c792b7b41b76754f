package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FloorsTest {
  @Test
  void aModelBelowAFloorIsNamedWithTheMeasuresItLoses() {
    Map<String, Double> trained = Map.of("kendall_tau", 0.05, "progression", 0.7,
        "mean_distance", 0.1);
    Map<String, Double> pixels = Map.of("kendall_tau", 0.62, "progression", 0.695,
        "mean_distance", 1.2);
    Map<String, Double> untrained = Map.of("kendall_tau", 0.04, "progression", 0.3);
    Floors f = Floors.check(trained, pixels, untrained);
    // Progression is within the margin of the pixels' (0.7 >= 0.695 - 0.01); distances are no
    // quality measure.
    assertEquals(List.of("worse than raw pixels on its validation split: kendall_tau 0.050 "
        + "< 0.620"), f.warnings());
    assertEquals(List.of(), Floors.check(pixels, pixels, pixels).warnings());
    // A diverged model (NaN) is below every floor.
    Floors nan = Floors.check(Map.of("kendall_tau", Double.NaN), pixels, untrained);
    assertEquals(2, nan.warnings().size());
  }
}
