package io.lavmonitor.video;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Writes real video files with FFmpeg for the tests: frame i shows a white bar at x = 4 + 2i. */
final class TestVideos {
  static final int WIDTH = 64;
  static final int HEIGHT = 48;

  private TestVideos() {}

  static BufferedImage barFrame(int i) {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(30, 40, 60));
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setColor(Color.WHITE);
    g.fillRect(barX(i), 0, 4, HEIGHT);
    g.dispose();
    return img;
  }

  static int barX(int i) {
    return 4 + 2 * (i % 26);
  }

  /** Asserts that the frame shows the bar of frame i (the 4-pixel-wide bar's brightest column). */
  static void assertBar(int i, VideoFrame f, String what) {
    int x = brightestColumn(f);
    org.junit.jupiter.api.Assertions.assertTrue(x >= barX(i) - 1 && x <= barX(i) + 4,
        what + ": bar at " + x + ", expected frame " + i + "'s bar at " + barX(i));
  }

  /** Column with the brightest mean in the frame: where the bar is. */
  static int brightestColumn(VideoFrame f) {
    int best = 0;
    double bestSum = -1;
    for (int x = 0; x < f.width(); x++) {
      double s = 0;
      for (int y = 0; y < f.height(); y++) {
        int p = 3 * (y * f.width() + x);
        s += (f.rgb()[p] & 0xff) + (f.rgb()[p + 1] & 0xff) + (f.rgb()[p + 2] & 0xff);
      }
      if (s > bestSum) {
        bestSum = s;
        best = x;
      }
    }
    return best;
  }

  /** Writes n bar frames with the given container format and codec. */
  static Path write(Path file, String format, String codec, int n, double fps) throws Exception {
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), WIDTH, HEIGHT);
         Java2DFrameConverter conv = new Java2DFrameConverter()) {
      rec.setFormat(format);
      rec.setVideoCodecName(codec);
      rec.setFrameRate(fps);
      if (codec.equals("libvpx")) {
        rec.setVideoBitrate(400_000);
      } else {
        rec.setVideoQuality(2);
      }
      rec.setPixelFormat(switch (codec) {
        case "gif" -> avutil.AV_PIX_FMT_RGB8;
        case "mjpeg" -> avutil.AV_PIX_FMT_YUVJ420P;
        default -> avutil.AV_PIX_FMT_YUV420P;
      });
      rec.start();
      for (int i = 0; i < n; i++) {
        rec.record(conv.convert(barFrame(i)));
      }
      rec.stop();
    }
    return file;
  }
}
