package io.lavmonitor.cli;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.engine.StationReference;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.monitor.MonitorConfig;
import io.lavmonitor.replay.Replay;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.station.ReferenceBuilder;
import io.lavmonitor.wire.Events;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav replay}: the monitor's per-camera engine over a recording, without Kafka. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {
        "Run the monitor's per-camera engine over a recording, without Kafka: each frame is "
            + "JPEG-encoded as a camera agent sends it, embedded, aligned against the "
            + "reference and checked by the monitor's rules, with the thresholds of "
            + "--config (a monitor properties file; LAV_* environment overrides apply).",
        "With --json it prints exactly the records the output topics would carry, one JSON "
            + "line each: {\"topic\": ..., \"key\": ..., \"value\": ...}. Without it, one line "
            + "per cycle and per alert. For tuning thresholds on one's own footage."})
final class ReplayCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "M",
      description = "A model: version folder, or store (its promoted default).")
  Path model;

  @Option(names = "--reference", required = true, paramLabel = "V",
      description = "The station's reference cycle video. Repeat it (with one "
          + "--reference-labels each) for several normal cycles: the DTW medoid is used, as "
          + "lav reference publishes it.")
  List<String> references;

  @Option(names = "--reference-labels", required = true, paramLabel = "L",
      description = "Its label file (phase names and per-frame labels, as lav synth writes).")
  List<Path> referenceLabels;

  @Option(names = "--video", required = true, paramLabel = "RECORDING",
      description = "The recording to replay (a file, an image folder or a URL FFmpeg opens).")
  String video;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Monitor properties (lav.align.*, lav.anomaly.*, lav.progress.every); "
          + "default: the monitor's defaults.")
  Path config;

  @Option(names = "--camera", defaultValue = "replay", paramLabel = "ID",
      description = "Camera id on the records (default: ${DEFAULT-VALUE}).")
  String camera;

  @Option(names = "--station", defaultValue = "replay", paramLabel = "ID",
      description = "Station id on the records (default: ${DEFAULT-VALUE}).")
  String station;

  @Option(names = "--fps", defaultValue = "0", paramLabel = "F",
      description = "Play at this frame rate, as a camera agent with --fps would (default: "
          + "the recording's).")
  double fps;

  @Option(names = "--jpeg-quality", defaultValue = "0.85", paramLabel = "Q",
      description = "JPEG quality of the frames, as the camera agent's (default: "
          + "${DEFAULT-VALUE}).")
  float jpegQuality;

  @Option(names = "--device", defaultValue = "auto",
      description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--json", description = "Print every output record as a JSON line.")
  boolean json;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Also write every output record as JSON lines to FILE.")
  Path out;

  @Override
  public Integer call() {
    MonitorConfig cfg = MonitorConfig.offline(config, System.getenv());
    MonitorConfig.Settings ms = cfg.settings();
    Replay.Settings settings = new Replay.Settings(camera, station, fps, jpegQuality,
        ms.progressEvery(), ms.thresholds());
    List<VideoLabels> labels = new java.util.ArrayList<>();
    for (Path l : referenceLabels) {
      labels.add(VideoLabels.read(l));
    }
    ModelStore.Version version = ModelStore.resolve(model);
    PrintWriter stdout = spec.commandLine().getOut();
    var dev = Encoders.device(device);
    try (ModelRegistry reg = new ModelRegistry(version.dir().toAbsolutePath().getParent(), dev)) {
      ModelRegistry.Model m = reg.get(version.card().id(),
          version.dir().toAbsolutePath().toUri().toString());
      StationReference ref = StationReference.of(ReferenceBuilder.buildMedoid(references,
          labels, station, m, dev).reference());
      Replay.Summary sum;
      try (Writer file = out == null ? null : Files.newBufferedWriter(out);
           Replay replay = new Replay(m, ref, dev);
           ProgressBar pb = BenchCommand.progress("replay", -1)) {
        sum = replay.run(video, settings, o -> {
          String line = Json.write(o); // {"topic", "key", "value"}
          if (json) {
            stdout.println(line);
          } else {
            describe(stdout, o.value());
          }
          if (file != null) {
            try {
              file.write(line);
              file.write('\n');
            } catch (IOException e) {
              throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
          }
        }, new Replay.Listener() {
          @Override
          public void started(long frames) {
            pb.maxHint(frames);
          }

          @Override
          public void frame() {
            pb.step();
          }
        });
      }
      if (!json) {
        stdout.printf(Locale.ROOT, "%d frames at %.1f fps: %d cycles, %d alerts%n",
            sum.frames(), sum.fps(), sum.cycles(), sum.anomalies());
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot write " + out + ": " + e.getMessage());
    }
    stdout.flush();
    return 0;
  }


  private static void describe(PrintWriter out, Object v) {
    if (v instanceof Events.CycleSummary c) {
      out.printf(Locale.ROOT, "cycle %s  frames %d-%d  %.1f s (reference %.1f s)  cost %.3f%n",
          c.cycleId(), c.startSequence(), c.endSequence(), c.seconds(),
          c.referenceSeconds(), c.cost());
    } else if (v instanceof Events.Anomaly a) {
      out.printf(Locale.ROOT, "alert %s %s  %s%n", a.severity(), a.type(), a.message());
    }
  }
}
