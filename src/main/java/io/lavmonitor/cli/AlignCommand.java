package io.lavmonitor.cli;

import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Reference;
import io.lavmonitor.align.StreamingAligner;
import io.lavmonitor.align.StreamingAligner.Config;
import io.lavmonitor.align.StreamingAligner.Mode;
import io.lavmonitor.align.StreamingAligner.Step;
import io.lavmonitor.io.ArrayFiles;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.io.PhaseLabels;
import io.lavmonitor.plot.AlignmentPlot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav align}: streams a query through the incremental aligner, frame by frame. */
@Command(name = "align", mixinStandardHelpOptions = true,
    description = {
        "Stream the query sequence through the incremental aligner against the reference, one "
            + "frame at a time, as the monitor does with a live camera.",
        "Writes one row per query frame: frame,position,progress,phase,local_cost,cost,"
            + "confidence (to --out, else to standard output). In continuous mode it also lists "
            + "the detected cycles."})
final class AlignCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--reference", required = true, paramLabel = "R",
      description = "Reference cycle embeddings (.npy or .csv, rows = frames).")
  Path reference;

  @Option(names = "--query", required = true, paramLabel = "Q",
      description = "Query embeddings (.npy or .csv, rows = frames).")
  Path query;

  @Option(names = "--reference-labels", paramLabel = "L",
      description = "Phase labels of the reference: a JSON array of per-frame labels, a label "
          + "file with \"frame_labels\", or a one-column .npy/.csv.")
  Path referenceLabels;

  @Option(names = "--mode", defaultValue = "cycle", paramLabel = "MODE",
      description = "cycle (the query is one cycle) or continuous (find cycles in the stream). "
          + "Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = "--gamma", defaultValue = "0.1", paramLabel = "G",
      description = "Soft-min smoothing (default: ${DEFAULT-VALUE}).")
  double gamma;

  @Option(names = "--cost", defaultValue = "sqeuclidean", paramLabel = "C",
      description = "sqeuclidean or cosine (default: ${DEFAULT-VALUE}).")
  String cost;

  @Option(names = "--threshold", defaultValue = "auto", paramLabel = "T",
      description = "Continuous mode: largest cost per path step of a cycle, or auto: "
          + "calibrated from each frame's cost to its nearest reference frame and from the "
          + "cycles found (default: ${DEFAULT-VALUE}; unit-norm embeddings have costs in "
          + "[0, 4]).")
  String threshold;

  @Option(names = "--min-cycle-fraction", defaultValue = "0.5", paramLabel = "F",
      description = "Continuous mode: a match shorter than this fraction of the reference is "
          + "not a cycle, as in the monitor (default: ${DEFAULT-VALUE}; 0 for no limit).")
  double minCycleFraction;

  @Option(names = "--confirm-delay", defaultValue = "0", paramLabel = "F",
      description = "Continuous mode: report a cycle at most F frames after its end "
          + "(default: the reference length).")
  int confirmDelay;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the per-frame CSV here.")
  Path out;

  @Option(names = "--plot", paramLabel = "PNG",
      description = "Draw the cost matrix with the path, and the progress curve.")
  Path plot;

  @Option(names = "--json", description = "Print JSON {\"frames\": [...], \"cycles\": [...]}.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    double[][] ref = ArrayFiles.readSequence(reference);
    double[][] q = ArrayFiles.readSequence(query);
    PhaseLabels labels = referenceLabels == null ? null : PhaseLabels.read(referenceLabels);
    Reference r = new Reference(ref, labels == null ? null : labels.labels(),
        labels == null ? null : labels.names());
    Mode m = Mode.parse(mode);
    if (q[0].length != ref[0].length) {
      throw new InvalidInputException("dimension mismatch: " + query + " has " + q[0].length
          + "-d frames, " + reference + " has " + ref[0].length + "-d frames");
    }
    if (!(minCycleFraction >= 0 && minCycleFraction <= 1)) {
      throw new InvalidInputException("--min-cycle-fraction must be in [0, 1], got "
          + minCycleFraction);
    }
    Config config = new Config(m, gamma, Cost.parse(cost), parseThreshold(threshold),
        confirmDelay, (int) Math.round(minCycleFraction * ref.length));
    StreamingAligner aligner = new StreamingAligner(r, config);

    List<Step> steps = new ArrayList<>(q.length);
    List<StreamingAligner.Cycle> cycles = new ArrayList<>();
    for (double[] frame : q) {
      Step s = aligner.push(frame);
      steps.add(s);
      if (s.completed() != null) {
        cycles.add(s.completed());
      }
    }

    PrintWriter stdout = spec.commandLine().getOut();
    if (out != null) {
      try (Writer w = Files.newBufferedWriter(out)) {
        writeCsv(new PrintWriter(w), steps);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
      }
    }
    if (json) {
      stdout.println(Json.write(toJson(steps, cycles, m)));
    } else {
      if (out == null) {
        writeCsv(stdout, steps);
      }
      if (m == Mode.CONTINUOUS) {
        stdout.println("# cycles: " + cycles.size());
        stdout.println("# start,end,cost");
        for (StreamingAligner.Cycle c : cycles) {
          stdout.printf(Locale.ROOT, "# %d,%d,%.6f%n", c.start(), c.end(), c.cost());
        }
      }
    }
    stdout.flush();
    if (plot != null) {
      int n = q.length;
      int[] index = new int[n];
      double[] pos = new double[n];
      double[] progress = new double[n];
      double[] confidence = new double[n];
      for (int t = 0; t < n; t++) {
        Step s = steps.get(t);
        index[t] = s.index();
        pos[t] = s.position();
        progress[t] = s.progress();
        confidence[t] = s.confidence();
      }
      AlignmentPlot.write(plot, config.cost().matrix(q, ref), n, ref.length, index, pos,
          progress, confidence, query.getFileName() + " against " + reference.getFileName()
              + " (" + mode + ")");
    }
    return 0;
  }

  private static void writeCsv(PrintWriter w, List<Step> steps) {
    w.println("frame,position,progress,phase,local_cost,cost,confidence");
    for (Step s : steps) {
      w.printf(Locale.ROOT, "%d,%.4f,%.6f,%s,%.6f,%.6f,%.6f%n", s.frame(), s.position(),
          s.progress(), s.phase() == null ? "" : csvField(s.phase()), s.localCost(), s.cost(),
          s.confidence());
    }
    w.flush();
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static Map<String, Object> toJson(List<Step> steps, List<StreamingAligner.Cycle> cycles,
                                            Mode mode) {
    List<Map<String, Object>> frames = new ArrayList<>();
    for (Step s : steps) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("frame", s.frame());
      f.put("position", s.position());
      f.put("progress", s.progress());
      f.put("phase", s.phase());
      f.put("local_cost", s.localCost());
      f.put("cost", s.cost());
      f.put("confidence", s.confidence());
      frames.add(f);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("frames", frames);
    if (mode == Mode.CONTINUOUS) {
      List<Map<String, Object>> cs = new ArrayList<>();
      for (StreamingAligner.Cycle c : cycles) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", c.start());
        m.put("end", c.end());
        m.put("cost", c.cost());
        cs.add(m);
      }
      out.put("cycles", cs);
    }
    return out;
  }

  private static double parseThreshold(String t) {
    if (t.equalsIgnoreCase("auto")) {
      return Config.AUTO;
    }
    try {
      double v = Double.parseDouble(t);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new InvalidInputException("--threshold must be auto or a number > 0, got " + t);
  }
}
