package io.lavmonitor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lavmonitor.align.Band;
import io.lavmonitor.align.StreamingAligner;
import io.lavmonitor.bench.SoftDtwBench;
import io.lavmonitor.bench.StreamBench;
import io.lavmonitor.io.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav bench}: throughput of the alignment core on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure the speed of the alignment core. Run on an otherwise idle machine; "
        + "compare ratios measured in the same run rather than absolute figures.",
    subcommands = {BenchCommand.Sdtw.class, BenchCommand.Stream.class, BenchCommand.Embed.class,
        BenchCommand.Monitor.class, BenchCommand.Faults.class, BenchCommand.Footage.class,
        BenchCommand.Detect.class})
final class BenchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static ProgressBar progress(String task, long max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII).setConsumer(
            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .build();
  }

  private static void print(CommandSpec spec, boolean json, Map<String, Object> result) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(result));
    } else {
      result.forEach((k, v) -> out.printf(Locale.ROOT, "%-26s %s%n", k,
          v instanceof Double dv ? String.format(Locale.ROOT, "%.4g", dv) : v));
    }
    out.flush();
  }

  /** {@code lav bench sdtw}. */
  @Command(name = "sdtw", mixinStandardHelpOptions = true,
      description = {"Soft-DTW forward + backward with the squared-Euclidean cost matrix and the "
          + "gradients for X and Y, on random data in [0, 1).",
          "Prints {\"ns_per_cell\", \"cells_per_s\"}; with --baseline-c it also compiles the "
              + "bundled C baseline with gcc -O3, runs it on the same data, and prints its "
              + "figures and the ratio."})
  static final class Sdtw implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--n", defaultValue = "256", description = "Frames of X (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--m", defaultValue = "256", description = "Frames of Y (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--d", defaultValue = "128", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--repeat", defaultValue = "30", description = "Timed calls (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--gamma", defaultValue = "0.1", description = "Smoothing (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--band", description = "Sakoe-Chiba band width (default: none).")
    Integer band;

    @Option(names = "--baseline-c", description = "Also time the C baseline (needs gcc).")
    boolean baselineC;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (n <= 0 || m <= 0 || d <= 0 || repeat <= 0) {
        throw new InvalidInputException("--n, --m, --d and --repeat must be positive");
      }
      new io.lavmonitor.align.SoftDtw(gamma, Band.of(band)); // validates before any work starts
      SoftDtwBench.Result r;
      try (ProgressBar pb = progress("soft-DTW", repeat + Math.max(repeat / 3, 1))) {
        r = SoftDtwBench.run(n, m, d, repeat, gamma, Band.of(band), pb::step);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("n", n);
      out.put("m", m);
      out.put("d", d);
      out.put("ns_per_cell", r.nsPerCell());
      out.put("cells_per_s", r.cellsPerSecond());
      out.put("ms_per_call", r.nsPerCall() / 1e6);
      out.put("value", r.value());
      if (baselineC) {
        if (band != null) {
          throw new InvalidInputException("the C baseline has no band; drop --band");
        }
        JsonNode c = runC(n, m, d, repeat, gamma);
        double cNsPerCell = c.get("ns_per_call").asDouble() / ((double) n * m);
        out.put("c_ns_per_cell", cNsPerCell);
        out.put("c_cells_per_s", 1e9 / cNsPerCell);
        out.put("c_value", c.get("value").asDouble());
        out.put("speedup_vs_c", cNsPerCell / r.nsPerCell());
      }
      print(spec, json, out);
      return 0;
    }

    private static JsonNode runC(int n, int m, int d, int repeat, double gamma)
        throws IOException, InterruptedException {
      Path dir = Files.createTempDirectory("lav-bench");
      Path src = dir.resolve("softdtw_baseline.c");
      try (InputStream in = BenchCommand.class.getResourceAsStream(
          "/io/lavmonitor/bench/softdtw_baseline.c")) {
        Files.copy(in, src);
      }
      Path exe = dir.resolve("softdtw_baseline");
      String compile = exec(dir, "gcc", "-O3", "-o", exe.toString(), src.toString(), "-lm");
      if (!Files.isExecutable(exe)) {
        throw new InvalidInputException("gcc could not build the C baseline: " + compile);
      }
      String json = exec(dir, exe.toString(), Integer.toString(n), Integer.toString(m),
          Integer.toString(d), Integer.toString(repeat), Double.toString(gamma));
      return Json.MAPPER.readTree(json);
    }

    private static String exec(Path dir, String... cmd) throws IOException, InterruptedException {
      Process p;
      try {
        p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new InvalidInputException("cannot run " + cmd[0] + " (is it installed?): "
            + e.getMessage());
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new InvalidInputException(cmd[0] + " failed: " + output.strip());
      }
      return output;
    }
  }

  /** {@code lav bench stream}. */
  @Command(name = "stream", mixinStandardHelpOptions = true,
      description = {"One streaming-aligner update per frame against an m-frame reference.",
          "Prints {\"us_per_frame\"} and, for comparison on the same frames, the cost of "
              + "recomputing the whole prefix alignment at every frame."})
  static final class Stream implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--m", defaultValue = "512", description = "Reference frames (default: ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--d", defaultValue = "128", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--frames", defaultValue = "20000", description = "Timed frames (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--recompute-frames", defaultValue = "200",
        description = "Frames of the recompute baseline; its cost per frame grows with this "
            + "(default: ${DEFAULT-VALUE}).")
    int recomputeFrames;

    @Option(names = "--mode", defaultValue = "cycle", description = "cycle or continuous (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--data", defaultValue = "cycles",
        description = "cycles (noisy warped cycles with idle spells, as a camera sees) or random "
            + "(unstructured unit vectors, the worst case). Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--pattern", defaultValue = "slope",
        description = "The step pattern: slope or soft (default: ${DEFAULT-VALUE}).")
    String pattern;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      if (!data.equals("cycles") && !data.equals("random")) {
        throw new InvalidInputException("unknown --data '" + data + "' (expected cycles or random)");
      }
      if (m <= 0 || d <= 0 || frames <= 0 || recomputeFrames <= 0) {
        throw new InvalidInputException("--m, --d, --frames and --recompute-frames must be "
            + "positive");
      }
      StreamingAligner.Mode md = StreamingAligner.Mode.parse(mode);
      StreamBench.Result r;
      try (ProgressBar pb = progress("stream", frames / 1024 + 1 + 2L * recomputeFrames)) {
        r = StreamBench.run(m, d, frames, recomputeFrames, md, StreamingAligner.Pattern.valueOf(
            pattern.toUpperCase(Locale.ROOT)), data.equals("random"), pb::step);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("m", m);
      out.put("d", d);
      out.put("mode", mode);
      out.put("data", data);
      out.put("pattern", pattern);
      out.put("us_per_frame", r.usPerFrame());
      out.put("frames_per_s", 1e6 / r.usPerFrame());
      out.put("recompute_frames", recomputeFrames);
      out.put("recompute_us_per_frame", r.recomputeUsPerFrame());
      out.put("speedup_vs_recompute", r.speedup());
      print(spec, json, out);
      return 0;
    }
  }

  /** {@code lav bench embed}. */
  @Command(name = "monitor", mixinStandardHelpOptions = true,
      description = "N synthetic cameras at F frames/s through a real in-process broker and the "
          + "monitor for D seconds: sustained frames/s, p50/p99 latency (capture to progress "
          + "record), CPU per camera, and the backlog every 10 s.")
  static final class Monitor implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cameras", defaultValue = "4", description = "Cameras (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--fps", defaultValue = "10", description = "Frames/s per camera (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--duration", defaultValue = "60", paramLabel = "SECONDS",
        description = "Seconds of load (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--model", paramLabel = "M", description = "Model (default: the shipped one).")
    java.nio.file.Path model;

    @Option(names = "--backbone", paramLabel = "B",
        description = "Run a randomly initialised model of this backbone (small, "
            + "resnet50-conv4c, resnet50-conv5c) instead of the shipped model: speed and state "
            + "size do not depend on the weights.")
    String backbone;

    @Option(names = "--input-size", defaultValue = "112",
        description = "Input size of the --backbone model (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--frame-size", paramLabel = "WxH",
        description = "Camera frames scaled to this size before sending, e.g. 640x480 or "
            + "1920x1080 (default: the model's input size).")
    String frameSize;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (cameras < 1 || !(fps > 0) || !(duration > 0)) {
        throw new InvalidInputException("--cameras >= 1, --fps > 0, --duration > 0");
      }
      if (backbone != null && model != null) {
        throw new InvalidInputException("give --model or --backbone, not both");
      }
      if (backbone != null && !io.lavmonitor.embed.Encoders.BACKBONES.contains(backbone)) {
        throw new InvalidInputException("unknown backbone '" + backbone + "' (available: "
            + String.join(", ", io.lavmonitor.embed.Encoders.BACKBONES) + ")");
      }
      int[] wh = frameSize == null ? new int[] {0, 0} : FrameSize.parse(frameSize,
          "--frame-size");
      java.nio.file.Path work = java.nio.file.Files.createTempDirectory("lav-bench-monitor-");
      Map<String, Object> r;
      try (ProgressBar pb = progress("monitor", (long) duration)) {
        r = io.lavmonitor.bench.MonitorBench.run(new io.lavmonitor.bench.MonitorBench.Options(
            cameras, fps, duration, model, backbone, inputSize, wh[0], wh[1]), work,
            pb::stepTo);
      }
      print(spec, json, r);
      return 0;
    }
  }

  /** {@code lav bench footage}. */
  @Command(name = "footage", mixinStandardHelpOptions = true,
      description = {"Real footage, as a user meets it: two real clips from Debian's opencv-doc "
          + "(hands moving a box and a cup) re-timed into training, validation and stream "
          + "recordings with exact truth; a model trained with lav train (the defaults unless "
          + "--train-args); and, in the same run, raw pixels, the untrained encoder and, with "
          + "--backbone-weights, ImageNet features. Reports position error (soft, hard, offline "
          + "DTW), cycle boundaries on the stream, Kendall's tau and AP@5 as JSON.",
          "Clips come from --media (default: ~/.cache/lav-monitor/test-media, which "
              + ".ci/fetch-test-media fills)."})
  static final class Footage implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--media", paramLabel = "DIR",
        description = "Folder with box.mp4 and cup.mp4.")
    java.nio.file.Path media;

    @Option(names = "--clips", split = ",", defaultValue = "box,cup",
        description = "Clips to run (default: ${DEFAULT-VALUE}).")
    List<String> clips;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = ".lav-footage",
        description = "Benchmark data and models, kept between runs (default: ${DEFAULT-VALUE}).")
    java.nio.file.Path work;

    @Option(names = "--train-args", paramLabel = "ARGS",
        description = "Arguments added to lav train (default: none, the defaults).")
    String trainArgs;

    @Option(names = "--no-train", description = "Baselines only.")
    boolean noTrain;

    @Option(names = "--model", paramLabel = "DIR",
        description = "Measure this model (a store or a version folder) instead of training "
            + "one.")
    java.nio.file.Path model;

    @Option(names = "--backbone-weights", paramLabel = "FILE",
        description = "ImageNet ResNet-50 backbone weights for that baseline: torchvision's "
            + "resnet50-*.pth (torch.save state dict) or a DJL .params file.")
    java.nio.file.Path backboneWeights;

    @Option(names = "--seed", defaultValue = "1", description = "Benchmark seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--patterns", defaultValue = "slope", split = ",",
        description = "The aligner's step patterns to measure: slope (the default), soft "
            + "(release 0.1's) or both, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> patterns;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the JSON here.")
    java.nio.file.Path jsonOut;

    @Override
    public Integer call() throws Exception {
      List<io.lavmonitor.footage.FootageGenerator.Clip> chosen =
          io.lavmonitor.bench.FootageBench.clips(media, clips);
      if (chosen.isEmpty()) {
        throw new InvalidInputException("--clips " + clips + ": known clips are box and cup");
      }
      List<String> args = noTrain ? null : trainArgs == null || trainArgs.isBlank() ? List.of()
          : List.of(trainArgs.trim().split("\\s+"));
      Map<String, Object> r = io.lavmonitor.bench.FootageBench.run(
          new io.lavmonitor.bench.FootageBench.Options(chosen, args, backboneWeights, seed,
              work, patterns.stream().map(p -> io.lavmonitor.align.StreamingAligner.Pattern
                  .valueOf(p.toUpperCase(java.util.Locale.ROOT))).toList(), model), line -> {
            spec.commandLine().getErr().println(line);
            spec.commandLine().getErr().flush();
          });
      if (jsonOut != null) {
        java.nio.file.Files.writeString(jsonOut, Json.MAPPER.writerWithDefaultPrettyPrinter()
            .writeValueAsString(r));
      }
      print(spec, true, r);
      return 0;
    }
  }

  /** {@code lav bench detect}. */
  @Command(name = "detect", mixinStandardHelpOptions = true,
      description = {"Detection as a plant engineer meets it: per task a held-out synthetic "
          + "station (a reference cycle; recordings of 20 cycles each with idle spells, normal "
          + "variation and injected anomalies of every type), a model trained by lav train "
          + "with its defaults (or --model), and lav replay's engine over every recording "
          + "with the monitor's thresholds (or --config's). Also one station per real clip "
          + "(--footage): re-timed cycles of the clip with anomalies made from the footage, "
          + "and a model trained by lav train's defaults on the clip's recordings.",
          "Reports precision per alert type and recall per injected type, detection delay, "
              + "cycles found, cycle-boundary F1 within 0.5 s and phase-duration error, as "
              + "JSON. Tune on --seed-set tune, report on --seed-set report (the default)."})
  static final class Detect implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tasks", split = ",", defaultValue = "assembly,pour,press",
        description = "Synthetic tasks, none for real footage only (default: "
            + "${DEFAULT-VALUE}).")
    List<String> tasks;

    @Option(names = "--seed-set", defaultValue = "report",
        description = "tune or report (default: ${DEFAULT-VALUE}).")
    String seedSet;

    @Option(names = "--cycles", defaultValue = "100",
        description = "Cycles per task (default: ${DEFAULT-VALUE}).")
    int cycles;

    @Option(names = "--model", paramLabel = "TASK=DIR",
        description = "The model of a task (a store or version folder), repeatable; default: "
            + "trained with lav train's defaults into the work folder, once.")
    Map<String, java.nio.file.Path> models = new java.util.LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
        description = "Monitor properties with the thresholds to measure (default: the "
            + "monitor's defaults; LAV_* environment overrides apply).")
    java.nio.file.Path config;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = ".lav-detect",
        description = "Data, models and embeddings, kept between runs (default: "
            + "${DEFAULT-VALUE}).")
    java.nio.file.Path work;

    @Option(names = "--size", defaultValue = "112",
        description = "Frame size of the models it trains (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--footage", split = ",", defaultValue = "box,cup", paramLabel = "CLIPS",
        description = "Real clips whose footage stations are scored too (anomalies made from "
            + "the footage: frozen feed, a part cut, two parts swapped, a pasted object); "
            + "none for the synthetic line only (default: ${DEFAULT-VALUE}).")
    List<String> footage;

    @Option(names = "--media", paramLabel = "DIR",
        description = "Where the clips are (default: ~/.cache/lav-monitor/test-media, which "
            + ".ci/fetch-test-media fills).")
    java.nio.file.Path media;

    private List<io.lavmonitor.footage.FootageGenerator.Clip> footageClips() {
      return io.lavmonitor.bench.FootageBench.clips(media, footage);
    }

    @Option(names = "--reference-cycles", defaultValue = "1", paramLabel = "N",
        description = "Normal cycles recorded for each station's reference; the most typical "
            + "one (the DTW medoid) is taken, as lav reference does with several videos "
            + "(default: ${DEFAULT-VALUE}).")
    int referenceCycles;

    @Option(names = "--allowed-variation",
        description = "Also score each footage station as one whose reference labels declare "
            + "the cut parts optional and the swapped parts unordered (lav reference's "
            + "\"steps\"), the cut and swapped cycles then being normal: once without those "
            + "step rules and once with them.")
    boolean allowedVariation;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the JSON here.")
    java.nio.file.Path jsonOut;

    @Override
    public Integer call() throws Exception {
      if (referenceCycles < 1) {
        throw new InvalidInputException("--reference-cycles must be at least 1");
      }
      List<io.lavmonitor.synth.Task> ts = tasks.stream().filter(t -> !t.equals("none"))
          .map(io.lavmonitor.synth.Task::parse).toList();
      Map<io.lavmonitor.synth.Task, java.nio.file.Path> byTask = new java.util.HashMap<>();
      models.forEach((k, v) -> byTask.put(io.lavmonitor.synth.Task.parse(k), v));
      io.lavmonitor.bench.DetectBench.SeedSet set;
      try {
        set = io.lavmonitor.bench.DetectBench.SeedSet.valueOf(seedSet.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("--seed-set must be tune or report, got " + seedSet);
      }
      if (cycles < 1) {
        throw new InvalidInputException("--cycles must be at least 1");
      }
      io.lavmonitor.engine.Thresholds th = io.lavmonitor.monitor.MonitorConfig.offline(config,
          System.getenv()).thresholds();
      Map<String, Object> r = io.lavmonitor.bench.DetectBench.run(
          new io.lavmonitor.bench.DetectBench.Options(ts, set, cycles, work, byTask, th, size,
              referenceCycles, footageClips(), allowedVariation),
          line -> {
            spec.commandLine().getErr().println(line);
            spec.commandLine().getErr().flush();
          });
      if (jsonOut != null) {
        java.nio.file.Files.writeString(jsonOut, Json.MAPPER.writerWithDefaultPrettyPrinter()
            .writeValueAsString(r));
      }
      print(spec, true, r);
      return 0;
    }
  }

  /** {@code lav bench faults}. */
  @Command(name = "faults", mixinStandardHelpOptions = true,
      description = {"The monitor as its own process against an in-process broker, made to fail: "
          + "malformed records of about thirty kinds, SIGKILLs under load from cameras "
          + "streaming in real time (every other restart on an empty state folder), and "
          + "garbage on the references and models topics. Checks every outcome from the "
          + "committed topics and prints a JSON report.",
          "Takes about 10 minutes with the defaults on 2 cores."})
  static final class Faults implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--malformed", defaultValue = "10000",
        description = "Malformed records (default: ${DEFAULT-VALUE}).")
    int malformed;

    @Option(names = "--kills", defaultValue = "20",
        description = "SIGKILLs of the monitor (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--cameras", defaultValue = "3",
        description = "Cameras streaming during the kills (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--fps", defaultValue = "10",
        description = "Frames/s per camera (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--seed", defaultValue = "11", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
      if (malformed < 100 || kills < 0 || cameras < 1 || !(fps > 0)) {
        throw new InvalidInputException("--malformed >= 100, --kills >= 0, --cameras >= 1, "
            + "--fps > 0");
      }
      java.nio.file.Path work = java.nio.file.Files.createTempDirectory("lav-bench-faults-");
      Map<String, Object> r = io.lavmonitor.bench.FaultsBench.run(
          new io.lavmonitor.bench.FaultsBench.Options(malformed, kills, cameras, fps, seed),
          work, line -> {
            spec.commandLine().getErr().println(line);
            spec.commandLine().getErr().flush();
          });
      print(spec, true, r);
      return 0;
    }
  }

  @Command(name = "embed", mixinStandardHelpOptions = true,
      description = {"Encoder throughput on random frames, as a camera feeds it: the backbone "
          + "once per frame, the head on the kept features of each frame's context.",
          "Prints {\"frames_per_s\"}."})
  static final class Embed implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--backbone", defaultValue = "small", description = "Backbone (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--batch", defaultValue = "1", description = "Frames per pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--size", defaultValue = "224", description = "Input size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--context", defaultValue = "2", description = "Context frames k (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--stride", defaultValue = "15", description = "Context stride (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--frames", defaultValue = "200", description = "Timed frames (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      ai.djl.Device dev = io.lavmonitor.embed.Encoders.device(device);
      if (batch < 1 || size < 16 || context < 1 || stride < 1 || frames < batch) {
        throw new InvalidInputException("--batch, --context, --stride >= 1, --size >= 16, "
            + "--frames >= --batch");
      }
      double fps;
      try (ProgressBar pb = progress("embed", frames / batch + Math.max(4, 8 / batch))) {
        fps = io.lavmonitor.bench.EmbedBench.framesPerSecond(backbone, size, context, stride,
            batch, frames, dev, pb::step);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("backbone", backbone);
      out.put("batch", batch);
      out.put("size", size);
      out.put("context", context);
      out.put("frames_per_s", fps);
      out.put("device", dev.toString());
      out.put("threads", Runtime.getRuntime().availableProcessors());
      print(spec, json, out);
      return 0;
    }
  }
}
