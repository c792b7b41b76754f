package io.lavmonitor.experiment;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The paper's Fig. 5: few-shot accuracy against labelled videos, one line per method. */
final class ExperimentPlots {
  private ExperimentPlots() {}

  /** {@code means}: method -> mean accuracy per entry of {@code shots} (NaN where missing). */
  static void fewShot(String dataset, int[] shots, Map<String, double[]> means, Path png) {
    XYChart chart = new XYChartBuilder().width(720).height(480)
        .title("Few-shot phase classification: " + dataset).xAxisTitle("labelled training videos")
        .yAxisTitle("accuracy (mean over seeds)").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    means.forEach((method, y) -> { // shot counts a small dataset cannot give are left out
      int[] ok = java.util.stream.IntStream.range(0, y.length).filter(i -> !Double.isNaN(y[i]))
          .toArray();
      if (ok.length > 0) {
        chart.addSeries(method, java.util.Arrays.stream(ok).mapToDouble(i -> shots[i]).toArray(),
            java.util.Arrays.stream(ok).mapToDouble(i -> y[i]).toArray());
      }
    });
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
    }
  }
}
