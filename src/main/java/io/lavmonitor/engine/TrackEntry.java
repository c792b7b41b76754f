package io.lavmonitor.engine;

import java.nio.ByteBuffer;

/**
 * One frame of the running cycle as the cycle's end needs it: the reference frame the online
 * path matched, capture time, the agent's sequence, the camera's frame number, and the
 * embedding quantised to int8 (unit vectors: x 127), from which the cycle's exact DTW path is
 * computed when it ends. About d + 26 bytes.
 */
public record TrackEntry(int index, long captureMicros, long sequence, long frame, byte[] emb) {
  public byte[] toBytes() {
    return ByteBuffer.allocate(26 + emb.length).putShort((short) index).putLong(captureMicros)
        .putLong(sequence).putLong(frame).put(emb).array();
  }

  public static TrackEntry fromBytes(byte[] b) {
    ByteBuffer in = ByteBuffer.wrap(b);
    int index = in.getShort();
    long micros = in.getLong();
    long seq = in.getLong();
    long frame = in.getLong();
    byte[] emb = new byte[in.remaining()];
    in.get(emb);
    return new TrackEntry(index, micros, seq, frame, emb);
  }

  /** An embedding quantised to int8. */
  public static byte[] quantise(double[] e) {
    byte[] q = new byte[e.length];
    for (int k = 0; k < e.length; k++) {
      q[k] = (byte) Math.round(Math.max(-1, Math.min(1, e[k])) * 127);
    }
    return q;
  }
}
