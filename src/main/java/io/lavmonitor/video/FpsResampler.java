package io.lavmonitor.video;

/**
 * Resamples a source to a fixed frame rate by timestamps, not by index: output frame k is the
 * newest input frame captured at or before t0 + k / fps, so frames are dropped when the input is
 * faster and repeated when it is slower or has gaps. Output timestamps are the slot times.
 */
public final class FpsResampler implements VideoSource {
  private final VideoSource source;
  private final double fps;
  private final VideoInfo info;
  private VideoFrame held;
  private VideoFrame ahead;
  private long previousInputTs = Long.MIN_VALUE;
  private long t0;
  private long k;
  private boolean started;

  public FpsResampler(VideoSource source, double fps) {
    if (!(fps > 0) || !Double.isFinite(fps)) {
      throw new VideoException("target frame rate must be positive, got " + fps);
    }
    this.source = source;
    this.fps = fps;
    VideoInfo in = source.info();
    long count = in.frameCount() > 0 && in.fps() > 0
        ? Math.round(in.frameCount() * fps / in.fps()) : -1;
    this.info = new VideoInfo(in.source(), fps, count, in.width(), in.height(), in.codec(),
        in.format());
  }

  @Override
  public VideoInfo info() {
    return info;
  }

  @Override
  public VideoFrame next() {
    if (!started) {
      started = true;
      held = source.next();
      if (held == null) {
        return null;
      }
      t0 = held.timestampMicros();
      ahead = source.next();
    }
    if (held == null) {
      return null;
    }
    long slot = t0 + Math.round(k * 1e6 / fps);
    while (ahead != null && ahead.timestampMicros() <= slot) {
      previousInputTs = held.timestampMicros();
      held = ahead;
      ahead = source.next();
    }
    if (ahead == null) {
      // The last input frame lasts as long as the interval before it.
      long last = held.timestampMicros();
      long interval = previousInputTs == Long.MIN_VALUE ? Math.round(1e6 / fps)
          : last - previousInputTs;
      if (slot >= last + Math.max(interval, 1)) {
        held = null;
        return null;
      }
    }
    return new VideoFrame(k++, slot, held.width(), held.height(), held.rgb());
  }

  @Override
  public long skippedFrames() {
    return source.skippedFrames();
  }

  @Override
  public void close() {
    source.close();
  }
}
