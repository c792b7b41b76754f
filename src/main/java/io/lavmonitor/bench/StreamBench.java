package io.lavmonitor.bench;

import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Reference;
import io.lavmonitor.align.SoftDtw;
import io.lavmonitor.align.StreamingAligner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Times one streaming update, and, on the same frames, the naive alternative: recomputing the
 * whole prefix alignment (cost matrix and soft-DTW) at every new frame.
 *
 * <p>Two kinds of data: {@code cycles}, a stream of noisy, time-warped performances of the
 * reference trajectory with idle spells between them (what a camera sees), and {@code random},
 * unit vectors with no structure. Random data is the worst case: every frame costs about the same
 * against every reference frame, so no soft-min term is negligible and none can be skipped.
 */
public final class StreamBench {
  private StreamBench() {}

  /** Microseconds per frame for both, and their ratio. */
  public record Result(int m, int d, int frames, double usPerFrame, int recomputeFrames,
                       double recomputeUsPerFrame) {
    public double speedup() {
      return recomputeUsPerFrame / usPerFrame;
    }
  }

  public static Result run(int m, int d, int frames, int recomputeFrames,
                           StreamingAligner.Mode mode, boolean random, Runnable tick) {
    return run(m, d, frames, recomputeFrames, mode, StreamingAligner.Pattern.SLOPE, random,
        tick);
  }

  /** As {@link #run(int, int, int, int, StreamingAligner.Mode, boolean, Runnable)}, for a pattern. */
  public static Result run(int m, int d, int frames, int recomputeFrames,
                           StreamingAligner.Mode mode, StreamingAligner.Pattern pattern,
                           boolean random, Runnable tick) {
    Random rnd = new Random(42);
    int total = Math.max(frames, recomputeFrames);
    double[][] ref;
    double[][] stream;
    if (random) {
      ref = SyntheticStreams.unitRows(rnd, m, d);
      stream = SyntheticStreams.unitRows(rnd, total, d);
    } else {
      SyntheticStreams synth = new SyntheticStreams(d, 42);
      ref = synth.reference(m);
      List<double[]> frames0 = new ArrayList<>();
      while (frames0.size() < total) {
        frames0.addAll(synth.idle(m / 4, 0.05, rnd));
        double bend = 0.7 + 0.6 * rnd.nextDouble();
        frames0.addAll(synth.cycle((int) (m * (0.8 + 0.4 * rnd.nextDouble())),
            u -> Math.pow(u, bend), 0.05, rnd));
      }
      stream = frames0.subList(0, total).toArray(new double[0][]);
    }
    StreamingAligner aligner = new StreamingAligner(Reference.unlabelled(ref),
        StreamingAligner.Config.defaults(mode).withPattern(pattern));
    double sink = 0;
    // Warm-up: one pass over the frames and at least two seconds, so the JIT has compiled the
    // update before it is timed.
    long until = System.nanoTime() + 2_000_000_000L;
    for (int t = 0; t < frames || System.nanoTime() < until; t++) {
      if (t % frames == 0) {
        aligner.reset();
      }
      sink += aligner.push(stream[t % frames]).position();
    }
    aligner.reset();
    long t0 = System.nanoTime();
    for (int t = 0; t < frames; t++) {
      sink += aligner.push(stream[t]).position();
      if ((t & 1023) == 0) {
        tick.run();
      }
    }
    long t1 = System.nanoTime();
    double us = (t1 - t0) / 1e3 / frames;

    SoftDtw sdtw = new SoftDtw(StreamingAligner.Config.defaults(mode).gamma());
    long r0 = 0;
    for (int pass = 0; pass < 2; pass++) { // pass 0 warms up
      long s0 = System.nanoTime();
      for (int t = 0; t < recomputeFrames; t++) {
        double[][] prefix = java.util.Arrays.copyOf(stream, t + 1);
        sink += sdtw.forwardValue(Cost.SQEUCLIDEAN.matrix(prefix, ref), t + 1, m);
        tick.run();
      }
      r0 = System.nanoTime() - s0;
    }
    if (sink == 42.4242) {
      System.err.print(""); // keeps the work observable to the JIT
    }
    return new Result(m, d, frames, us, recomputeFrames, r0 / 1e3 / recomputeFrames);
  }
}
