package io.lavmonitor.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.FiniteDifferences;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.SoftDtw;
import io.lavmonitor.bench.SyntheticStreams;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.loss.TemporalRegularizer.Form;
import io.lavmonitor.loss.TemporalRegularizer.Kind;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossesTest {
  // Three 1-d frames at 0, 1, 3: D(0,1) = 1, D(0,2) = 9, D(1,2) = 4.
  private static final double[][] LINE = {{0}, {1}, {3}};

  @Test
  void idmOfAHandComputedExample() {
    // -sum over ordered pairs of ((i-j)^2 + 1) D(i,j) = -2 (2*1 + 5*9 + 2*4) = -110.
    LossValue v = TemporalRegularizer.of(Kind.IDM).apply(LINE);
    assertEquals(-110.0, v.value(), 1e-12);
  }

  @Test
  void contrastiveIdmOfAHandComputedExample() {
    // sigma = 1: (0,1) and (1,2) are positive pairs with W = 1/2: 2 * (0.5*1 + 0.5*4) = 5.
    // (0,2) is negative with W-bar = 5: hinge max(0, lambda - 9).
    assertEquals(5.0, new TemporalRegularizer(Kind.CIDM, 1, 5, Form.PAPER).apply(LINE).value(),
        1e-12);
    assertEquals(5.0 + 2 * 5 * (10 - 9),
        new TemporalRegularizer(Kind.CIDM, 1, 10, Form.PAPER).apply(LINE).value(), 1e-12);
    // SFA drops the weights: 2 * (1 + 4) + 2 * (10 - 9).
    assertEquals(12.0, new TemporalRegularizer(Kind.SFA, 1, 10, Form.PAPER).apply(LINE).value(),
        1e-12);
  }

  @Test
  void officialContrastiveIdmUsesNormalisedIndices() {
    // Video of 3 frames, sigma = 1 frame -> window 1/3; indices 0, 1/3, 2/3.
    // Positives (gap 1/3) get weight 1: 2 * (1 + 4) = 10.
    // Negative (0,2) gap 2/3: weight (2/3)^2 + 1 = 13/9, hinge 10 - 9 = 1, both orders.
    double v = new TemporalRegularizer(Kind.CIDM, 1, 10, Form.OFFICIAL)
        .apply(LINE, new double[] {0, 1, 2}, 3).value();
    assertEquals(10.0 + 2 * 13.0 / 9.0, v, 1e-12);
  }

  @ParameterizedTest
  @CsvSource({"IDM,PAPER", "SFA,PAPER", "CIDM,PAPER", "CIDM,OFFICIAL", "SFA,OFFICIAL"})
  void regulariserGradientsMatchFiniteDifferences(Kind kind, Form form) {
    Random rnd = new Random(kind.ordinal() * 7 + form.ordinal());
    double[][] x = SyntheticStreams.unitRows(rnd, 8, 4);
    double[] times = {0, 2, 3, 7, 9, 14, 15, 20};
    // sigma 4 frames (0.2 of the 20-frame video); lambda 2 makes some hinges active, some not.
    TemporalRegularizer reg = new TemporalRegularizer(kind, 4, 2.0,
        form);
    LossValue v = reg.apply(x, times, 20);
    FiniteDifferences.assertGradient(v.grad(), x, () -> reg.apply(x, times, 20).value());
  }

  @ParameterizedTest
  @CsvSource({"sdtw+cidm", "sdtw+idm", "sdtw+sfa", "sdtw", "cidm"})
  void lavLossGradientsMatchFiniteDifferences(String name) {
    Random rnd = new Random(name.hashCode());
    double[][] x = SyntheticStreams.unitRows(rnd, 6, 3);
    double[][] y = SyntheticStreams.unitRows(rnd, 7, 3);
    LavLoss loss = LavLoss.parse(name, 0.1, 0.5, 2, 2.0, Form.PAPER);
    LavLoss.PairValue v = loss.apply(x, y);
    FiniteDifferences.assertGradient(v.gradX(), x, () -> loss.apply(x, y).value());
    FiniteDifferences.assertGradient(v.gradY(), y, () -> loss.apply(x, y).value());
  }

  @Test
  void lavLossIsSoftDtwPlusWeightedRegularisers() {
    Random rnd = new Random(12);
    double[][] x = SyntheticStreams.unitRows(rnd, 10, 5);
    double[][] y = SyntheticStreams.unitRows(rnd, 12, 5);
    LavLoss loss = LavLoss.defaults();
    LavLoss.PairValue v = loss.apply(x, y);
    double sdtw = new SoftDtw(0.1).value(x, y, Cost.SQEUCLIDEAN);
    TemporalRegularizer cidm = TemporalRegularizer.of(Kind.CIDM);
    double expected = sdtw + 0.5 * (cidm.apply(x).value() + cidm.apply(y).value());
    assertEquals(expected, v.value(), 1e-9);
    LavLoss perFrame = new LavLoss(true, cidm, 0.1, 0.5, true);
    assertEquals(expected / 10, perFrame.apply(x, y).value(), 1e-9);
  }

  @Test
  void contrastiveIdmPenalisesCollapseAndSoftDtwAloneRewardsIt() {
    Random rnd = new Random(3);
    double[][] spread = SyntheticStreams.unitRows(rnd, 30, 8);
    double[][] collapsed = new double[30][];
    for (int i = 0; i < 30; i++) {
      collapsed[i] = spread[0].clone();
    }
    TemporalRegularizer cidm = TemporalRegularizer.of(Kind.CIDM);
    // Collapsed: every negative pair sits at distance 0 < lambda.
    assertTrue(cidm.apply(collapsed).value() > cidm.apply(spread).value());
    assertTrue(new SoftDtw(0.1).value(collapsed, collapsed, Cost.SQEUCLIDEAN)
        < new SoftDtw(0.1).value(spread, SyntheticStreams.unitRows(rnd, 30, 8), Cost.SQEUCLIDEAN));
  }

  @Test
  void parsesAblationNames() {
    assertNull(LavLoss.parse("sdtw", 0.1, 0.5, 10, 2, Form.PAPER).regularizer());
    assertEquals(Kind.SFA, LavLoss.parse("sdtw+sfa", 0.1, 0.5, 10, 2, Form.PAPER)
        .regularizer().kind());
    assertEquals(false, LavLoss.parse("idm", 0.1, 0.5, 10, 2, Form.PAPER).alignment());
    assertThrows(InvalidInputException.class,
        () -> LavLoss.parse("sdtwx", 0.1, 0.5, 10, 2, Form.PAPER));
    assertThrows(InvalidInputException.class,
        () -> LavLoss.parse("tcc", 0.1, 0.5, 10, 2, Form.PAPER));
  }
}
