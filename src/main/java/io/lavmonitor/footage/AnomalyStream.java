package io.lavmonitor.footage;

import io.lavmonitor.data.VideoLabels;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Real-footage recordings for the detection benchmark: back-to-back re-timed cycles of one
 * clip with idle spells between them, a share of them anomalous, labelled as {@code lav synth}
 * labels its streams (phases per frame, cycles, anomalies with their frames). The anomalies
 * are made from the footage itself:
 * <ul>
 *   <li>{@code stall}: the feed freezes mid-cycle for 3 to 6 s (the same image repeated);</li>
 *   <li>{@code skipped_phase}: a middle part of the cycle is cut out;</li>
 *   <li>{@code swapped_phases}: two neighbouring parts are played in the other order;</li>
 *   <li>{@code foreign_object}: an object pasted into the scene for 1 to 2.5 s.</li>
 * </ul>
 * Deterministic for a seed.
 */
public final class AnomalyStream {
  public static final List<String> TYPES = List.of("stall", "skipped_phase", "swapped_phases",
      "foreign_object");

  /** What to write: recordings of {@code cycles} cycles each, anomalous at {@code rate}. */
  public record Options(int recordings, int cycles, double rate, long seed) {}

  private AnomalyStream() {}

  /** Writes {@code videos/NAME.mp4} and {@code labels/NAME.json} under {@code out}. */
  public static List<String> generate(FootageGenerator.Clip clip, FootageGenerator.Options look,
                                      Options o, Path out) throws Exception {
    List<BufferedImage> frames = FootageGenerator.cycleFrames(clip, 2 * look.width(),
        2 * look.height());
    Files.createDirectories(out.resolve("videos"));
    Files.createDirectories(out.resolve("labels"));
    int m = clip.referenceFrames();
    SplittableRandom rnd = new SplittableRandom(o.seed() * 104_729 + clip.name().hashCode());
    List<String> names = new ArrayList<>();
    for (int rec = 0; rec < o.recordings(); rec++) {
      SplittableRandom r = rnd.split();
      Recording built = new Recording();
      for (int c = 0; c < o.cycles(); c++) {
        built.idle(5 + r.nextInt(21));
        String type = r.nextDouble() < o.rate() ? TYPES.get(r.nextInt(TYPES.size())) : null;
        built.cycle(Warp.random(m, look.minSpeed(), look.maxSpeed(), r), m, look, type, r);
      }
      built.idle(10);
      String name = String.format("%s_detect_%04d", clip.name(), rec);
      double[] pos = built.positions();
      boolean[] frozen = built.frozen();
      FootageGenerator.write(out.resolve("videos/" + name + ".mp4"), frames, clip, pos,
          FootageGenerator.Look.random(r), look, r, frozen, built.overlay(look));
      VideoLabels base = FootageGenerator.labels(name, pos, m, look); // idle: the last part
      new VideoLabels(name, look.fps(), pos.length, base.phases(), base.frameLabels(), null,
          built.anomalies, built.cycles).write(out.resolve("labels/" + name + ".json"));
      names.add(name);
    }
    return names;
  }

  /** A recording as it is put together: positions per frame and what happened where. */
  private static final class Recording {
    final List<Double> pos = new ArrayList<>();
    final List<Boolean> frozen = new ArrayList<>();
    final List<VideoLabels.Anomaly> anomalies = new ArrayList<>();
    final List<VideoLabels.Span> cycles = new ArrayList<>();
    final List<int[]> objects = new ArrayList<>(); // from, to, x, y, size, colour

    void idle(int n) {
      for (int k = 0; k < n; k++) {
        add(Double.NaN, false);
      }
    }

    void add(double p, boolean freeze) {
      pos.add(p);
      frozen.add(freeze);
    }

