package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.loss.LavLoss;
import io.lavmonitor.video.FrameSampling;
import io.lavmonitor.video.Preprocessor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One self-supervised training step of LAV on a pair of videos of the same task: p frames per
 * video sampled segment-uniformly, each with k context frames; the same random flip, brightness
 * and contrast for all frames of a video; the LAV loss; Adam (the official code's lr 1e-4 and
 * weight decay 1e-5 by default).
 */
public final class PairTrainer {
  /**
   * Training settings.
   *
   * @param framesPerVideo p, frames sampled per video (20 in the official code)
   * @param brightness largest brightness shift, in pixel units of [0, 1] (32/255 officially)
   * @param contrast largest contrast change factor offset (0.5 officially: x0.5..x1.5)
   */
  public record Settings(int framesPerVideo, int context, int stride, double learningRate,
                         double weightDecay, boolean augment, double brightness,
                         double contrast, double crop) {
    /** Without crop jitter, as release 0.1 trained. */
    public Settings(int framesPerVideo, int context, int stride, double learningRate,
                    double weightDecay, boolean augment, double brightness, double contrast) {
      this(framesPerVideo, context, stride, learningRate, weightDecay, augment, brightness,
          contrast, 0);
    }

    public static Settings defaults() {
      return new Settings(20, 2, 15, 1e-4, 1e-5, true, 32 / 255.0, 0.5);
    }

    /** The fingerprint form; without crop jitter as release 0.1 wrote it, so its runs resume. */
    @Override
    public String toString() {
      String base = "Settings[framesPerVideo=" + framesPerVideo + ", context=" + context
          + ", stride=" + stride + ", learningRate=" + learningRate + ", weightDecay="
          + weightDecay + ", augment=" + augment + ", brightness=" + brightness + ", contrast="
          + contrast;
      return base + (crop == 0 ? "]" : ", crop=" + crop + "]");
    }
  }

  /**
   * A video's frames, preprocessed to the encoder's CHW input.
   *
   * @param labels per-frame phase labels, or null when training may not see them
   */
  public record Frames(String name, List<float[]> chw, int[] labels) {
    public Frames(String name, List<float[]> chw) {
      this(name, chw, null);
    }

    /** The same frames without their labels. */
    public Frames unlabelled() {
      return labels == null ? this : new Frames(name, chw, null);
    }
  }

  private final LavEncoder encoder;
  private final NDManager manager;
  private final Settings settings;
  private final Objective objective;
  private final Adam optimizer;
  private final int size;
  private SavedRandom rnd;
  private final ParameterStore ps;
  private int skipped;

  /** LAV training with the given loss. */
  public PairTrainer(LavEncoder encoder, NDManager manager, int size, LavLoss lossSpec,
                     Settings settings, long seed) {
    this(encoder, manager, size, Method.lavObjective(lossSpec), settings, seed);
  }

  /** Training with any method's objective (see {@link Method#objective}). */
  public PairTrainer(LavEncoder encoder, NDManager manager, int size, Objective objective,
                     Settings settings, long seed) {
    this.encoder = encoder;
    this.manager = manager;
    this.size = size;
    this.settings = settings;
    this.objective = objective;
    this.optimizer = new Adam(manager, settings.learningRate(), settings.weightDecay());
    this.rnd = new SavedRandom(seed);
    this.ps = new ParameterStore(manager, false);
    Encoders.engine().setRandomSeed((int) seed);
    clearGradients();
  }

  /** The optimiser, whose state a checkpoint keeps. */
  public Adam optimizer() {
    return optimizer;
  }

  /** The sampler's random state, which a checkpoint keeps so a resumed run draws the same. */
  public SavedRandom random() {
    return rnd;
  }

  /** Continues with a random state from a checkpoint. */
  public void restoreRandom(SavedRandom state) {
    this.rnd = state;
  }

  /** The objective, whose heads a checkpoint keeps. */
  public Objective objective() {
    return objective;
  }

  /** The encoder being trained. */
  public LavEncoder encoder() {
    return encoder;
  }

  /** Steps whose loss was not finite, which were not applied. */
  public int skippedSteps() {
    return skipped;
  }

  /**
   * Writes exact zeros into every gradient buffer. PyTorch accumulates gradients across backward
   * passes, and zeroing by arithmetic (g * 0 or g - g) would keep a NaN or infinity forever.
   */
  private void clearGradients() {
    // An in-place fill; set(float[]) would allocate a direct buffer per call. The handle is
    // not closed: with it closed, training produced NaN losses within 60 steps.
    trainable().values().forEach(w -> w.getGradient().set(new NDIndex("..."), 0));
  }

