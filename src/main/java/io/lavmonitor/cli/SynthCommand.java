package io.lavmonitor.cli;

import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav synth}: a labelled dataset of synthetic assembly-line recordings. */
@Command(name = "synth", mixinStandardHelpOptions = true,
    description = {"Render a labelled dataset of synthetic workstation recordings: "
        + "videos/NAME.mp4, labels/NAME.json and splits.json, deterministic for a seed.",
        "Tasks: assembly (pick_base, insert_part, fasten_screws, inspect, place_on_conveyor), "
            + "pour (grasp_jug, pour, stir, cap), press (load_blank, close_guard, press, "
            + "open_guard, unload). Running it again with another task into the same folder "
            + "adds that task's videos to splits.json."})
final class SynthCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset folder.")
  Path out;

  @Option(names = "--task", defaultValue = "assembly", paramLabel = "T",
      description = "assembly, pour or press (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(names = "--videos", defaultValue = "10", paramLabel = "N",
      description = "Number of videos (default: ${DEFAULT-VALUE}).")
  int videos;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--val-fraction", defaultValue = "0.25", paramLabel = "F",
      description = "Fraction of videos in the validation split (default: ${DEFAULT-VALUE}).")
  double valFraction;

  @Option(names = "--anomaly-rate", defaultValue = "0", paramLabel = "R",
      description = "Probability that a cycle has an anomaly: skipped or swapped phases, a "
          + "stall, a foreign object or a missing part (default: ${DEFAULT-VALUE}).")
  double anomalyRate;

  @Option(names = "--size", defaultValue = "224", paramLabel = "PX",
      description = "Frame width and height (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--fps", defaultValue = "15", description = "Frame rate (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--continuous",
      description = "Write long recordings of consecutive cycles with idle gaps, with the cycle "
          + "boundaries in the labels.")
  boolean continuous;

  @Option(names = "--cycles", defaultValue = "5", paramLabel = "C",
      description = "Cycles per recording with --continuous (default: ${DEFAULT-VALUE}).")
  int cycles;

  @Option(names = "--json", description = "Print a JSON summary.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SynthGenerator.Options o = new SynthGenerator.Options(Task.parse(task), videos, seed,
        valFraction, anomalyRate, size, fps, continuous, cycles);
    SynthGenerator.Result r;
    try (ProgressBar pb = BenchCommand.progress("synth " + task, videos)) {
      r = SynthGenerator.generate(out, o, frames -> {
        pb.step();
        pb.setExtraMessage(frames + " frames");
      });
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("out", out.toString());
    summary.put("task", task);
    summary.put("videos", r.videos().size());
    summary.put("frames", r.frames());
    summary.put("seconds", r.seconds());
    summary.put("frames_per_s", r.framesPerSecond());
    if (json) {
      spec.commandLine().getOut().println(Json.write(summary));
    } else {
      spec.commandLine().getOut().printf(Locale.ROOT,
          "wrote %d videos (%d frames) to %s in %.1f s: %.0f frames/s%n", r.videos().size(),
          r.frames(), out, r.seconds(), r.framesPerSecond());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
