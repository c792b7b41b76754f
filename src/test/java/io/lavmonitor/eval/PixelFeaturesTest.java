package io.lavmonitor.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lavmonitor.video.Preprocessor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PixelFeaturesTest {
  private static BufferedImage halves(int dark, int light) {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(dark, dark, dark));
    g.fillRect(0, 0, 32, 64);
    g.setColor(new Color(light, light, light));
    g.fillRect(32, 0, 32, 64);
    g.dispose();
    return img;
  }

  @Test
  void encoderInputsGiveTheCentredUnitGridOfTheirGreyLevels() {
    float[] chw = new Preprocessor(64, true).toChw(halves(40, 200));
    double[] v = PixelFeatures.ofChw(chw, 64);
    assertEquals(PixelFeatures.GRID * PixelFeatures.GRID, v.length);
    // Two equal halves: -1/sqrt(n) on the dark one, +1/sqrt(n) on the light one.
    double e = 1 / Math.sqrt(v.length);
    for (int y = 0; y < PixelFeatures.GRID; y++) {
      for (int x = 0; x < PixelFeatures.GRID; x++) {
        assertEquals(x < PixelFeatures.GRID / 2 ? -e : e, v[y * PixelFeatures.GRID + x], 1e-4);
      }
    }
    // Brightness and contrast cancel.
    double[] w = PixelFeatures.ofChw(new Preprocessor(64, true).toChw(halves(90, 170)), 64);
    assertArrayEquals(v, w, 1e-4);
    // The same figures as from the image itself.
    double[] img = PixelFeatures.of(halves(40, 200));
    double sum = 0;
    double sq = 0;
    for (double x : img) {
      sum += x;
      sq += x * x;
    }
    assertEquals(0, sum, 1e-9);
    assertEquals(1, sq, 1e-9);
  }
}
