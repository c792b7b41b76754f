package io.lavmonitor.video;

import org.bytedeco.ffmpeg.global.avutil;

/** Process-wide FFmpeg settings. */
public final class Ffmpeg {
  static {
    // FFmpeg logs to stderr from native code; our errors say what matters in one line.
    // -Dlav.ffmpeg.loglevel=32 (AV_LOG_INFO) brings its own messages back for debugging.
    avutil.av_log_set_level(Integer.getInteger("lav.ffmpeg.loglevel", avutil.AV_LOG_QUIET));
  }

  private Ffmpeg() {}

  /** Applies the settings; call before the first grabber or recorder. Idempotent. */
  public static void init() {
    // The static initialiser does the work once.
  }
}
