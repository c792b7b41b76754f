package io.lavmonitor.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one JPEG or PNG frame from untrusted bytes, reading the image's own header before any
 * pixel: an image larger than the pixel limit, or of another size than its sender claims, is
 * refused without allocating its pixels (a 31 KB PNG can say it is 16000 x 16000, 1 GB decoded).
 */
public final class ImageDecoder {
  /** Why an image was refused: {@code kind} is "undecodable", "oversized" or "wrong_size". */
  public static final class Refused extends RuntimeException {
    private final String kind;

    Refused(String kind, String message) {
      super(message);
      this.kind = kind;
    }

    public String kind() {
      return kind;
    }
  }

  private ImageDecoder() {}

  /**
   * The image, if its header says {@code width} x {@code height} (pass 0 to accept any size) and
   * at most {@code maxPixels}.
   */
  public static BufferedImage decode(byte[] bytes, int width, int height, long maxPixels) {
    // In memory: ImageIO's default stream for an InputStream caches through a temporary file.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new Refused("undecodable", "undecodable image: not a JPEG or PNG image");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        int w = r.getWidth(0);
        int h = r.getHeight(0);
        if (w <= 0 || h <= 0 || (long) w * h > maxPixels) {
          throw new Refused("oversized", "image header says " + w + "x" + h
              + ", more than the " + maxPixels + " pixels allowed");
        }
        if (width > 0 && (w != width || h != height)) {
          throw new Refused("wrong_size", "image is " + w + "x" + h + ", the envelope says "
              + width + "x" + height);
        }
        BufferedImage img = r.read(0);
        if (img == null) {
          throw new Refused("undecodable", "undecodable image: no pixels");
        }
        return img;
      } finally {
        r.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof Refused rf) {
        throw rf;
      }
      throw new Refused("undecodable", "undecodable image: " + e.getMessage());
    }
  }
}
