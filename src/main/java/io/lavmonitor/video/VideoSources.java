package io.lavmonitor.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Opens the right {@link VideoSource} for a location. */
public final class VideoSources {
  private static final Pattern NETWORK = Pattern.compile(
      "^(rtsp|rtsps|rtmp|http|https|udp|tcp|srt)://.*", Pattern.CASE_INSENSITIVE);

  private VideoSources() {}

  public static VideoSource open(String location) {
    return open(location, VideoOptions.defaults(), gap -> { });
  }

  /**
   * Opens a video file (mp4, avi, mkv, webm, gif, MJPEG, anything FFmpeg reads), a folder of
   * numbered images, a network stream (rtsp://, http://, ...; reconnected when it drops) or a
   * V4L2 device (/dev/videoN).
   *
   * @param onGap told about every gap in a live stream after it reconnects
   */
  public static VideoSource open(String location, VideoOptions options,
                                 Consumer<ReconnectingSource.Gap> onGap) {
    if (NETWORK.matcher(location).matches()) {
      return new ReconnectingSource(location,
          () -> new FfmpegVideoSource(location, FfmpegVideoSource.Kind.NETWORK, options),
          options, onGap, d -> Thread.sleep(d.toMillis()));
    }
    if (location.toLowerCase(Locale.ROOT).startsWith("/dev/video")) {
      return new FfmpegVideoSource(location, FfmpegVideoSource.Kind.DEVICE, options);
    }
    Path p = Path.of(location);
    if (Files.isDirectory(p)) {
      return new ImageFolderSource(p, options);
    }
    return new FfmpegVideoSource(location, FfmpegVideoSource.Kind.FILE, options);
  }
}
