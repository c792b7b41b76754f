package io.lavmonitor.engine;

import io.lavmonitor.align.StreamingAligner;
import java.util.Map;

/**
 * Anomaly rules and their thresholds, from the monitor's configuration.
 *
 * @param matchThreshold continuous mode: the largest mean frame cost of a path that counts as a
 *     cycle (squared distances of unit vectors: 0..4)
 * @param minCycleFraction continuous mode: a match shorter than this fraction of the reference
 *     cycle is not a cycle (camera and reference at the same frame rate)
 * @param costDefault cycle cost above which a cycle is anomalous until enough normal cycles are
 *     seen to calibrate
 * @param costMadFactor calibrated threshold = median + factor x MAD of recent normal cycle costs
 * @param calibrationCycles normal cycles needed before the calibrated threshold is used
 * @param stallFactor stall when no progress for this many times the current phase's reference
 *     duration
 * @param minStallSeconds never call a stall shorter than this
 * @param stillDistance squared distance between consecutive frame embeddings below which the
 *     scene counts as unchanged
 * @param skippedPhaseFraction a phase seen for less than this fraction of its expected frames
 *     (scaled by the cycle's length) is skipped
 * @param unknownCost cost against the nearest reference frame that counts as unknown content
 *     until the normal-cycle profile has calibrated it
 * @param unknownFrames consecutive unknown frames that raise an alert
 * @param unknownMargin once calibrated, unknown content is this many times the 95th percentile
 *     of normal cycles' worst runs unlike the reference
 * @param silentSeconds wall-clock seconds without frames before a camera is called silent
 * @param profileMadFactor the normal-cycle profile's thresholds: median + factor x MAD of recent
 *     normal cycles (a phase's mean matched cost; the worst run of frames unlike the reference;
 *     a phase's longest still spell, which raises the stall limit)
 * @param liveSkipped also alert a skipped phase while its cycle runs, from the cycle's exact
 *     path so far ({@code LivePath}); off by default: on both tune sets of the detection
 *     benchmark it found no skipped phase sooner or more often than the cycle's end and raised
 *     more false alerts (README, "Detection"); for long cycles, where the end comes late
 */
public record Thresholds(double matchThreshold, double minCycleFraction, double costDefault, double costMadFactor,
                         int calibrationCycles, double stallFactor, double minStallSeconds, double stillDistance,
                         double skippedPhaseFraction, double unknownCost, int unknownFrames, double unknownMargin,
                         double silentSeconds, double profileMadFactor, boolean liveSkipped) {

  public static Thresholds defaults() {
    return new Thresholds(1.0, 0.5, 0.8, 5.0, 5, 3.0, 2.0, 0.002, 0.25, 1.5, 10, 1.5, 10.0, 5.0, false);
  }

  /** Defaults overridden by {@code anomaly.*} properties. */
  public static Thresholds from(Map<String, String> p) {
    Thresholds d = defaults();
    return new Thresholds(
        "auto".equalsIgnoreCase(String.valueOf(p.get("align.match-threshold")).trim())
            ? StreamingAligner.Config.AUTO
            : num(p, "align.match-threshold", d.matchThreshold()),
        num(p, "align.min-cycle-fraction", d.minCycleFraction()),
        num(p, "anomaly.cost.default-threshold", d.costDefault()),
        num(p, "anomaly.cost.mad-factor", d.costMadFactor()),
        (int) num(p, "anomaly.cost.calibration-cycles", d.calibrationCycles()),
        num(p, "anomaly.stall.factor", d.stallFactor()),
        num(p, "anomaly.stall.min-seconds", d.minStallSeconds()),
        num(p, "anomaly.stall.still-distance", d.stillDistance()),
        num(p, "anomaly.skipped-phase.min-fraction", d.skippedPhaseFraction()),
        num(p, "anomaly.unknown.cost", d.unknownCost()),
        (int) num(p, "anomaly.unknown.frames", d.unknownFrames()),
        num(p, "anomaly.unknown.margin", d.unknownMargin()),
        num(p, "anomaly.silent.seconds", d.silentSeconds()),
        num(p, "anomaly.profile.mad-factor", d.profileMadFactor()),
        bool(p, "anomaly.skipped-phase.live", d.liveSkipped()));
  }

  private static boolean bool(Map<String, String> p, String key, boolean dflt) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new io.lavmonitor.io.InvalidInputException(key + "=" + v
          + " is not true or false");
    };
  }

  private static double num(Map<String, String> p, String key, double dflt) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new io.lavmonitor.io.InvalidInputException(key + "=" + v + " is not a number");
    }
  }
}
