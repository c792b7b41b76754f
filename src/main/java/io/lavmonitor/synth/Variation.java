package io.lavmonitor.synth;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * Everything that differs between two recordings of the same task: the nuisance the encoder must
 * learn to ignore. Drawn once per video from its own seeded generator.
 */
final class Variation {
  // Camera: offset (world units), zoom and roll.
  final double camDx;
  final double camDy;
  final double camScale;
  final double camAngle;
  // Lighting: brightness offset, contrast, per-channel tint, and a slow flicker.
  final double brightness;
  final double contrast;
  final double[] tint;
  final double flickerAmp;
  final double flickerPeriod;
  // Scene: colours of table, sleeve, parts; clutter on the table.
  final Color table;
  final Color sleeve;
  final Color skin;
  final Color part;
  final Color floor;
  final double[][] clutter; // x, y, w, h, rgb, round
  // Sensor: noise level, motion blur weight, encoder bit rate (lower: more artefacts).
  final double noise;
  final double blur;
  final int bitrate;

  Variation(SplittableRandom r) {
    camDx = r.nextDouble(-0.04, 0.04);
    camDy = r.nextDouble(-0.04, 0.04);
    camScale = r.nextDouble(0.9, 1.12);
    camAngle = Math.toRadians(r.nextDouble(-6, 6));
    brightness = r.nextDouble(-25, 25);
    contrast = r.nextDouble(0.8, 1.2);
    tint = new double[] {r.nextDouble(0.9, 1.1), r.nextDouble(0.9, 1.1), r.nextDouble(0.9, 1.1)};
    flickerAmp = r.nextDouble(0, 6);
    flickerPeriod = r.nextDouble(20, 90);
    table = jitter(new Color(150, 112, 74), r, 25);
    sleeve = jitter(new Color(40, 70, 130), r, 30);
    skin = jitter(new Color(224, 180, 150), r, 20);
    part = Color.getHSBColor((float) r.nextDouble(), (float) r.nextDouble(0.4, 0.8),
        (float) r.nextDouble(0.6, 0.9));
    floor = jitter(new Color(60, 62, 70), r, 15);
    int n = r.nextInt(2, 6);
    clutter = new double[n][];
    for (int i = 0; i < n; i++) {
      // Along the table's left and bottom edges, away from the work area.
      boolean left = r.nextBoolean();
      double x = left ? r.nextDouble(0.07, 0.14) : r.nextDouble(0.1, 0.7);
      double y = left ? r.nextDouble(0.45, 0.9) : r.nextDouble(0.86, 0.92);
      clutter[i] = new double[] {x, y, r.nextDouble(0.03, 0.07), r.nextDouble(0.02, 0.05),
          Color.HSBtoRGB((float) r.nextDouble(), (float) r.nextDouble(0.1, 0.7),
              (float) r.nextDouble(0.3, 0.9)), r.nextInt(2)};
    }
    noise = r.nextDouble(1.5, 6);
    blur = r.nextDouble(0, 0.35);
    bitrate = r.nextInt(120_000, 700_000);
  }

  private static Color jitter(Color c, SplittableRandom r, int amount) {
    return new Color(clamp(c.getRed() + r.nextInt(-amount, amount + 1)),
        clamp(c.getGreen() + r.nextInt(-amount, amount + 1)),
        clamp(c.getBlue() + r.nextInt(-amount, amount + 1)));
  }

  static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
