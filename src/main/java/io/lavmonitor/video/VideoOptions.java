package io.lavmonitor.video;

import java.time.Duration;

/**
 * How sources are opened.
 *
 * @param maxPixels frames with more pixels are refused before they are decoded, so that a
 *     16k x 16k frame cannot exhaust memory (default 4096 x 4096)
 * @param maxConsecutiveErrors undecodable frames in a row after which the source gives up
 * @param imageFps frame rate assigned to a folder of images
 * @param reconnect for live streams: reconnect when the stream drops
 * @param initialBackoff first wait before reconnecting; doubles with every failed attempt
 * @param maxBackoff longest wait between attempts
 * @param maxReconnectAttempts attempts in a row before giving up; 0 means never give up
 * @param networkTimeout socket timeout of network streams
 */
public record VideoOptions(long maxPixels, int maxConsecutiveErrors, double imageFps,
                           boolean reconnect, Duration initialBackoff, Duration maxBackoff,
                           int maxReconnectAttempts, Duration networkTimeout) {

  public static VideoOptions defaults() {
    return new VideoOptions(4096L * 4096L, 25, 15.0, true, Duration.ofMillis(500),
        Duration.ofSeconds(30), 0, Duration.ofSeconds(10));
  }

  public VideoOptions withMaxPixels(long pixels) {
    return new VideoOptions(pixels, maxConsecutiveErrors, imageFps, reconnect, initialBackoff,
        maxBackoff, maxReconnectAttempts, networkTimeout);
  }

  public VideoOptions withImageFps(double fps) {
    return new VideoOptions(maxPixels, maxConsecutiveErrors, fps, reconnect, initialBackoff,
        maxBackoff, maxReconnectAttempts, networkTimeout);
  }

  public VideoOptions withReconnect(boolean on, Duration initial, Duration max, int attempts) {
    return new VideoOptions(maxPixels, maxConsecutiveErrors, imageFps, on, initial, max,
        attempts, networkTimeout);
  }

  void checkSize(String source, int width, int height) {
    if ((long) width * height > maxPixels) {
      throw new VideoException(source + ": frame size " + width + "x" + height
          + " exceeds the limit of " + maxPixels + " pixels");
    }
  }
}