    void cycle(Warp w, int m, FootageGenerator.Options look, String type, SplittableRandom r) {
      int parts = look.phases();
      List<Double> c = new ArrayList<>();
      for (int t = 0; t < w.length(); t++) {
        c.add(w.position(t));
      }
      int start = pos.size();
      String partName = null;
      int mark = -1;
      if ("skipped_phase".equals(type)) {
        int k = 1 + r.nextInt(parts - 2);
        List<Double> kept = new ArrayList<>();
        for (double p : c) {
          if (part(p, m, parts) == k) {
            mark = mark < 0 ? kept.size() : mark;
          } else {
            kept.add(p);
          }
        }
        c = kept;
        partName = "part" + (k + 1);
      } else if ("swapped_phases".equals(type)) {
        int k = 1 + r.nextInt(parts - 2);
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        List<Double> before = new ArrayList<>();
        List<Double> after = new ArrayList<>();
        for (double p : c) {
          int q = part(p, m, parts);
          (q < k ? before : q == k ? a : q == k + 1 ? b : after).add(p);
        }
        c = new ArrayList<>(before);
        mark = c.size();
        c.addAll(b);
        c.addAll(a);
        c.addAll(after);
        anomalies.add(new VideoLabels.Anomaly(type, start + mark, start + mark + a.size()
            + b.size() - 1, "part" + (k + 1) + ",part" + (k + 2)));
      }
      int stallAt = "stall".equals(type) ? (int) (c.size() * (0.2 + 0.6 * r.nextDouble())) : -1;
      for (int t = 0; t < c.size(); t++) {
        add(c.get(t), false);
        if (t == stallAt) {
          int len = (int) Math.round(look.fps() * (3 + 3 * r.nextDouble()));
          int from = pos.size();
          for (int k = 0; k < len; k++) {
            add(c.get(t), true);
          }
          anomalies.add(new VideoLabels.Anomaly(type, from, pos.size() - 1, "part"
              + (part(c.get(t), m, parts) + 1)));
        }
      }
      int end = pos.size() - 1;
      if ("skipped_phase".equals(type)) {
        anomalies.add(new VideoLabels.Anomaly(type, start + mark, start + mark, partName));
      }
      if ("foreign_object".equals(type)) {
        int len = Math.min(end - start + 1, (int) Math.round(look.fps()
            * (1 + 1.5 * r.nextDouble())));
        int from = start + r.nextInt(Math.max(1, end - start + 2 - len));
        int size = (int) (look.height() * (0.25 + 0.15 * r.nextDouble()));
        objects.add(new int[] {from, from + len - 1, r.nextInt(look.width() - size),
            r.nextInt(look.height() - size), size, r.nextInt(0xffffff)});
        anomalies.add(new VideoLabels.Anomaly(type, from, from + len - 1, "part"
            + (part(pos.get(from), m, parts) + 1)));
      }
      cycles.add(new VideoLabels.Span(start, end));
    }

    static int part(double p, int m, int parts) {
      return Math.min(parts - 1, (int) (Math.round(p) * parts / m));
    }

    double[] positions() {
      return pos.stream().mapToDouble(Double::doubleValue).toArray();
    }

    boolean[] frozen() {
      boolean[] f = new boolean[frozen.size()];
      for (int t = 0; t < f.length; t++) {
        f[t] = frozen.get(t);
      }
      return f;
    }

    /** The pasted objects: a shaded block with a handle, as a tool or a part left in view. */
    FootageGenerator.Overlay overlay(FootageGenerator.Options look) {
      return (t, img) -> {
        for (int[] ob : objects) {
          if (t < ob[0] || t > ob[1]) {
            continue;
          }
          Graphics2D g = img.createGraphics();
          g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
          Color c = new Color(ob[5]);
          g.setPaint(new GradientPaint(ob[2], ob[3], c.brighter(), ob[2] + ob[4],
              ob[3] + ob[4], c.darker()));
          g.fillRoundRect(ob[2], ob[3], ob[4], ob[4] * 2 / 3, ob[4] / 5, ob[4] / 5);
          g.setColor(Color.DARK_GRAY);
          g.fillRect(ob[2] + ob[4] / 3, ob[3] + ob[4] * 2 / 3, ob[4] / 3, ob[4] / 3);
          g.dispose();
        }
      };
    }
  }
}
