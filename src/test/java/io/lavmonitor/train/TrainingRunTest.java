package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.lavmonitor.data.Dataset;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training runs on real decoded video with libtorch: the same seed gives the same weights, and a
 * run stopped at a checkpoint and resumed ends with exactly the weights of an uninterrupted run.
 */
class TrainingRunTest {
  @TempDir
  static Path dir;

  static TrainingData data;

  @BeforeAll
  static void generate() throws Exception {
    SynthGenerator.generate(dir.resolve("ds"), new SynthGenerator.Options(Task.PRESS, 5, 3,
        0.4, 0, 32, 8, false, 1), n -> { });
    data = TrainingData.load(Dataset.open(dir.resolve("ds")), null, 32);
  }

  static TrainingSpec spec(int steps) {
    return TrainingSpec.builder().backbone("small").size(32).dim(8).framesPerVideo(6)
        .stride(3).sigma(10).lr(1e-3).steps(steps).checkpointEvery(2).evalEvery(0).seed(7)
        .build();
  }

  static TrainingRun.Config config(Path work, int steps) {
    return new TrainingRun.Config(spec(steps), "small", 3, steps, work, null, null,
        Device.cpu(), 0);
  }

  static TrainingRun.Listener quiet() {
    return (step, loss, smoothed, rate) -> { };
  }

  @Test
  void sameSeedSameWeightsAndResumeContinuesExactly() throws Exception {
    TrainingRun.Result a = new TrainingRun(config(dir.resolve("a"), 5), data.tasks(), null)
        .run(false, new AtomicBoolean(), quiet());
    TrainingRun.Result b = new TrainingRun(config(dir.resolve("b"), 5), data.tasks(), null)
        .run(false, new AtomicBoolean(), quiet());
    assertEquals(5, a.steps());
    assertFalse(a.interrupted());
    assertEquals(0, a.skippedSteps());
    assertEquals(ModelStore.sha256(a.weights()), ModelStore.sha256(b.weights()),
        "same seed, same weights");

    // Stop after step 3 (as Ctrl-C does): a checkpoint of step 3 is written.
    AtomicBoolean stop = new AtomicBoolean();
    TrainingRun c = new TrainingRun(config(dir.resolve("c"), 5), data.tasks(), null);
    TrainingRun.Result first = c.run(false, stop, (step, loss, sm, rate) -> {
      if (step == 3) {
        stop.set(true);
      }
    });
    assertTrue(first.interrupted());
    assertEquals(3, first.steps());
    assertTrue(c.hasCheckpoint());
    assertNotEquals(ModelStore.sha256(a.weights()), ModelStore.sha256(first.weights()));
    TrainingRun.Result resumed = new TrainingRun(config(dir.resolve("c"), 5), data.tasks(), null)
        .run(true, new AtomicBoolean(), quiet());
    assertEquals(5, resumed.steps());
    assertEquals(ModelStore.sha256(a.weights()), ModelStore.sha256(resumed.weights()),
        "stopped at 3 and resumed: the weights of the uninterrupted run");
    List<String> log = Files.readAllLines(resumed.log());
    assertEquals(6, log.size(), "header and one row per step, none twice: " + log);
    assertEquals(Files.readAllLines(a.log()).get(4).split(",")[1], log.get(4).split(",")[1],
        "step 4's loss as in the uninterrupted run");
    assertFalse(new TrainingRun(config(dir.resolve("c"), 5), data.tasks(), null)
        .hasCheckpoint(), "a finished run leaves no checkpoint");
  }

  /**
   * Every baseline trains without a skipped step, and resumes exactly: for SAL and supervised
   * that needs the classifier head, which is not part of the encoder, restored from the
   * checkpoint too.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = Method.class,
      names = {"LAV_TCC", "TCC", "TCN", "SAL", "SUPERVISED"})
  void everyMethodTrainsAndResumesExactly(Method m) throws Exception {
    List<List<PairTrainer.Frames>> tasks = data.tasksFor(m, 0.3, 7);
    if (m.needsLabels()) {
      assertEquals(1, tasks.get(0).size(), "ceil(0.3 n) of the training videos are labelled");
      assertTrue(tasks.get(0).get(0).labels() != null);
    } else {
      assertTrue(tasks.get(0).stream().allMatch(f -> f.labels() == null),
          "self-supervised methods never see labels");
    }
    Path base = dir.resolve(m.id().replace('+', '_'));
    TrainingRun.Result a = new TrainingRun(config(base.resolve("a"), 5, m), tasks, null)
        .run(false, new AtomicBoolean(), quiet());
    assertEquals(0, a.skippedSteps());
    assertTrue(Double.isFinite(a.smoothedLoss()));
    AtomicBoolean stop = new AtomicBoolean();
    TrainingRun.Result first = new TrainingRun(config(base.resolve("c"), 5, m), tasks, null)
        .run(false, stop, (step, loss, sm, rate) -> stop.set(step == 3));
    assertTrue(first.interrupted());
    TrainingRun.Result resumed = new TrainingRun(config(base.resolve("c"), 5, m), tasks, null)
        .run(true, new AtomicBoolean(), quiet());
    assertEquals(ModelStore.sha256(a.weights()), ModelStore.sha256(resumed.weights()),
        m + ": stopped at 3 and resumed gives the uninterrupted run's weights");
  }

  static TrainingRun.Config config(Path work, int steps, Method m) {
    return new TrainingRun.Config(spec(steps).toBuilder().method(m).build(), "small", 3, steps,
        work, null, null, Device.cpu(), data.phases());
  }

  @Test
  void validationMeasuresLandInTheResultAndThePlot() throws Exception {
    Validation v = data.validation(2, 3);
    TrainingRun.Result r = new TrainingRun(config(dir.resolve("v"), 2), data.tasks(), v)
        .run(false, new AtomicBoolean(), quiet());
    for (String k : new String[] {"classification", "progression", "kendall_tau", "ap5",
        "mean_distance"}) {
      assertTrue(r.metrics().containsKey(k), k + " in " + r.metrics());
      assertTrue(Double.isFinite(r.metrics().get(k)), k);
    }
    double tau = r.metrics().get("kendall_tau");
    assertTrue(tau >= -1 && tau <= 1);
    assertTrue(ImageIO.read(r.lossCurve().toFile()).getHeight() > 500);
  }
}