  /**
   * Every array a step trains that has a gradient, by name: the encoder's parameters in order
   * (by name, not by the parameter's random id, so a checkpoint fits a new process), then the
   * objective's heads (which have no gradient before the first backward pass).
   */
  private Map<String, NDArray> trainable() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : encoder.getParameters()) {
      if (p.getValue().requiresGradient()) {
        out.put(p.getKey(), p.getValue().getArray());
      }
    }
    objective.heads().forEach((name, h) -> {
      if (h.hasGradient()) {
        out.put(name, h);
      }
    });
    return out;
  }

  /** One step on the pair; returns the loss before the update (NaN steps are skipped). */
  public double step(Frames x, Frames y) {
    try (NDManager scope = manager.newSubManager()) {
      int[] ix = objective.sample(x.chw().size(), settings.framesPerVideo(), rnd);
      int[] iy = objective.sample(y.chw().size(), settings.framesPerVideo(), rnd);
      NDArray cx = clips(scope, x, ix);
      NDArray cy = clips(scope, y, iy);
      double value;
      try (GradientCollector gc = Encoders.engine().newGradientCollector()) {
        // One forward pass over both videos: batch normalisation then sees two videos' frames,
        // not one video's, so its statistics do not absorb what makes a video different (its
        // lighting, colours), which the running statistics used at inference would not.
        NDArray both = encoder.forward(ps, new NDList(cx.concat(cy, 0)), true)
            .singletonOrThrow();
        long px = ix.length;
        NDArray ex = both.get(new NDIndex("0:" + px));
        NDArray ey = both.get(new NDIndex(px + ":"));
        NDArray l = objective.loss(new Objective.Sampled(ex, ix, x.chw().size(), x.labels()),
            new Objective.Sampled(ey, iy, y.chw().size(), y.labels()), rnd);
        value = l.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()[0];
        gc.backward(l);
      }
      // A finite loss can still have a non-finite gradient (seen with TCC: one step of it
      // turned every weight into NaN for the rest of the run), so both are checked.
      boolean finite = Double.isFinite(value) && gradientsFinite();
      if (finite) {
        optimizer.beginStep();
      }
      if (finite) {
        trainable().forEach((name, w) -> optimizer.update(name, w, w.getGradient()));
      }
      clearGradients();
      if (!finite) {
        skipped++;
      }
      return value;
    }
  }

  /** Whether every gradient of the encoder and of the objective's heads is finite. */
  private boolean gradientsFinite() {
    for (NDArray w : trainable().values()) {
      // The sum is NaN when any entry is NaN or when infinities appear (inf - inf, inf).
      try (NDArray sum = w.getGradient().sum()) {
        if (!Double.isFinite(sum.toArray()[0].doubleValue())) {
          return false;
        }
      }
    }
    return true;
  }

  /** (p, k, 3, size, size) clips of the sampled frames, augmented once for the whole video. */
  private NDArray clips(NDManager scope, Frames v, int[] frames) {
    int k = settings.context();
    int plane = size * size;
    int frameLen = 3 * plane;
    float[] data = new float[frames.length * k * frameLen];
    boolean flip = settings.augment() && rnd.nextBoolean();
    double bright = settings.augment() ? (rnd.nextDouble() * 2 - 1) * settings.brightness() : 0;
    double contrast = settings.augment()
        ? 1 + (rnd.nextDouble() * 2 - 1) * settings.contrast() : 1;
    // Crop jitter: the video seen through a window of 1 - crop to 1 of its side, anywhere in it
    // (the camera placed a little differently). Drawn only when asked for, so that runs
    // without it draw exactly the random numbers they drew before.
    double scale = 1;
    double ox = 0;
    double oy = 0;
    if (settings.augment() && settings.crop() > 0) {
      scale = 1 - rnd.nextDouble() * settings.crop();
      ox = rnd.nextDouble() * (1 - scale) * size;
      oy = rnd.nextDouble() * (1 - scale) * size;
    }
    int[] srcX = new int[size];
    int[] srcY = new int[size];
    for (int i = 0; i < size; i++) {
      srcX[i] = Math.min(size - 1, (int) (ox + (i + 0.5) * scale));
      srcY[i] = Math.min(size - 1, (int) (oy + (i + 0.5) * scale));
    }
    int at = 0;
    for (int t : frames) {
      for (int c : FrameSampling.context(t, k, settings.stride())) {
        float[] src = v.chw().get(c);
        for (int ch = 0; ch < 3; ch++) {
          // Pixel values are (x - mean)/std: shift and scale in pixel units, then renormalise.
          double mean = Preprocessor.IMAGENET_MEAN[ch];
          double std = Preprocessor.IMAGENET_STD[ch];
          for (int yy = 0; yy < size; yy++) {
            for (int xx = 0; xx < size; xx++) {
              int sx = srcX[flip ? size - 1 - xx : xx];
              double px = src[ch * plane + srcY[yy] * size + sx] * std + mean;
              px = (px - 0.5) * contrast + 0.5 + bright;
              data[at + ch * plane + yy * size + xx] = (float) ((px - mean) / std);
            }
          }
        }
        at += frameLen;
      }
    }
    // An owned copy: the backward pass of the first convolution reads its input again, and an
    // array created from a Java buffer may still point into that buffer (see SoftDtwLoss).
    try (NDArray raw = scope.create(data, new Shape(frames.length, k, 3, size, size))) {
      return raw.duplicate();
    }
  }
}
