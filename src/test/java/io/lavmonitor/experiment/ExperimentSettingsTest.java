package io.lavmonitor.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.lavmonitor.train.Method;
import io.lavmonitor.train.TrainingSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Stored runs are keyed by every setting that changes their outcome, and only by those. */
class ExperimentSettingsTest {
  static String tag(UnaryOperator<TrainingSpec.Builder> change) {
    return new ExperimentSettings(change.apply(TrainingSpec.builder().backbone("small")
        .size(64)).build(), 10, Path.of("w")).tag();
  }

  @Test
  void everySettingThatChangesARunChangesItsKey() {
    String base = tag(b -> b);
    List<UnaryOperator<TrainingSpec.Builder>> changes = List.of(b -> b.stride(7),
        b -> b.dim(64), b -> b.weightDecay(1e-4), b -> b.crop(0.1), b -> b.gamma(0.2),
        b -> b.alpha(0.3), b -> b.sigma(5), b -> b.margin(1), b -> b.augment(false),
        b -> b.brightness(0.2), b -> b.contrast(0.3), b -> b.context(3), b -> b.lr(1e-3),
        b -> b.framesPerVideo(10), b -> b.size(96), b -> b.backbone("resnet50-conv4c"));
    for (int i = 0; i < changes.size(); i++) {
      assertNotEquals(base, tag(changes.get(i)), "change " + i);
    }
  }

  @Test
  void whatEachRunSetsItselfDoesNot() {
    String base = tag(b -> b);
    assertEquals(base, tag(b -> b.seed(5)));
    assertEquals(base, tag(b -> b.method(Method.TCC)));
    assertEquals(base, tag(b -> b.steps(77)));
    assertEquals(base, tag(b -> b.labelFraction(0.1)));
    assertEquals(base, tag(b -> b.loss("sdtw")));
  }
}
