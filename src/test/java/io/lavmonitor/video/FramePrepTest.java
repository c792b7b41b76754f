package io.lavmonitor.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramePrepTest {

  @Test
  void imageRoundTripKeepsRgbOrder() {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xFF0000);
    img.setRGB(1, 0, 0x00FF00);
    img.setRGB(2, 1, 0x0000FF);
    VideoFrame f = VideoFrame.fromImage(0, 0, img);
    assertEquals((byte) 255, f.rgb()[0]);
    assertEquals(0, f.rgb()[1]);
    assertEquals((byte) 255, f.rgb()[4]);
    assertEquals((byte) 255, f.rgb()[3 * 5 + 2]);
    VideoFrame back = VideoFrame.fromImage(0, 0, f.toImage());
    assertArrayEquals(f.rgb(), back.rgb());
  }

  @Test
  void preprocessingNormalisesWithImageNetStatisticsInChwOrder() {
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(255, 128, 0));
    g.fillRect(0, 0, 320, 240);
    g.dispose();
    float[] chw = new Preprocessor(224, true).toChw(VideoFrame.fromImage(0, 0, img));
    int plane = 224 * 224;
    assertEquals(3 * plane, chw.length);
    assertEquals((1f - 0.485f) / 0.229f, chw[100], 1e-5);
    assertEquals((128 / 255f - 0.456f) / 0.224f, chw[plane + 100], 1e-5);
    assertEquals((0f - 0.406f) / 0.225f, chw[2 * plane + 100], 1e-5);
  }

  @Test
  void centreCropKeepsTheMiddleAndResizeKeepsEverything() {
    // A 400 x 200 frame: left and right quarters red, middle half green.
    BufferedImage img = new BufferedImage(400, 200, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 400, 200);
    g.setColor(Color.GREEN);
    g.fillRect(100, 0, 200, 200);
    g.dispose();
    BufferedImage crop = new Preprocessor(100, true).resize(img);
    assertEquals(0x00FF00, crop.getRGB(2, 50) & 0xFFFFFF, "crop is all middle");
    assertEquals(0x00FF00, crop.getRGB(97, 50) & 0xFFFFFF);
    BufferedImage squash = new Preprocessor(100, false).resize(img);
    assertEquals(0xFF0000, squash.getRGB(2, 50) & 0xFFFFFF, "stretch keeps the sides");
    assertEquals(0x00FF00, squash.getRGB(50, 50) & 0xFFFFFF);
  }

  @Test
  void segmentUniformTakesOneFrameFromEachSegment() {
    Random rnd = new Random(1);
    for (int trial = 0; trial < 200; trial++) {
      int n = 20 + rnd.nextInt(300);
      int[] idx = FrameSampling.segmentUniform(n, 20, rnd);
      for (int i = 0; i < 20; i++) {
        assertTrue(idx[i] >= (long) i * n / 20 && idx[i] < (long) (i + 1) * n / 20,
            "n=" + n + " segment " + i + " got " + idx[i]);
      }
    }
    // Shorter than p: every index valid and non-decreasing.
    int[] shortVideo = FrameSampling.segmentUniform(7, 20, rnd);
    for (int i = 0; i < 20; i++) {
      assertTrue(shortVideo[i] >= 0 && shortVideo[i] < 7);
      assertTrue(i == 0 || shortVideo[i] >= shortVideo[i - 1]);
    }
    assertArrayEquals(new int[] {4, 14, 24, 34}, FrameSampling.segmentCentres(40, 4));
  }

  @Test
  void contextFramesAreStridedAndClampedAtZero() {
    assertArrayEquals(new int[] {15, 30}, FrameSampling.context(30, 2, 15));
    assertArrayEquals(new int[] {0, 10}, FrameSampling.context(10, 2, 15));
    assertArrayEquals(new int[] {0, 0, 0, 3}, FrameSampling.context(3, 4, 5));
    assertThrows(VideoException.class, () -> FrameSampling.context(3, 0, 5));
  }
}
