package io.lavmonitor.train;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A {@link Random} whose whole state (the 48-bit generator state and the cached second
 * Gaussian) can be written down and read back as plain numbers, so that a checkpoint stores it
 * without Java serialisation. It draws exactly the numbers {@code java.util.Random} draws for
 * the same seed (the same linear congruential generator and polar method), so runs stay as
 * reproducible as before.
 */
public final class SavedRandom extends Random {
  private static final long MULTIPLIER = 0x5DEECE66DL;
  private static final long MASK = (1L << 48) - 1;

  // Not initialised here: Random's constructor calls setSeed before field initialisers run.
  private long state;
  private boolean haveNextGaussian;
  private double nextGaussian;

  public SavedRandom(long seed) {
    super(seed);
  }

  private SavedRandom(long state, boolean haveNextGaussian, double nextGaussian) {
    super(0);
    this.state = state;
    this.haveNextGaussian = haveNextGaussian;
    this.nextGaussian = nextGaussian;
  }

  @Override
  public synchronized void setSeed(long seed) {
    state = (seed ^ MULTIPLIER) & MASK;
    haveNextGaussian = false;
  }

  @Override
  protected int next(int bits) {
    state = (state * MULTIPLIER + 0xBL) & MASK;
    return (int) (state >>> (48 - bits));
  }

  @Override
  public synchronized double nextGaussian() {
    if (haveNextGaussian) {
      haveNextGaussian = false;
      return nextGaussian;
    }
    double v1;
    double v2;
    double s;
    do {
      v1 = 2 * nextDouble() - 1;
      v2 = 2 * nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    nextGaussian = v2 * multiplier;
    haveNextGaussian = true;
    return v1 * multiplier;
  }

  /** The state as JSON-friendly numbers: {@code state}, and {@code gaussian} when cached. */
  public synchronized Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state);
    if (haveNextGaussian) {
      m.put("gaussian", nextGaussian);
    }
    return m;
  }

  /** A generator in the state {@link #toMap} wrote. */
  public static SavedRandom fromMap(Map<?, ?> m) {
    Object s = m.get("state");
    if (!(s instanceof Number n)) {
      throw new IllegalArgumentException("random state without a number 'state'");
    }
    Object g = m.get("gaussian");
    return new SavedRandom(n.longValue() & MASK, g instanceof Number,
        g instanceof Number gn ? gn.doubleValue() : 0);
  }

  /**
   * Reads a {@code java.util.Random} as checkpoints of release 0.1 stored it (Java
   * serialisation, base64), without deserialising anything: the stream of a Random ends with
   * its three fields in the order the serialisation sorts them (haveNextNextGaussian,
   * nextNextGaussian, seed) and an end-of-block byte.
   */
  public static SavedRandom fromLegacy(String base64) {
    byte[] b = Base64.getDecoder().decode(base64);
    String text = new String(b, StandardCharsets.ISO_8859_1);
    if (b.length < 40 || (b[0] & 0xff) != 0xAC || (b[1] & 0xff) != 0xED
        || !text.contains("java.util.Random") || b[b.length - 1] != 0x78) {
      throw new IllegalArgumentException("not a serialised java.util.Random");
    }
    ByteBuffer in = ByteBuffer.wrap(b, b.length - 18, 17);
    boolean have = in.get() != 0;
    double gaussian = in.getDouble();
    long seed = in.getLong();
    if ((seed & ~MASK) != 0) {
      throw new IllegalArgumentException("not a serialised java.util.Random (seed " + seed
          + ")");
    }
    return new SavedRandom(seed, have, gaussian);
  }
}
