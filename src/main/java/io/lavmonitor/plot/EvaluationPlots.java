package io.lavmonitor.plot;

import io.lavmonitor.align.Cost;
import io.lavmonitor.eval.Measures;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The evaluation's figures: the few-shot curve (paper Fig. 5) and distance matrices (Fig. 4). */
public final class EvaluationPlots {
  private EvaluationPlots() {}

  /** Accuracy against the number of labelled training videos, with 95% intervals. */
  public static void fewShot(List<Measures.FewShot> points, Path png) {
    XYChart chart = new XYChartBuilder().width(640).height(440)
        .title("Few-shot phase classification").xAxisTitle("labelled training videos")
        .yAxisTitle("accuracy").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendVisible(false);
    double[] x = points.stream().mapToDouble(Measures.FewShot::shots).toArray();
    double[] y = points.stream().mapToDouble(Measures.FewShot::mean).toArray();
    double[] err = points.stream().mapToDouble(Measures.FewShot::ci95).toArray();
    if (x.length > 0) {
      chart.addSeries("accuracy", x, y, err);
    }
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }

  /** Squared distances between the frames of a and b (a against itself for a self-matrix). */
  public static void distanceMatrix(double[][] a, double[][] b, String title, Path png) {
    distanceMatrix(a, b, title, png, 0);
  }

  /**
   * As above, with the colour scale fixed at [0, scaleMax] (for instance 4, the largest squared
   * distance of unit vectors) so that figures compare; 0 scales to the matrix's own maximum.
   */
  public static void distanceMatrix(double[][] a, double[][] b, String title, Path png,
                                    double scaleMax) {
    int n = a.length;
    int m = b.length;
    double[] d = Cost.SQEUCLIDEAN.matrix(a, b);
    double max = 0;
    for (double v : d) {
      max = Math.max(max, v);
    }
    double top = scaleMax > 0 ? scaleMax : max;
    int size = 480;
    BufferedImage img = new BufferedImage(size + 60, size + 70, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int px = 0; px < size; px++) {
      int j = Math.min(m - 1, px * m / size);
      for (int py = 0; py < size; py++) {
        int i = Math.min(n - 1, py * n / size);
        img.setRGB(40 + px, 40 + py, AlignmentPlot.colour(top > 0
            ? Math.min(1, d[i * m + j] / top) : 0));
      }
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, 40, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString(String.format(java.util.Locale.ROOT, "squared distance: dark 0, bright %.3g "
        + "(largest here %.3g)", top, max), 40, 34);
    g.drawString("frames 0.." + (m - 1) + " \u2192", 40, size + 56);
    g.dispose();
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      ImageIO.write(img, "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }
}
