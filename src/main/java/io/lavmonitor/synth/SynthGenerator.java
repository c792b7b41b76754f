package io.lavmonitor.synth;

import io.lavmonitor.data.Dataset;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.io.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Writes a labelled dataset of synthetic assembly-line recordings: {@code videos/NAME.mp4},
 * {@code labels/NAME.json} and {@code splits.json}. Deterministic for a seed: video i of a task
 * depends only on (seed, task, i).
 */
public final class SynthGenerator {
  /**
   * What to generate.
   *
   * @param cycles cycles per video in continuous mode (ignored otherwise)
   */
  public record Options(Task task, int videos, long seed, double valFraction,
                        double anomalyRate, int size, double fps, boolean continuous,
                        int cycles) {
    public Options {
      if (videos < 1) {
        throw new InvalidInputException("--videos must be at least 1, got " + videos);
      }
      if (valFraction < 0 || valFraction >= 1) {
        throw new InvalidInputException("--val-fraction must be in [0, 1), got " + valFraction);
      }
      if (anomalyRate < 0 || anomalyRate > 1) {
        throw new InvalidInputException("--anomaly-rate must be in [0, 1], got " + anomalyRate);
      }
      if (size < 32 || size > 4096) {
        throw new InvalidInputException("--size must be in 32..4096, got " + size);
      }
      if (!(fps >= 1 && fps <= 120)) {
        throw new InvalidInputException("--fps must be in 1..120, got " + fps);
      }
      if (continuous && cycles < 1) {
        throw new InvalidInputException("--cycles must be at least 1, got " + cycles);
      }
    }
  }

  /** What was written and how fast. */
  public record Result(List<String> videos, long frames, double seconds) {
    public double framesPerSecond() {
      return frames / seconds;
    }
  }

  static {
    io.lavmonitor.video.Ffmpeg.init();
  }

  private SynthGenerator() {}

  /**
   * Writes the dataset.
   *
   * @param videoDone called after each video with the frames written so far
   */
  public static Result generate(Path out, Options o, LongConsumer videoDone) throws Exception {
    Files.createDirectories(out.resolve("videos"));
    Files.createDirectories(out.resolve("labels"));
    long t0 = System.nanoTime();
    long frames = 0;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < o.videos(); i++) {
      String name = String.format("%s%s_%04d", o.task().cliName(),
          o.continuous() ? "_stream" : "", i);
      SplittableRandom rnd = new SplittableRandom(mix(o.seed(), o.task().ordinal(), i));
      Variation v = new Variation(rnd.split());
      Plan plan = Plan.create(o.task(), o.fps(), o.continuous() ? o.cycles() : 1,
          o.continuous(), o.anomalyRate(), rnd.split());
      frames += render(out.resolve("videos").resolve(name + ".mp4"), plan, v, o, rnd.split());
      labels(name, plan, o).write(out.resolve("labels").resolve(name + ".json"));
      names.add(name);
      videoDone.accept(frames);
    }
    writeSplits(out, names, o);
    return new Result(names, frames, (System.nanoTime() - t0) / 1e9);
  }

  private static long render(Path file, Plan plan, Variation v, Options o, SplittableRandom rnd)
      throws Exception {
    Renderer renderer = new Renderer(o.task(), v, o.size(), rnd);
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), o.size(), o.size());
         Java2DFrameConverter conv = new Java2DFrameConverter()) {
      rec.setFormat("mp4");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setFrameRate(o.fps());
      rec.setGopSize((int) Math.round(o.fps()));
      // The bit rate varies between videos: compression artefacts are part of the nuisance.
      rec.setVideoBitrate(v.bitrate);
      rec.setVideoOption("threads", "1");
      rec.start();
      for (int t = 0; t < plan.shots.size(); t++) {
        rec.record(conv.convert(renderer.render(plan.shots.get(t), t, o.fps())));
      }
      rec.stop();
    }
    return plan.shots.size();
  }

  static VideoLabels labels(String name, Plan plan, Options o) {
    List<String> phases = new ArrayList<>(o.task().phases());
    if (o.continuous()) {
      phases.add("idle");
    }
    int idle = o.task().phases().size();
    int[] labels = new int[plan.shots.size()];
    for (int t = 0; t < labels.length; t++) {
      int p = plan.shots.get(t).phase();
      labels[t] = p == Plan.IDLE ? idle : p;
    }
    return new VideoLabels(name, o.fps(), labels.length, phases, labels,
        VideoLabels.transitions(labels), plan.anomalies,
        o.continuous() ? plan.cycles : List.of());
  }

  /** Adds the new videos to splits.json, keeping other tasks' videos already in the folder. */
  private static void writeSplits(Path out, List<String> names, Options o) {
    List<String> shuffled = new ArrayList<>(names);
    Collections.shuffle(shuffled, new Random(o.seed()));
    int val = (int) Math.round(names.size() * o.valFraction());
    if (val == 0 && o.valFraction() > 0 && names.size() > 1) {
      val = 1;
    }
    Set<String> valSet = new LinkedHashSet<>(shuffled.subList(0, val));
    Set<String> train = new LinkedHashSet<>();
    Set<String> valAll = new LinkedHashSet<>();
    if (Files.exists(out.resolve("splits.json"))) {
      Dataset.Splits old = Dataset.open(out).splits();
      old.train().stream().filter(n -> !names.contains(n)).forEach(train::add);
      old.val().stream().filter(n -> !names.contains(n)).forEach(valAll::add);
    }
    for (String n : names) {
      (valSet.contains(n) ? valAll : train).add(n);
    }
    Dataset.writeSplits(out, new Dataset.Splits(List.copyOf(train), List.copyOf(valAll)));
  }

  private static long mix(long seed, int task, int index) {
    long h = seed * 0x9E3779B97F4A7C15L + task * 0xC2B2AE3D27D4EB4FL + index * 0x165667B19E3779F9L;
    return h ^ (h >>> 31);
  }
}
