package io.lavmonitor.footage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Turns one real camera clip into a labelled benchmark whose truth is exact: a stretch of the
 * clip is "the cycle", and every recording replays it under a random monotone re-timing
 * ({@link Warp}), with its own crop, brightness and contrast, a little camera shake, H.264 at
 * 15 fps. Each output frame's truth is the cycle position it shows, in reference frames. It
 * writes a dataset ({@code videos/}, {@code labels/}, {@code splits.json}) of training and
 * validation recordings, the reference cycle as recorded ({@code reference/}), a stream of
 * cycles back to back with idle spells between them ({@code stream/}), and the truth of each
 * ({@code truth/NAME.json}). Deterministic for a seed.
 */
public final class FootageGenerator {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static {
    io.lavmonitor.video.Ffmpeg.init();
  }

  /**
   * A clip and the stretch of it that is one cycle.
   *
   * @param from first native frame of the cycle
   * @param to native frame after its last
   * @param step native frames per reference frame
   */
  public record Clip(String name, Path file, int from, int to, int step) {
    public int referenceFrames() {
      return (to - from - 1) / step + 1;
    }
  }

  /** What to write. */
  public record Options(int train, int val, int streamCycles, double minSpeed, double maxSpeed,
                        int width, int height, double fps, int phases, long seed) {
    /** The benchmark's settings, fixed before any tuning. */
    public static Options benchmark(long seed) {
      return new Options(24, 8, 8, 0.5, 1.8, 192, 144, 15, 4, seed);
    }
  }

  /**
   * The truth of one recording: the cycle position of every frame (NaN while idle), and the
   * cycles of a stream (frames, inclusive).
   */
  public record Truth(@JsonProperty("reference_frames") int referenceFrames,
                      @JsonProperty("positions") double[] positions,
                      @JsonProperty("cycles") List<VideoLabels.Span> cycles) {
    public static Truth read(Path file) {
      try {
        return JSON.readValue(file.toFile(), Truth.class);
      } catch (java.io.IOException e) {
        throw new InvalidInputException(file + ": not a truth file (" + e.getMessage() + ")");
      }
    }
  }

  /** Draws on rendered frame t of a recording, in place. */
  interface Overlay {
    void draw(int t, BufferedImage frame);
  }

  /** How one recording looks: crop, photometric change and shake. */
  record Look(double scale, double cx, double cy, double brightness, double contrast,
                      double shake) {
    static Look none() {
      return new Look(1, 0.5, 0.5, 0, 1, 0);
    }

    static Look random(SplittableRandom r) {
      return new Look(0.82 + 0.18 * r.nextDouble(), r.nextDouble(), r.nextDouble(),
          -28 + 56 * r.nextDouble(), 0.7 + 0.6 * r.nextDouble(), 0.012);
    }
  }

  private FootageGenerator() {}

  /** Writes the benchmark of one clip under {@code out}. */
  public static void generate(Clip clip, Options o, Path out) throws Exception {
    List<BufferedImage> frames = cycleFrames(clip, 2 * o.width(), 2 * o.height());
    int m = clip.referenceFrames();
    for (String d : new String[] {"videos", "labels", "truth", "reference", "stream"}) {
      Files.createDirectories(out.resolve(d));
    }
    SplittableRandom rnd = new SplittableRandom(o.seed() * 7919 + clip.name().hashCode());
    List<String> train = new ArrayList<>();
    List<String> val = new ArrayList<>();
    for (int i = 0; i < o.train() + o.val(); i++) {
      String name = String.format("%s_%04d", clip.name(), i);
      SplittableRandom r = rnd.split();
      Warp w = Warp.random(m, o.minSpeed(), o.maxSpeed(), r);
      double[] pos = new double[w.length()];
      for (int t = 0; t < pos.length; t++) {
        pos[t] = w.position(t);
      }
      write(out.resolve("videos/" + name + ".mp4"), frames, clip, pos, Look.random(r), o, r);
      labels(name, pos, m, o).write(out.resolve("labels/" + name + ".json"));
      JSON.writeValue(out.resolve("truth/" + name + ".json").toFile(), new Truth(m, pos,
          List.of()));
      (i < o.train() ? train : val).add(name);
    }
    JSON.writeValue(out.resolve("splits.json").toFile(), java.util.Map.of("train", train,
        "val", val));
    // The reference: the cycle as recorded, no re-timing, no change of look.
    String ref = clip.name() + "_reference";
    double[] rp = new double[m];
    for (int t = 0; t < m; t++) {
      rp[t] = t;
    }
    write(out.resolve("reference/" + ref + ".mp4"), frames, clip, rp, Look.none(), o,
        rnd.split());
    labels(ref, rp, m, o).write(out.resolve("reference/" + ref + ".json"));
    JSON.writeValue(out.resolve("truth/" + ref + ".json").toFile(), new Truth(m, rp,
        List.of()));
    // The stream: cycles back to back, each re-timed, idle spells between them.
    SplittableRandom sr = rnd.split();
    List<Double> sp = new ArrayList<>();
    List<VideoLabels.Span> cycles = new ArrayList<>();
    for (int c = 0; c < o.streamCycles(); c++) {
      int idle = 5 + sr.nextInt(21);
      for (int k = 0; k < idle; k++) {
        sp.add(Double.NaN);
      }
      Warp w = Warp.random(m, o.minSpeed(), o.maxSpeed(), sr);
      cycles.add(new VideoLabels.Span(sp.size(), sp.size() + w.length() - 1));
      for (int t = 0; t < w.length(); t++) {
        sp.add(w.position(t));
      }
    }
    for (int k = 0; k < 10; k++) {
      sp.add(Double.NaN);
    }
    double[] streamPos = sp.stream().mapToDouble(Double::doubleValue).toArray();
    String stream = clip.name() + "_stream";
    write(out.resolve("stream/" + stream + ".mp4"), frames, clip, streamPos, Look.random(sr),
        o, sr);
    JSON.writeValue(out.resolve("truth/" + stream + ".json").toFile(), new Truth(m, streamPos,
        cycles));
  }

