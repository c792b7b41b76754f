package io.lavmonitor.footage;

import ai.djl.Device;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.embed.StreamEmbedder;
import io.lavmonitor.eval.PixelFeatures;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Per-frame features of a recording as the monitor would compute them: raw pixels, or an
 * encoder's embeddings one frame at a time with the context of the frames before (the
 * reference as a loop, as {@code lav reference} embeds it).
 */
public interface Features extends AutoCloseable {
  /** A short name for tables. */
  String name();

  /** One row per frame of a camera recording. */
  double[][] recording(String video);

  /** One row per frame of the reference cycle. */
  double[][] reference(String video);

  @Override
  default void close() {}

  /** The same features, each recording computed once (to measure several aligners on them). */
  static Features cached(Features f) {
    java.util.Map<String, double[][]> rec = new java.util.HashMap<>();
    java.util.Map<String, double[][]> ref = new java.util.HashMap<>();
    return new Features() {
      @Override
      public String name() {
        return f.name();
      }

      @Override
      public double[][] recording(String video) {
        return rec.computeIfAbsent(video, f::recording);
      }

      @Override
      public double[][] reference(String video) {
        return ref.computeIfAbsent(video, f::reference);
      }

      @Override
      public void close() {
        f.close();
      }
    };
  }

  /** Raw downscaled grey pixels ({@link PixelFeatures}). */
  static Features pixels() {
    return new Features() {
      @Override
      public String name() {
        return "pixels";
      }

      @Override
      public double[][] recording(String video) {
        return PixelFeatures.of(video);
      }

      @Override
      public double[][] reference(String video) {
        return PixelFeatures.of(video);
      }
    };
  }

  /** An encoder's embeddings, computed as the monitor computes them. */
  static Features encoder(String name, LavEncoder encoder, int size, int k, int stride,
                          Device device) {
    StreamEmbedder e = new StreamEmbedder(encoder, size, k, stride, device);
    return new Features() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double[][] recording(String video) {
        Deque<float[]> history = new ArrayDeque<>();
        List<double[]> rows = new ArrayList<>();
        for (BufferedImage img : frames(video)) {
          rows.add(e.embed(img, history));
        }
        return rows.toArray(new double[0][]);
      }

      @Override
      public double[][] reference(String video) {
        List<BufferedImage> f = frames(video);
        Deque<float[]> history = new ArrayDeque<>();
        for (int i = Math.max(0, f.size() - e.keep() + 1); i < f.size(); i++) {
          e.embed(f.get(i), history); // the cycle's end is the context of its start
        }
        double[][] rows = new double[f.size()][];
        for (int i = 0; i < rows.length; i++) {
          rows[i] = e.embed(f.get(i), history);
        }
        return rows;
      }

      @Override
      public void close() {
        e.close();
      }
    };
  }

  private static List<BufferedImage> frames(String video) {
    List<BufferedImage> out = new ArrayList<>();
    try (VideoSource src = VideoSources.open(video)) {
      for (VideoFrame f = src.next(); f != null; f = src.next()) {
        out.add(f.toImage());
      }
    }
    return out;
  }
}
