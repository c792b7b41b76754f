package io.lavmonitor.plot;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A grid of evenly spaced frames of a video, each captioned with its phase and anomalies; PNG, or
 * JPEG when the file name ends in .jpg (much smaller for noisy footage).
 */
public final class ContactSheet {
  private static final int TILE = 200;

  private ContactSheet() {}

  /** Writes the sheet; returns the number of frames in the video. */
  public static long write(String video, VideoLabels labels, Path png, int count, int columns) {
    long total;
    try (VideoSource s = VideoSources.open(video)) {
      total = s.info().frameCount();
    }
    if (total <= 0) {
      try (VideoSource s = VideoSources.open(video)) {
        total = 0;
        while (s.next() != null) {
          total++;
        }
      }
    }
    int n = (int) Math.min(count, total);
    long[] wanted = new long[n];
    for (int i = 0; i < n; i++) {
      wanted[i] = n == 1 ? 0 : Math.round(i * (total - 1) / (double) (n - 1));
    }
    List<VideoFrame> frames = new ArrayList<>();
    try (VideoSource s = VideoSources.open(video)) {
      int next = 0;
      for (VideoFrame f = s.next(); f != null && next < n; f = s.next()) {
        while (next < n && wanted[next] == f.sequence()) {
          frames.add(f);
          next++;
        }
      }
    }
    int cols = Math.min(columns, Math.max(1, frames.size()));
    int rows = (frames.size() + cols - 1) / cols;
    BufferedImage sheet = new BufferedImage(cols * TILE, rows * (TILE + 34) + 28,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(new Color(24, 24, 28));
    g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(Path.of(video).getFileName() + "  (" + total + " frames)", 8, 19);
    for (int i = 0; i < frames.size(); i++) {
      VideoFrame f = frames.get(i);
      int x = (i % cols) * TILE;
      int y = 28 + (i / cols) * (TILE + 34);
      BufferedImage img = f.toImage();
      double scale = Math.min((double) TILE / f.width(), (double) TILE / f.height());
      int w = (int) (f.width() * scale);
      int h = (int) (f.height() * scale);
      g.drawImage(img, x + (TILE - w) / 2, y + (TILE - h) / 2, w, h, null);
      int t = (int) f.sequence();
      String phase = labels != null && t < labels.numFrames() ? labels.phaseAt(t) : "";
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.WHITE);
      g.drawString("#" + t + "  " + phase, x + 4, y + TILE + 14);
      String anomaly = labels == null ? "" : anomalyAt(labels, t);
      if (!anomaly.isEmpty()) {
        g.setColor(new Color(255, 90, 80));
        g.drawRect(x + 1, y + 1, TILE - 3, TILE - 3);
        g.drawString(anomaly, x + 4, y + TILE + 29);
      }
    }
    g.dispose();
    try {
      if (png.getParent() != null) {
        Files.createDirectories(png.getParent());
      }
      String name = png.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      boolean jpeg = name.endsWith(".jpg") || name.endsWith(".jpeg");
      ImageIO.write(sheet, jpeg ? "jpg" : "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
    return total;
  }

  private static String anomalyAt(VideoLabels labels, int t) {
    List<String> hits = new ArrayList<>();
    for (VideoLabels.Anomaly a : labels.anomalies()) {
      if (t >= a.start() && t <= a.end()) {
        hits.add(a.type());
      }
    }
    return String.join(", ", hits);
  }
}
