package io.lavmonitor.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CostTest {

  @Test
  void transposedDotsEqualPlainDotProductsBitForBit() {
    Random rnd = new Random(6);
    for (int d : new int[] {1, 3, 4, 7, 128}) {
      double[][] rows = SoftDtwTest.random(rnd, 13, d);
      double[] a = SoftDtwTest.random(rnd, 1, d)[0];
      double[] out = new double[13];
      new Dots(rows).against(a, out);
      for (int j = 0; j < 13; j++) {
        assertEquals(Cost.dot(a, rows[j]), out[j], 0.0, "d=" + d + " row " + j);
      }
    }
  }

  @Test
  void matrixAgreesWithPairwiseDefinition() {
    Random rnd = new Random(8);
    double[][] x = SoftDtwTest.random(rnd, 6, 5);
    double[][] y = SoftDtwTest.random(rnd, 9, 5);
    for (Cost c : Cost.values()) {
      double[] m = c.matrix(x, y);
      for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 9; j++) {
          assertEquals(c.between(x[i], y[j]), m[i * 9 + j], 1e-12, c + " " + i + "," + j);
        }
      }
    }
    // Independent values: orthogonal unit vectors have cosine cost 1, squared distance 2.
    double[][] e1 = {{1, 0}};
    double[][] e2 = {{0, 1}};
    assertEquals(2.0, Cost.SQEUCLIDEAN.matrix(e1, e2)[0], 0.0);
    assertEquals(1.0, Cost.COSINE.matrix(e1, e2)[0], 1e-15);
    assertEquals(0.0, Cost.COSINE.matrix(e1, new double[][] {{3, 0}})[0], 1e-15);
  }
}
