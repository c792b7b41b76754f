package io.lavmonitor.video;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live stream that survives drops: when the stream ends or fails, it reconnects with
 * exponential backoff and reports the gap, then carries on numbering frames where it left off.
 * The first connection is not retried, so that a wrong address fails at once with a clear error.
 */
public final class ReconnectingSource implements VideoSource {
  private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSource.class);

  /**
   * Time without frames between a drop and the first frame after reconnecting.
   *
   * @param fromMicros timestamp of the last frame before the drop (wall clock, microseconds)
   * @param toMicros timestamp of the first frame after it
   * @param attempts connection attempts it took
   * @param reason why the stream dropped
   */
  public record Gap(long fromMicros, long toMicros, int attempts, String reason) {
    public Duration duration() {
      return Duration.ofNanos((toMicros - fromMicros) * 1000);
    }
  }

  /** Waits between attempts; tests pass one that does not sleep. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final String location;
  private final Supplier<VideoSource> opener;
  private final VideoOptions options;
  private final Consumer<Gap> onGap;
  private final Sleeper sleeper;
  private final VideoInfo info;
  private VideoSource current;
  private long sequence;
  private long lastTimestamp;
  private long skippedBefore;
  private int reconnects;
  private Gap pending;

  public ReconnectingSource(String location, Supplier<VideoSource> opener, VideoOptions options,
                            Consumer<Gap> onGap, Sleeper sleeper) {
    this.location = location;
    this.opener = opener;
    this.options = options;
    this.onGap = onGap;
    this.sleeper = sleeper;
    this.current = opener.get();
    this.info = current.info();
  }

  @Override
  public VideoInfo info() {
    return info;
  }

  /** Successful reconnections so far. */
  public int reconnects() {
    return reconnects;
  }

  @Override
  public VideoFrame next() {
    while (true) {
      String reason;
      try {
        VideoFrame f = current.next();
        if (f != null) {
          lastTimestamp = f.timestampMicros();
          if (pending != null) {
            Gap gap = new Gap(pending.fromMicros(), f.timestampMicros(), pending.attempts(),
                pending.reason());
            pending = null;
            LOG.warn("{}: stream back after {} ms ({} attempts; dropped: {})", location,
                gap.duration().toMillis(), gap.attempts(), gap.reason());
            onGap.accept(gap);
          }
          return new VideoFrame(sequence++, f.timestampMicros(), f.width(), f.height(), f.rgb());
        }
        reason = "stream ended";
      } catch (VideoException e) {
        reason = e.getMessage();
      }
      if (!options.reconnect()) {
        return null;
      }
      reconnect(reason);
    }
  }

  private void reconnect(String reason) {
    long from = lastTimestamp > 0 ? lastTimestamp : System.currentTimeMillis() * 1000;
    skippedBefore += current.skippedFrames();
    current.close();
    LOG.warn("{}: stream dropped ({}), reconnecting", location, reason);
    Duration wait = options.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VideoException(location + ": interrupted while reconnecting");
      }
      try {
        current = opener.get();
        reconnects++;
        pending = new Gap(from, 0, attempt, reason);
        return;
      } catch (VideoException e) {
        if (options.maxReconnectAttempts() > 0 && attempt >= options.maxReconnectAttempts()) {
          throw new VideoException(location + ": stream lost (" + reason + "); gave up after "
              + attempt + " attempts: " + e.getMessage());
        }
        LOG.debug("{}: reconnect attempt {} failed: {}", location, attempt, e.getMessage());
      }
      Duration doubled = wait.multipliedBy(2);
      wait = doubled.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : doubled;
    }
  }

  @Override
  public long skippedFrames() {
    return skippedBefore + current.skippedFrames();
  }

  @Override
  public void close() {
    current.close();
  }
}
