package io.lavmonitor.footage;

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
 * The simplest honest baseline: each frame scaled down to a small grey image, its mean removed
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
    double mean = 0;
    for (int i = 0; i < px.length; i++) {
      v[i] = px[i] & 0xff;
      mean += v[i];
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
