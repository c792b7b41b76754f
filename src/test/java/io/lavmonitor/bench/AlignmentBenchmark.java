package io.lavmonitor.bench;

import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Reference;
import io.lavmonitor.align.SoftDtw;
import io.lavmonitor.align.StreamingAligner;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of the alignment core. Run with
 * {@code mvn -B test-compile exec:exec@jmh -Djmh.args=AlignmentBenchmark}.
 *
 * <p>The heap is fixed and pre-touched: on these virtual machines first-touch page faults of a
 * growing heap otherwise make per-call times swing by 3x between runs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class AlignmentBenchmark {
  @Param({"256"})
  int n;

  @Param({"128"})
  int d;

  @Param({"512"})
  int m;

  double[][] x;
  double[][] y;
  SoftDtw sdtw;
  StreamingAligner aligner;
  double[][] stream;
  int next;

  @Setup
  public void setup() {
    Random rnd = new Random(42);
    x = rows(rnd, n, d);
    y = rows(rnd, n, d);
    sdtw = new SoftDtw(0.1);
    SyntheticStreams synth = new SyntheticStreams(d, 42);
    aligner = new StreamingAligner(Reference.unlabelled(synth.reference(m)),
        StreamingAligner.Config.defaults(StreamingAligner.Mode.CYCLE));
    List<double[]> frames = synth.cycle(m, u -> u, 0.05, rnd);
    stream = frames.toArray(new double[0][]);
  }

  /** Soft-DTW forward + backward, cost matrix and gradients for X and Y, n x n frames. */
  @Benchmark
  public SoftDtw.Gradient softDtwForwardBackward() {
    return sdtw.gradient(x, y, Cost.SQEUCLIDEAN);
  }

  /** One streaming update against an m-frame reference; a cycle restarts after m frames. */
  @Benchmark
  public StreamingAligner.Step streamingUpdate() {
    if (next == stream.length) {
      next = 0;
      aligner.reset();
    }
    return aligner.push(stream[next++]);
  }

  /** The naive alternative at frame 100 of a cycle: recompute the whole prefix alignment. */
  @Benchmark
  public double recomputePrefixAtFrame100() {
    double[][] prefix = Arrays.copyOf(stream, 100);
    return sdtw.forwardValue(Cost.SQEUCLIDEAN.matrix(prefix, aligner.reference().frames()),
        100, m);
  }

  private static double[][] rows(Random rnd, int n, int d) {
    double[][] a = new double[n][d];
    for (double[] row : a) {
      for (int k = 0; k < d; k++) {
        row[k] = rnd.nextDouble();
      }
    }
    return a;
  }
}