  /** Phase labels: the cycle cut into equal parts; an idle frame takes the last phase. */
  static VideoLabels labels(String name, double[] pos, int m, Options o) {
    int[] l = new int[pos.length];
    for (int t = 0; t < pos.length; t++) {
      double p = Double.isNaN(pos[t]) ? m - 1 : pos[t];
      l[t] = Math.min(o.phases() - 1, (int) (Math.round(p) * o.phases() / m));
    }
    List<String> names = new ArrayList<>();
    for (int p = 0; p < o.phases(); p++) {
      names.add("part" + (p + 1));
    }
    return VideoLabels.fromFrameLabels(name, o.fps(), l, names);
  }

  /** The clip's native frames of the cycle, scaled to fit w x h. */
  static List<BufferedImage> cycleFrames(Clip clip, int w, int h) {
    List<BufferedImage> out = new ArrayList<>();
    try (VideoSource src = VideoSources.open(clip.file().toString())) {
      int i = 0;
      for (VideoFrame f = src.next(); f != null && i < clip.to(); f = src.next(), i++) {
        if (i >= clip.from()) {
          out.add(scale(f.toImage(), w, h));
        }
      }
    }
    if (out.size() < clip.to() - clip.from()) {
      throw new InvalidInputException(clip.file() + ": " + (clip.from() + out.size())
          + " frames, the cycle needs " + clip.to());
    }
    return out;
  }

  private static BufferedImage scale(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** Renders and encodes a recording whose frame t shows cycle position pos[t]. */
  private static void write(Path file, List<BufferedImage> frames, Clip clip, double[] pos,
                            Look look, Options o, SplittableRandom rnd) throws Exception {
    write(file, frames, clip, pos, look, o, rnd, null, null);
  }

  /**
   * As above; where {@code frozen[t]}, frame t repeats the previous encoded image exactly (a
   * frozen feed or a stalled scene: no shake, no flicker), and {@code overlay}, when not null,
   * draws on each rendered frame t (a foreign object).
   */
  static void write(Path file, List<BufferedImage> frames, Clip clip, double[] pos, Look look,
                    Options o, SplittableRandom rnd, boolean[] frozen, Overlay overlay)
      throws Exception {
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), o.width(),
        o.height()); Java2DFrameConverter conv = new Java2DFrameConverter()) {
      rec.setFormat("mp4");
      rec.setVideoCodecName("libopenh264");
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setFrameRate(o.fps());
      rec.setGopSize((int) Math.round(o.fps()));
      rec.setVideoBitrate(500_000);
      rec.setVideoOption("threads", "1");
      rec.start();
      double last = 0;
      BufferedImage previous = null;
      for (int t = 0; t < pos.length; t++) {
        if (frozen != null && frozen[t] && previous != null) {
          rec.record(conv.convert(previous));
          continue;
        }
        double p = pos[t];
        boolean idle = Double.isNaN(p);
        double q = idle ? last : p;
        last = q;
        int native0 = (int) Math.round(q * clip.step());
        BufferedImage src = frames.get(Math.min(frames.size() - 1, native0));
        BufferedImage img = render(src, look, o, rnd);
        if (overlay != null) {
          overlay.draw(t, img);
        }
        rec.record(conv.convert(img));
        previous = img;
      }
      rec.stop();
    }
  }

  private static BufferedImage render(BufferedImage src, Look look, Options o,
                                      SplittableRandom rnd) {
    int sw = src.getWidth();
    int sh = src.getHeight();
    double cw = look.scale() * sw;
    double ch = look.scale() * sh;
    double x = look.cx() * (sw - cw) + look.shake() * sw * (2 * rnd.nextDouble() - 1);
    double y = look.cy() * (sh - ch) + look.shake() * sh * (2 * rnd.nextDouble() - 1);
    x = Math.max(0, Math.min(sw - cw, x));
    y = Math.max(0, Math.min(sh - ch, y));
    BufferedImage out = new BufferedImage(o.width(), o.height(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, o.width(), o.height(), (int) x, (int) y, (int) (x + cw),
        (int) (y + ch), null);
    g.dispose();
    if (look.contrast() != 1 || look.brightness() != 0) {
      double flicker = 3 * (2 * rnd.nextDouble() - 1);
      byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < px.length; i++) {
        double v = ((px[i] & 0xff) - 128) * look.contrast() + 128 + look.brightness() + flicker;
        px[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return out;
  }
}
