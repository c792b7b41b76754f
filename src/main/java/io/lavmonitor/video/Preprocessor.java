package io.lavmonitor.video;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Turns a frame into the encoder's input: a size x size image, then float CHW normalised with the
 * ImageNet mean and standard deviation (the backbones expect it).
 *
 * @param size output side in pixels (224 by default)
 * @param centerCrop scale the shorter side to size and crop the centre; otherwise stretch the
 *     whole frame to size x size
 */
public record Preprocessor(int size, boolean centerCrop) {
  public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  public Preprocessor {
    if (size <= 0) {
      throw new VideoException("input size must be positive, got " + size);
    }
  }

  public static Preprocessor defaults() {
    return new Preprocessor(224, true);
  }

  /** The frame resized (and cropped) to size x size, bilinear. */
  public BufferedImage resize(BufferedImage src) {
    int w = src.getWidth();
    int h = src.getHeight();
    double scale = centerCrop ? (double) size / Math.min(w, h) : 1.0;
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    if (centerCrop) {
      int sw = (int) Math.round(w * scale);
      int sh = (int) Math.round(h * scale);
      g.drawImage(src, (size - sw) / 2, (size - sh) / 2, sw, sh, null);
    } else {
      g.drawImage(src, 0, 0, size, size, null);
    }
    g.dispose();
    return out;
  }

  /** Every remaining frame of the source, preprocessed, in order. */
  public java.util.List<float[]> chw(VideoSource source) {
    java.util.List<float[]> out = new java.util.ArrayList<>();
    for (VideoFrame f = source.next(); f != null; f = source.next()) {
      out.add(toChw(f));
    }
    return out;
  }

  /** Float CHW (3 x size x size), (pixel / 255 - mean) / std per channel. */
  public float[] toChw(VideoFrame frame) {
    return toChw(frame.toImage());
  }

  /** As {@link #toChw(VideoFrame)}, from a decoded image of any size and type. */
  public float[] toChw(BufferedImage image) {
    BufferedImage img = resize(image);
    byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    int plane = size * size;
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        float v = (bgr[3 * i + 2 - c] & 0xff) / 255f; // BGR bytes, RGB channels
        out[c * plane + i] = (v - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
      }
    }
    return out;
  }
}
