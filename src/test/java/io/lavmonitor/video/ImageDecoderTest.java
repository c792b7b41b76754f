package io.lavmonitor.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Untrusted image bytes: the header is read and checked before any pixel is decoded. */
public class ImageDecoderTest {
  static byte[] image(String format, int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), format, out);
    return out.toByteArray();
  }

  /**
   * A small real PNG whose IHDR chunk is rewritten to claim width x height (with a valid CRC):
   * a few hundred bytes that would decode to width x height x 3 bytes.
   */
  public static byte[] lyingPng(int width, int height) throws Exception {
    byte[] png = image("png", 16, 16);
    ByteBuffer b = ByteBuffer.wrap(png);
    // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), 5 bytes, CRC (4).
    b.putInt(16, width).putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    b.putInt(29, (int) crc.getValue());
    return png;
  }

  @Test
  void anImageWhoseHeaderClaimsTooManyPixelsIsRefusedBeforeDecoding() throws Exception {
    byte[] liar = lyingPng(16000, 16000);
    ImageDecoder.Refused r = assertThrows(ImageDecoder.Refused.class,
        () -> ImageDecoder.decode(liar, 112, 112, 3840L * 2160));
    assertEquals("oversized", r.kind());
    assertEquals("image header says 16000x16000, more than the 8294400 pixels allowed",
        r.getMessage());
  }

  @Test
  void theRealSizeMustBeTheClaimedOne() throws Exception {
    byte[] jpeg = image("jpg", 64, 48);
    assertEquals(64, ImageDecoder.decode(jpeg, 64, 48, 1 << 20).getWidth());
    assertEquals(48, ImageDecoder.decode(jpeg, 0, 0, 1 << 20).getHeight(), "any size");
    ImageDecoder.Refused r = assertThrows(ImageDecoder.Refused.class,
        () -> ImageDecoder.decode(jpeg, 65, 48, 1 << 20));
    assertEquals("wrong_size", r.kind());
    assertEquals("image is 64x48, the envelope says 65x48", r.getMessage());
  }

  @Test
  void bytesThatAreNoImageAreUndecodable() throws Exception {
    assertEquals("undecodable", assertThrows(ImageDecoder.Refused.class,
        () -> ImageDecoder.decode("not an image".getBytes(), 0, 0, 1 << 20)).kind());
    byte[] jpeg = image("jpg", 64, 48);
    byte[] cut = java.util.Arrays.copyOf(jpeg, 40);
    assertEquals("undecodable", assertThrows(ImageDecoder.Refused.class,
        () -> ImageDecoder.decode(cut, 64, 48, 1 << 20)).kind());
  }
}
