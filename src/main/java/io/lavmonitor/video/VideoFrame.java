package io.lavmonitor.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * One decoded frame: packed RGB bytes (row-major, 3 bytes per pixel, no padding).
 *
 * @param sequence index of the frame in its source, counting from 0; frames a source skipped
 *     as undecodable have no sequence number
 * @param timestampMicros capture time: the presentation time from the start of a file, or the
 *     wall-clock time (microseconds since the epoch) at which a live frame arrived
 */
public record VideoFrame(long sequence, long timestampMicros, int width, int height, byte[] rgb) {

  public VideoFrame {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException("RGB buffer of " + rgb.length + " bytes for a "
          + width + "x" + height + " frame");
    }
  }

  /** The frame as a Java2D image (3-byte BGR, the layout Java2D draws fastest). */
  public BufferedImage toImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int p = 0; p < width * height * 3; p += 3) {
      bgr[p] = rgb[p + 2];
      bgr[p + 1] = rgb[p + 1];
      bgr[p + 2] = rgb[p];
    }
    return img;
  }

  /** Copies an image of any type into a frame. */
  public static VideoFrame fromImage(long sequence, long timestampMicros, BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[w * h * 3];
    if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
      for (int p = 0; p < rgb.length; p += 3) {
        rgb[p] = bgr[p + 2];
        rgb[p + 1] = bgr[p + 1];
        rgb[p + 2] = bgr[p];
      }
    } else {
      int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
      for (int i = 0; i < argb.length; i++) {
        rgb[3 * i] = (byte) (argb[i] >> 16);
        rgb[3 * i + 1] = (byte) (argb[i] >> 8);
        rgb[3 * i + 2] = (byte) argb[i];
      }
    }
    return new VideoFrame(sequence, timestampMicros, w, h, rgb);
  }
}
