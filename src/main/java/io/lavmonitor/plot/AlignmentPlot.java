package io.lavmonitor.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG that shows a streamed alignment: the query x reference cost matrix with the online path
 * (left), and progress and confidence over time (right).
 */
public final class AlignmentPlot {
  private static final int PANEL = 520;
  private static final int MARGIN = 50;
  // Anchors of the viridis colour map, dark (low cost) to bright (high cost).
  private static final int[][] VIRIDIS = {
      {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

  private AlignmentPlot() {}

  /**
   * Writes the plot.
   *
   * @param cost n x m cost matrix, row-major (n query frames, m reference frames)
   * @param index hard reference index per query frame
   * @param position soft reference position per query frame
   * @param progress progress per query frame
   * @param confidence confidence per query frame
   */
  public static void write(Path file, double[] cost, int n, int m, int[] index,
                           double[] position, double[] progress, double[] confidence,
                           String title) {
    BufferedImage img = new BufferedImage(2 * PANEL + MARGIN, PANEL + MARGIN,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    drawCostMatrix(g, cost, n, m, index, position, title);

    XYChart chart = new XYChartBuilder().width(PANEL).height(PANEL)
        .title("Progress through the reference cycle").xAxisTitle("query frame")
        .yAxisTitle("progress / confidence").build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.05);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    double[] frames = new double[n];
    for (int t = 0; t < n; t++) {
      frames[t] = t;
    }
    chart.addSeries("progress", frames, progress).setMarker(SeriesMarkers.NONE);
    chart.addSeries("confidence", frames, confidence).setMarker(SeriesMarkers.NONE);
    Graphics2D right = (Graphics2D) g.create(PANEL + MARGIN, MARGIN / 2, PANEL, PANEL);
    chart.paint(right, PANEL, PANEL);
    right.dispose();
    g.dispose();
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      ImageIO.write(img, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + file + ": " + e.getMessage(), e);
    }
  }

  private static void drawCostMatrix(Graphics2D g, double[] cost, int n, int m, int[] index,
                                     double[] position, String title) {
    int size = PANEL - MARGIN;
    int x0 = MARGIN;
    int y0 = MARGIN;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double c : cost) {
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
    }
    double span = hi > lo ? hi - lo : 1;
    // Query time runs left to right, the reference bottom to top.
    BufferedImage heat = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int px = 0; px < size; px++) {
      int t = Math.min(n - 1, (int) ((long) px * n / size));
      for (int py = 0; py < size; py++) {
        int j = Math.min(m - 1, (int) ((long) (size - 1 - py) * m / size));
        heat.setRGB(px, py, colour((cost[t * m + j] - lo) / span));
      }
    }
    g.drawImage(heat, x0, y0, null);
    g.setStroke(new BasicStroke(2f));
    g.setColor(Color.RED);
    drawTrack(g, x0, y0, size, n, m, index == null ? null : toDouble(index));
    g.setColor(Color.WHITE);
    g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
        new float[] {4f, 4f}, 0f));
    drawTrack(g, x0, y0, size, n, m, position);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, x0, y0 - 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("cost matrix (dark = low); red: online best index, white: soft position",
        x0, y0 - 6);
    g.drawString("query frame 0.." + (n - 1) + " \u2192", x0, y0 + size + 16);
    Graphics2D rot = (Graphics2D) g.create();
    rot.rotate(-Math.PI / 2);
    rot.drawString("reference frame 0.." + (m - 1) + " \u2192", -(y0 + size), x0 - 8);
    rot.dispose();
  }

  private static void drawTrack(Graphics2D g, int x0, int y0, int size, int n, int m,
                                double[] track) {
    if (track == null) {
      return;
    }
    int prevX = -1;
    int prevY = -1;
    for (int t = 0; t < track.length; t++) {
      int x = x0 + (int) ((t + 0.5) * size / n);
      int y = y0 + size - 1 - (int) ((track[t] + 0.5) * size / m);
      if (prevX >= 0) {
        g.drawLine(prevX, prevY, x, y);
      }
      prevX = x;
      prevY = y;
    }
  }

  private static double[] toDouble(int[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  public static int colour(double u) {
    double s = Math.max(0, Math.min(1, u)) * (VIRIDIS.length - 1);
    int k = Math.min((int) s, VIRIDIS.length - 2);
    double f = s - k;
    int rgb = 0;
    for (int c = 0; c < 3; c++) {
      int v = (int) Math.round(VIRIDIS[k][c] * (1 - f) + VIRIDIS[k + 1][c] * f);
      rgb = (rgb << 8) | v;
    }
    return rgb;
  }
}
