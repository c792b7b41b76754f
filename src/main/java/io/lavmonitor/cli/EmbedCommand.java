package io.lavmonitor.cli;

import ai.djl.ndarray.NDManager;
import io.lavmonitor.data.Dataset;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.embed.VideoEmbedder;
import io.lavmonitor.io.ArrayFiles;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav embed}: per-frame embeddings of a video or a whole dataset. */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = {"Embed every frame of a video (--video) or of every video of a dataset "
        + "(--data) with a LAV encoder; writes .npy or .csv files that lav evaluate and lav "
        + "align read.",
        "--model takes a version folder or a model store (its promoted default); the model's "
            + "card sets backbone, input size, context and dimension, and its sha256 is checked. "
            + "Without --model or --weights the encoder has random weights from --seed (the "
            + "untrained baseline)."})
final class EmbedCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--video", paramLabel = "V", description = "One video.")
  String video;

  @Option(names = "--data", paramLabel = "DIR", description = "A dataset folder.")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "OUT",
      description = "With --video: the .npy or .csv file; with --data: a folder.")
  Path out;

  @Option(names = "--backbone", defaultValue = "small",
      description = "Backbone (default: ${DEFAULT-VALUE}).")
  String backbone;

  @Option(names = "--model", paramLabel = "M",
      description = "A model: version folder, or store (its promoted default).")
  Path model;

  @Option(names = "--weights", paramLabel = "FILE",
      description = "Raw encoder weights (.params) instead of --model.")
  Path weights;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of random weights.")
  long seed;

  @Option(names = "--size", defaultValue = "224", description = "Input size (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--context", defaultValue = "2", description = "Context frames k (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--stride", defaultValue = "15", description = "Context stride (default: ${DEFAULT-VALUE}).")
  int stride;

  @Option(names = "--dim", defaultValue = "128", description = "Embedding size (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--batch", defaultValue = "16", description = "Frames per pass (default: ${DEFAULT-VALUE}).")
  int batch;

  @Override
  public Integer call() {
    if ((video == null) == (data == null)) {
      throw new InvalidInputException("give exactly one of --video and --data");
    }
    if (context < 1 || stride < 1 || batch < 1 || dim < 1) {
      throw new InvalidInputException("--context, --stride, --batch and --dim must be >= 1");
    }
    List<String[]> jobs = new ArrayList<>(); // video, output file
    if (video != null) {
      jobs.add(new String[] {video, out.toString()});
    } else {
      Dataset ds = Dataset.open(data);
      List<Dataset.Entry> all = new ArrayList<>(ds.train());
      all.addAll(ds.val());
      for (Dataset.Entry e : all) {
        jobs.add(new String[] {e.video().toString(), out.resolve(e.name() + ".npy").toString()});
      }
    }
    if (model != null && weights != null) {
      throw new InvalidInputException("give --model or --weights, not both");
    }
    try (NDManager manager = Encoders.engine().newBaseManager(Encoders.device(device));
         ProgressBar pb = BenchCommand.progress("embed", jobs.size())) {
      LavEncoder enc;
      if (model != null) {
        ModelStore.Loaded m = ModelStore.load(model, manager);
        enc = m.encoder();
        size = m.card().inputSize();
        context = m.card().contextFrames();
        stride = m.card().contextStride();
      } else {
        enc = Encoders.create(backbone, dim, size, context, manager, weights, seed);
      }
      VideoEmbedder embedder = new VideoEmbedder(enc, new Preprocessor(size, true), context,
          stride, batch);
      for (String[] job : jobs) {
        try (VideoSource s = VideoSources.open(job[0])) {
          ArrayFiles.write(Path.of(job[1]), embedder.embed(manager, s));
        }
        pb.step();
      }
    }
    spec.commandLine().getOut().println("wrote " + jobs.size() + " embedding file"
        + (jobs.size() == 1 ? "" : "s") + " to " + out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
