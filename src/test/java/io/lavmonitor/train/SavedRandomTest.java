package io.lavmonitor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The checkpoint's random generator: java.util.Random's numbers, a plain-number state. */
class SavedRandomTest {
  static void sameDraws(Random expected, Random got, int n) {
    for (int i = 0; i < n; i++) {
      assertEquals(expected.nextInt(), got.nextInt(), "int " + i);
      assertEquals(expected.nextInt(17), got.nextInt(17));
      assertEquals(expected.nextDouble(), got.nextDouble(), 0.0);
      assertEquals(expected.nextBoolean(), got.nextBoolean());
      assertEquals(expected.nextLong(), got.nextLong());
      assertEquals(expected.nextGaussian(), got.nextGaussian(), 0.0, "gaussian " + i);
    }
  }

  @Test
  void drawsWhatJavaUtilRandomDraws() {
    for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
      sameDraws(new Random(seed), new SavedRandom(seed), 500);
    }
  }

  @Test
  void itsStateRoundTripsThroughJsonMidGaussianPair() throws Exception {
    Random reference = new Random(5);
    SavedRandom r = new SavedRandom(5);
    sameDraws(reference, r, 10);
    assertEquals(reference.nextGaussian(), r.nextGaussian(), 0.0); // one of a pair is cached
    ObjectMapper json = new ObjectMapper();
    String saved = json.writeValueAsString(r.toMap());
    SavedRandom back = SavedRandom.fromMap(json.readValue(saved, Map.class));
    sameDraws(reference, back, 100);
  }

  @Test
  void aCheckpointOfTheLastReleaseIsReadWithoutDeserialising() throws Exception {
    Random old = new Random(9);
    old.nextGaussian(); // leaves the second of the pair cached
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(old); // as release 0.1 wrote checkpoints
    }
    SavedRandom r = SavedRandom.fromLegacy(Base64.getEncoder().encodeToString(
        bytes.toByteArray()));
    sameDraws(old, r, 100);
    assertThrows(IllegalArgumentException.class, () -> SavedRandom.fromLegacy(
        Base64.getEncoder().encodeToString("not a random".getBytes())));
  }
}
