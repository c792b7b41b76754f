package io.lavmonitor.cli;

import io.lavmonitor.align.Band;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Dtw;
import io.lavmonitor.align.SoftDtw;
import io.lavmonitor.io.ArrayFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav sdtw}: soft-DTW value, hard DTW and its path, optionally the gradients. */
@Command(name = "sdtw", mixinStandardHelpOptions = true,
    description = {
        "Soft-DTW discrepancy between two sequences (rows = frames, .npy or .csv).",
        "Prints JSON {\"value\", \"dtw\", \"path\"}; with --grad also \"gradX\" and \"gradY\"."})
final class SdtwCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--x", required = true, paramLabel = "X", description = "First sequence.")
  Path x;

  @Option(names = "--y", required = true, paramLabel = "Y", description = "Second sequence.")
  Path y;

  @Option(names = "--gamma", defaultValue = "1.0", paramLabel = "G",
      description = "Smoothing, > 0 (default: ${DEFAULT-VALUE}).")
  double gamma;

  @Option(names = "--grad", description = "Also print the gradients for X and Y.")
  boolean grad;

  @Option(names = "--band", paramLabel = "W",
      description = "Sakoe-Chiba band half-width in frames (default: none).")
  Integer band;

  @Option(names = "--cost", defaultValue = "sqeuclidean", paramLabel = "C",
      description = "sqeuclidean or cosine (default: ${DEFAULT-VALUE}).")
  String cost;

  @Override
  public Integer call() {
    double[][] xs = ArrayFiles.readSequence(x);
    double[][] ys = ArrayFiles.readSequence(y);
    Cost c = Cost.parse(cost);
    Band b = Band.of(band);
    SoftDtw sdtw = new SoftDtw(gamma, b);
    Map<String, Object> out = new LinkedHashMap<>();
    double[][] gx = null;
    double[][] gy = null;
    double value;
    if (grad) {
      SoftDtw.Gradient g = sdtw.gradient(xs, ys, c);
      value = g.value();
      gx = g.gradX();
      gy = g.gradY();
    } else {
      value = sdtw.value(xs, ys, c);
    }
    Dtw.Result hard = Dtw.align(c.matrix(xs, ys), xs.length, ys.length, b);
    out.put("value", value);
    out.put("dtw", hard.value());
    out.put("path", hard.path());
    if (grad) {
      out.put("gradX", gx);
      out.put("gradY", gy);
    }
    spec.commandLine().getOut().println(Json.write(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
