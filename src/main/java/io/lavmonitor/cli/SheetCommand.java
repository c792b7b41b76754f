package io.lavmonitor.cli;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.plot.ContactSheet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lav sheet}: a contact sheet of a video. */
@Command(name = "sheet", mixinStandardHelpOptions = true,
    description = "Write a PNG contact sheet of evenly spaced frames of a video, each captioned "
        + "with its frame number and, with --labels, its phase and anomalies.")
final class SheetCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "VIDEO", description = "The video.")
  String video;

  @Option(names = "--labels", paramLabel = "L", description = "The video's label file.")
  Path labels;

  @Option(names = "--out", required = true, paramLabel = "PNG", description = "Output image: .png, or .jpg for a smaller file.")
  Path out;

  @Option(names = "--frames", defaultValue = "24", description = "Frames to show (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--columns", defaultValue = "6", description = "Columns (default: ${DEFAULT-VALUE}).")
  int columns;

  @Override
  public Integer call() {
    if (frames < 1 || columns < 1) {
      throw new io.lavmonitor.io.InvalidInputException("--frames and --columns must be >= 1");
    }
    VideoLabels l = labels == null ? null : VideoLabels.read(labels);
    long total = ContactSheet.write(video, l, out, frames, columns);
    spec.commandLine().getOut().println("wrote " + out + " (" + Math.min(frames, total)
        + " of " + total + " frames)");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
