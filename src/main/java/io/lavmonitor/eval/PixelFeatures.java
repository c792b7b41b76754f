package io.lavmonitor.eval;

import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;

/**
 * The simplest honest baseline, measured like an embedding: each frame scaled down to a small grey image, its mean removed
 * and the vector scaled to unit length (so brightness and contrast changes cancel and frame
 * costs lie in [0, 4], as for the learned embeddings).
 */
public final class PixelFeatures {
  public static final int WIDTH = 25;
  public static final int HEIGHT = 19;

  private PixelFeatures() {}

  /** One row per frame of the video. */
  public static double[][] of(String video) {
    List<double[]> rows = new ArrayList<>();
    try (VideoSource src = VideoSources.open(video)) {
      for (VideoFrame f = src.next(); f != null; f = src.next()) {
        rows.add(of(f.toImage()));
      }
    }
    return rows.toArray(new double[0][]);
  }

  /** Side of the grid {@link #ofChw} averages an encoder input over. */
  public static final int GRID = 16;

  /**
   * The same baseline from an encoder input (float CHW, ImageNet-normalised, size x size):
   * luma averaged over a {@link #GRID} x {@link #GRID} grid, centred and unit-normalised.
   */
  public static double[] ofChw(float[] chw, int size) {
    int plane = size * size;
    double[] v = new double[GRID * GRID];
    int[] n = new int[GRID * GRID];
    float[] luma = {0.299f, 0.587f, 0.114f};
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int i = y * size + x;
        double g = 0;
        for (int c = 0; c < 3; c++) {
          g += luma[c] * (chw[c * plane + i] * Preprocessor.IMAGENET_STD[c]
              + Preprocessor.IMAGENET_MEAN[c]);
        }
        int cell = (y * GRID / size) * GRID + x * GRID / size;
        v[cell] += g;
        n[cell]++;
      }
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= Math.max(1, n[i]);
    }
    return centredUnit(v);
  }

  /** The feature vector of one image. */
  public static double[] of(BufferedImage img) {
    BufferedImage g = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D gr = g.createGraphics();
    gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    gr.drawImage(img, 0, 0, WIDTH, HEIGHT, null);
    gr.dispose();
    byte[] px = ((DataBufferByte) g.getRaster().getDataBuffer()).getData();
    double[] v = new double[px.length];
    for (int i = 0; i < px.length; i++) {
      v[i] = px[i] & 0xff;
    }
    return centredUnit(v);
  }

  /** The vector less its mean, scaled to unit length (in place). */
  private static double[] centredUnit(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] -= mean;
      norm += v[i] * v[i];
    }
    norm = Math.max(Math.sqrt(norm), 1e-9);
    for (int i = 0; i < v.length; i++) {
      v[i] /= norm;
    }
    return v;
  }
}
