package io.lavmonitor.synth;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.SplittableRandom;

/**
 * Draws the frames of one recording: the task's scene through a jittering camera, then the
 * sensor: lighting and colour cast with a slow flicker, motion blur and noise.
 */
final class Renderer {
  private static final int NOISE_SIZE = 1 << 16;

  private final StationPainter painter;
  private final Variation v;
  private final int size;
  private final SplittableRandom rnd;
  private final float[] noise = new float[NOISE_SIZE];
  private final BufferedImage canvas;
  private final BufferedImage out;
  private final int[] lut = new int[3 * 256];
  private final double shakePhase;
  private boolean first = true;

  Renderer(Task task, Variation v, int size, SplittableRandom rnd) {
    this.painter = StationPainter.of(task);
    this.v = v;
    this.size = size;
    this.rnd = rnd;
    for (int i = 0; i < NOISE_SIZE; i++) {
      noise[i] = (float) (rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() - 1.5) * 2f;
    }
    this.shakePhase = rnd.nextDouble(0, 2 * Math.PI);
    this.canvas = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
    this.out = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
  }

  /** Frame t of the recording. The returned image is reused by the next call. */
  BufferedImage render(Plan.Shot shot, int t, double fps) {
    double time = t / fps;
    Graphics2D g = canvas.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.translate(size / 2.0, size / 2.0);
    g.rotate(v.camAngle + 0.004 * Math.sin(time * 1.1 + shakePhase));
    g.scale(size * v.camScale, size * v.camScale);
    g.translate(-0.5 + v.camDx + 0.002 * Math.sin(time * 2.3 + shakePhase),
        -0.5 + v.camDy + 0.002 * Math.cos(time * 1.9 + shakePhase));
    painter.paint(g, shot, v, time);
    g.dispose();
    sensor(time);
    return out;
  }

  private void sensor(double time) {
    double flicker = v.flickerAmp * Math.sin(2 * Math.PI * time * 15 / v.flickerPeriod);
    for (int c = 0; c < 3; c++) {
      // Bytes are B, G, R; the tint is R, G, B.
      double tint = v.tint[2 - c];
      for (int x = 0; x < 256; x++) {
        double y = ((x - 128) * v.contrast + 128 + v.brightness + flicker) * tint;
        lut[c * 256 + x] = (int) Math.max(0, Math.min(255, Math.round(y)));
      }
    }
    byte[] src = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    int blur = first ? 0 : (int) Math.round(v.blur * 256);
    int offset = rnd.nextInt(NOISE_SIZE);
    float sigma = (float) v.noise;
    for (int i = 0; i < src.length; i++) {
      int lit = lut[(i % 3) * 256 + (src[i] & 0xff)];
      // Motion blur: a weighted average with the previous frame (the sensor integrates).
      int val = blur == 0 ? lit : (lit * (256 - blur) + (dst[i] & 0xff) * blur) >> 8;
      val += Math.round(noise[(offset + i) & (NOISE_SIZE - 1)] * sigma);
      dst[i] = (byte) Math.max(0, Math.min(255, val));
    }
    first = false;
  }
}
