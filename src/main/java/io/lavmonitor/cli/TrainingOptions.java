package io.lavmonitor.cli;

import io.lavmonitor.train.TrainingData;
import io.lavmonitor.train.TrainingSpec;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The model and optimisation options of {@code lav train}, {@code lav trainer} and
 * {@code lav experiment}, over one {@link TrainingSpec}: each option's default is the
 * specification's, so the defaults live in one place; a command with other defaults passes
 * another specification to the constructor. The options of a single run (method, steps, seed)
 * are {@link TrainingRunOptions}.
 */
final class TrainingOptions {
  @Option(names = "--backbone", paramLabel = "B",
      description = "small, resnet50-conv4c or resnet50-conv5c (default: small on a CPU, "
          + "resnet50-conv4c on a GPU).")
  String backbone;

  @Option(names = "--size", paramLabel = "PX", description = "Input size (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--dim", description = "Embedding size (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--frames", description = "Frames per video p (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--context", description = "Context frames k (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--stride", paramLabel = "N",
      description = "Context stride in frames; 0 derives it from the data: "
          + "5%% of the median training video length, rounded "
          + "(default: ${DEFAULT-VALUE}).")
  int stride;

  @Option(names = "--loss",
      description = "sdtw, idm, sfa, cidm, sdtw+idm, sdtw+sfa or sdtw+cidm (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--cidm-form", paramLabel = "F",
      description = "paper (Eq. 7 on the p sampled positions) or official (the authors' code: "
          + "frame positions divided by the video length). Default: ${DEFAULT-VALUE}.")
  String cidmForm;

  @Option(names = "--gamma", description = "Soft-DTW gamma (default: ${DEFAULT-VALUE}).")
  double gamma;

  @Option(names = "--alpha", description = "Regulariser weight (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--sigma", description = "C-IDM window in frames; 0 derives it from the "
      + "data: 5%% of the median training video length, rounded "
      + "(default: ${DEFAULT-VALUE}).")
  double sigma;

  @Option(names = "--margin", description = "C-IDM margin lambda (default: ${DEFAULT-VALUE}).")
  double margin;

  @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--weight-decay", description = "Adam weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--no-augment", description = "No flip, brightness, contrast or crop changes.")
  boolean noAugment;

  @Option(names = "--crop", paramLabel = "F",
      description = "Crop jitter: each video seen through a window of 1 - F to 1 of its side "
          + "(default: ${DEFAULT-VALUE}).")
  double crop;


  /** The product's defaults. */
  TrainingOptions() {
    this(TrainingSpec.defaults());
  }

  /** Options whose defaults are {@code d}'s. */
  TrainingOptions(TrainingSpec d) {
    backbone = d.backbone();
    size = d.size();
    dim = d.dim();
    frames = d.framesPerVideo();
    context = d.context();
    stride = d.stride();
    loss = d.loss();
    cidmForm = d.cidmForm().name().toLowerCase(Locale.ROOT);
    gamma = d.gamma();
    alpha = d.alpha();
    sigma = d.sigma();
    margin = d.margin();
    lr = d.lr();
    weightDecay = d.weightDecay();
    noAugment = !d.augment();
    crop = d.crop();
  }

  /** The options onto a specification. */
  TrainingSpec.Builder apply(TrainingSpec.Builder b) {
    return b.backbone(backbone).size(size).dim(dim).framesPerVideo(frames).context(context)
        .stride(stride).loss(loss).cidmForm(TrainingData.cidmForm(cidmForm)).gamma(gamma)
        .alpha(alpha).sigma(sigma).margin(margin).lr(lr).weightDecay(weightDecay)
        .augment(!noAugment).crop(crop);
  }

  /** The specification of these options with the defaults' run settings. */
  TrainingSpec spec(TrainingSpec defaults) {
    return apply(defaults.toBuilder()).build();
  }
}
