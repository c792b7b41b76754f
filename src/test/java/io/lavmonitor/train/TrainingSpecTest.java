package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the training specification takes from the data: the context stride and C-IDM window. */
class TrainingSpecTest {
  @Test
  void theWindowAndStrideFollowTheMedianVideoUnlessGiven() {
    TrainingSpec d = TrainingSpec.defaults();
    // The paper's 10 frames on videos of about 200; 2 on 40-frame cycles; never below 1.
    assertEquals(10, d.sigmaFor(197));
    assertEquals(2, d.sigmaFor(40));
    assertEquals(1, d.sigmaFor(8));
    assertEquals(10, d.strideFor(197));
    TrainingSpec resolved = d.forData(40);
    assertEquals(2, resolved.sigma());
    assertEquals(2, resolved.stride());
    assertTrue(d.sigmaReason(40).contains("40 frames"), d.sigmaReason(40));
    TrainingSpec given = TrainingSpec.builder().sigma(3.5).stride(4).build();
    assertEquals(3.5, given.forData(40).sigma());
    assertEquals(4, given.forData(40).stride());
    assertTrue(given.sigmaReason(40).startsWith("given"));
    // A window left to the data is not silently taken as no window.
    assertThrows(IllegalStateException.class, d::lavLoss);
    assertEquals(2, resolved.lavLoss().regularizer().sigma());
  }
}
