package io.lavmonitor.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The value of a {@code lav.frames} record: a compact binary envelope around one encoded camera
 * frame. Layout of version 2 (big-endian): "LAVF", version (1 byte), encoding (1 byte: 1 JPEG,
 * 2 PNG), capture time in microseconds since the epoch (8), agent session (8), sequence number
 * (8), width (4), height (4), payload length (4), payload: 42 bytes of header. The station
 * travels in the {@code lav.station} header.
 *
 * <p>The session names one run of a camera agent (its start time in microseconds, made
 * unique): sequence numbers count within a session, so an agent that restarts at sequence 1
 * starts a new order instead of looking like a replay. Version 1 envelopes (34 bytes of header,
 * no session) still decode, with session 0.
 */
public record FrameEnvelope(long captureMicros, long session, long sequence, int width,
                            int height, Encoding encoding, byte[] payload) {
  public static final int HEADER_BYTES = 42;
  public static final int V1_HEADER_BYTES = 34;
  public static final String STATION_HEADER = "lav.station";
  private static final int MAGIC = 0x4C415646; // "LAVF"
  private static final byte VERSION = 2;

  /** A frame without a session (a version 1 sender). */
  public FrameEnvelope(long captureMicros, long sequence, int width, int height,
                       Encoding encoding, byte[] payload) {
    this(captureMicros, 0, sequence, width, height, encoding, payload);
  }

  /** How the payload is encoded. */
  public enum Encoding {
    JPEG(1), PNG(2);

    final byte code;

    Encoding(int code) {
      this.code = (byte) code;
    }

    static Encoding of(byte code) {
      for (Encoding e : values()) {
        if (e.code == code) {
          return e;
        }
      }
      throw new IllegalArgumentException("unknown frame encoding " + code);
    }
  }

  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length).order(ByteOrder.BIG_ENDIAN);
    b.putInt(MAGIC).put(VERSION).put(encoding.code).putLong(captureMicros).putLong(session)
        .putLong(sequence).putInt(width).putInt(height).putInt(payload.length).put(payload);
    return b.array();
  }

  /** The layout of version 1, as senders before agent sessions wrote it. */
  public byte[] encodeV1() {
    ByteBuffer b = ByteBuffer.allocate(V1_HEADER_BYTES + payload.length)
        .order(ByteOrder.BIG_ENDIAN);
    b.putInt(MAGIC).put((byte) 1).put(encoding.code).putLong(captureMicros).putLong(sequence)
        .putInt(width).putInt(height).putInt(payload.length).put(payload);
    return b.array();
  }

  /** Parses an envelope; IllegalArgumentException says what is wrong with the bytes. */
  public static FrameEnvelope decode(byte[] bytes) {
    if (bytes == null || bytes.length < V1_HEADER_BYTES) {
      throw new IllegalArgumentException("frame envelope too short ("
          + (bytes == null ? 0 : bytes.length) + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    if (b.getInt() != MAGIC) {
      throw new IllegalArgumentException("not a frame envelope (bad magic)");
    }
    byte version = b.get();
    if (version != 1 && version != VERSION) {
      throw new IllegalArgumentException("frame envelope version " + version
          + " not supported (1 or 2)");
    }
    if (version == VERSION && bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException("frame envelope too short (" + bytes.length
          + " bytes for a version 2 header)");
    }
    Encoding enc = Encoding.of(b.get());
    long ts = b.getLong();
    long session = version == 1 ? 0 : b.getLong();
    long seq = b.getLong();
    int w = b.getInt();
    int h = b.getInt();
    int n = b.getInt();
    if (w <= 0 || h <= 0 || n < 0 || n != b.remaining()) {
      throw new IllegalArgumentException("frame envelope with size " + w + "x" + h
          + " and payload " + n + " of " + b.remaining() + " bytes");
    }
    byte[] payload = new byte[n];
    b.get(payload);
    return new FrameEnvelope(ts, session, seq, w, h, enc, payload);
  }
}
