package io.lavmonitor.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The frame envelope's two versions, built byte by byte from the documented layouts. */
class FrameEnvelopeTest {
  static final byte[] PAYLOAD = {9, 8, 7, 6, 5};

  @Test
  void versionTwoCarriesTheAgentSession() {
    FrameEnvelope e = new FrameEnvelope(1_764_400_000_000_000L, 42L, 7, 640, 480,
        FrameEnvelope.Encoding.JPEG, PAYLOAD);
    byte[] b = e.encode();
    // "LAVF", 2, 1 (JPEG), capture (8), session (8), sequence (8), w, h, length (4 each).
    ByteBuffer x = ByteBuffer.allocate(42 + PAYLOAD.length).putInt(0x4C415646).put((byte) 2)
        .put((byte) 1).putLong(1_764_400_000_000_000L).putLong(42L).putLong(7).putInt(640)
        .putInt(480).putInt(PAYLOAD.length).put(PAYLOAD);
    assertArrayEquals(x.array(), b);
    FrameEnvelope d = FrameEnvelope.decode(b);
    assertEquals(42L, d.session());
    assertEquals(7, d.sequence());
    assertArrayEquals(PAYLOAD, d.payload());
  }

  @Test
  void versionOneStillDecodesWithoutASession() {
    ByteBuffer v1 = ByteBuffer.allocate(34 + PAYLOAD.length).putInt(0x4C415646).put((byte) 1)
        .put((byte) 2).putLong(123L).putLong(99).putInt(32).putInt(24).putInt(PAYLOAD.length)
        .put(PAYLOAD);
    FrameEnvelope d = FrameEnvelope.decode(v1.array());
    assertEquals(0, d.session());
    assertEquals(99, d.sequence());
    assertEquals(123L, d.captureMicros());
    assertEquals(FrameEnvelope.Encoding.PNG, d.encoding());
    assertEquals(32, d.width());
    assertArrayEquals(PAYLOAD, d.payload());
    assertArrayEquals(v1.array(), d.encodeV1());
  }

  @Test
  void damagedEnvelopesAreRefusedWithTheirProblem() {
    byte[] good = new FrameEnvelope(1, 2, 3, 4, 5, FrameEnvelope.Encoding.JPEG, PAYLOAD)
        .encode();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FrameEnvelope.decode(
        java.util.Arrays.copyOf(good, 38))).getMessage().contains("too short"));
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FrameEnvelope.decode(magic))
        .getMessage().contains("bad magic"));
    byte[] version = good.clone();
    version[4] = 3;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FrameEnvelope.decode(
        version)).getMessage().contains("version 3"));
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FrameEnvelope.decode(cut))
        .getMessage().contains("payload 5 of 4 bytes"));
  }
}
