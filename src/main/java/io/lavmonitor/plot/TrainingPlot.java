package io.lavmonitor.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The training curve: loss per step (raw and smoothed) above the validation measures. */
public final class TrainingPlot {
  private TrainingPlot() {}

  public static void write(List<Integer> steps, List<Double> losses,
                           Map<Integer, Map<String, Double>> evals, Path png) {
    XYChart loss = new XYChartBuilder().width(720).height(320).title("Training loss")
        .xAxisTitle("step").yAxisTitle("loss").build();
    loss.getStyler().setChartBackgroundColor(Color.WHITE);
    loss.getStyler().setMarkerSize(0);
    double[] x = new double[steps.size()];
    double[] y = new double[steps.size()];
    double[] smooth = new double[steps.size()];
    double s = Double.NaN;
    int n = 0;
    for (int i = 0; i < steps.size(); i++) {
      double l = losses.get(i);
      if (!Double.isFinite(l)) {
        continue;
      }
      s = Double.isNaN(s) ? l : 0.95 * s + 0.05 * l;
      x[n] = steps.get(i);
      y[n] = l;
      smooth[n] = s;
      n++;
    }
    if (n > 0) {
      XYSeries raw = loss.addSeries("loss", java.util.Arrays.copyOf(x, n),
          java.util.Arrays.copyOf(y, n));
      raw.setLineColor(new Color(170, 190, 230));
      raw.setMarker(SeriesMarkers.NONE);
      XYSeries sm = loss.addSeries("smoothed", java.util.Arrays.copyOf(x, n),
          java.util.Arrays.copyOf(smooth, n));
      sm.setLineColor(new Color(20, 60, 160));
      sm.setMarker(SeriesMarkers.NONE);
    }
    XYChart val = new XYChartBuilder().width(720).height(280).title("Validation")
        .xAxisTitle("step").yAxisTitle("value").build();
    val.getStyler().setChartBackgroundColor(Color.WHITE);
    TreeSet<String> names = new TreeSet<>();
    evals.values().forEach(m -> names.addAll(m.keySet()));
    for (String name : names) {
      double[] ex = evals.entrySet().stream().filter(e -> e.getValue().containsKey(name))
          .mapToDouble(Map.Entry::getKey).toArray();
      double[] ey = evals.values().stream().filter(m -> m.containsKey(name))
          .mapToDouble(m -> m.get(name)).toArray();
      if (ex.length > 0) {
        val.addSeries(name, ex, ey);
      }
    }
    BufferedImage top = BitmapEncoder.getBufferedImage(loss);
    BufferedImage bottom = BitmapEncoder.getBufferedImage(val);
    BufferedImage img = new BufferedImage(720, top.getHeight() + bottom.getHeight(),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.drawImage(top, 0, 0, null);
    g.drawImage(bottom, 0, top.getHeight(), null);
    g.dispose();
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
      ImageIO.write(img, "png", tmp.toFile());
      Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }
}
