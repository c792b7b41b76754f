package io.lavmonitor.video;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/** Files, network streams and V4L2 devices, decoded by FFmpeg through JavaCV. */
final class FfmpegVideoSource implements VideoSource {
  /** Where the frames come from; live kinds get wall-clock timestamps. */
  enum Kind { FILE, NETWORK, DEVICE }

  private static final int AVERROR_ENOENT = -2;
  private static final int AVERROR_INVALIDDATA = -1094995529;

  static {
    Ffmpeg.init();
  }

  private final String location;
  private final Kind kind;
  private final VideoOptions options;
  private final FFmpegFrameGrabber grabber;
  private final VideoInfo info;
  private long sequence;
  private long skipped;
  private long lastTs = Long.MIN_VALUE;
  private boolean regularSeen;
  private final boolean constantRate;

  FfmpegVideoSource(String location, Kind kind, VideoOptions options) {
    this.location = location;
    this.kind = kind;
    this.options = options;
    if (kind == Kind.FILE) {
      Path p = Path.of(location);
      if (!Files.exists(p)) {
        throw new VideoException(location + ": no such file");
      }
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw new VideoException(location + ": not a readable file");
      }
      try {
        if (Files.size(p) == 0) {
          throw new VideoException(location + ": empty file");
        }
      } catch (java.io.IOException e) {
        throw new VideoException(location + ": cannot read (" + e.getMessage() + ")");
      }
    }
    grabber = new FFmpegFrameGrabber(location);
    grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
    if (kind == Kind.DEVICE) {
      grabber.setFormat("video4linux2");
    }
    if (kind == Kind.NETWORK) {
      String micros = Long.toString(options.networkTimeout().toNanos() / 1000);
      grabber.setOption("rw_timeout", micros);
      if (location.startsWith("rtsp")) {
        grabber.setOption("rtsp_transport", "tcp");
        grabber.setOption("timeout", micros);
      }
    }
    try {
      grabber.start();
    } catch (FrameGrabber.Exception e) {
      release();
      throw new VideoException(location + ": cannot open as video (" + reason(e) + ")");
    }
    if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0) {
      release();
      throw new VideoException(location + ": has no video stream");
    }
    try {
      options.checkSize(location, grabber.getImageWidth(), grabber.getImageHeight());
    } catch (VideoException e) {
      release();
      throw e;
    }
    constantRate = kind == Kind.FILE && isConstantRate();
    long count = kind == Kind.FILE ? grabber.getLengthInVideoFrames() : -1;
    info = new VideoInfo(location, grabber.getFrameRate(), count > 0 ? count : -1,
        grabber.getImageWidth(), grabber.getImageHeight(), grabber.getVideoCodecName(),
        grabber.getFormat());
  }

  @Override
  public VideoInfo info() {
    return info;
  }

  @Override
  public VideoFrame next() {
    int failures = 0;
    while (true) {
      Frame f;
      try {
        f = grabber.grabImage();
      } catch (FrameGrabber.Exception e) {
        skipped++;
        if (++failures > options.maxConsecutiveErrors()) {
          throw new VideoException(location + ": " + failures
              + " undecodable frames in a row after frame " + sequence + " (" + reason(e) + ")");
        }
        continue;
      }
      if (f == null) {
        return null;
      }
      if (f.image == null || f.image.length == 0) {
        continue;
      }
      options.checkSize(location, f.imageWidth, f.imageHeight);
      long ts = kind == Kind.FILE ? f.timestamp : System.currentTimeMillis() * 1000;
      if (constantRate) {
        countLostFrames(ts);
      }
      return new VideoFrame(sequence++, ts, f.imageWidth, f.imageHeight, packedRgb(f));
    }
  }

  /** A file whose average frame rate equals its base rate has evenly spaced frames. */
  private boolean isConstantRate() {
    AVStream st = grabber.getFormatContext().streams(grabber.getVideoStream());
    double base = avutil.av_q2d(st.r_frame_rate());
    double avg = avutil.av_q2d(st.avg_frame_rate());
    return base > 0 && Math.abs(base - avg) < 1e-3 * base;
  }

  /**
   * Decoders drop a frame they cannot decode at all without an error. In a constant-rate file
   * the presentation timestamps show the hole: a step of two or more frame intervals means
   * frames were lost. (Variable-rate files, such as phone footage, are not checked.)
   */
  private void countLostFrames(long ts) {
    double fps = info.fps();
    if (lastTs != Long.MIN_VALUE && fps > 0) {
      long intervals = (long) Math.floor((ts - lastTs) * fps / 1e6 + 0.25);
      // Only after a regular step: the first frames of some files carry a start offset.
      if (intervals > 1 && regularSeen) {
        skipped += intervals - 1;
      }
      regularSeen |= intervals == 1;
    }
    lastTs = ts;
  }

  private static byte[] packedRgb(Frame f) {
    int w = f.imageWidth;
    int h = f.imageHeight;
    ByteBuffer buf = ((ByteBuffer) f.image[0]).duplicate();
    byte[] rgb = new byte[w * h * 3];
    int row = w * 3;
    for (int y = 0; y < h; y++) {
      buf.position(y * f.imageStride);
      buf.get(rgb, y * row, row);
    }
    return rgb;
  }

  @Override
  public long skippedFrames() {
    return skipped;
  }

  @Override
  public void close() {
    release();
  }

  private void release() {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      // Closing a broken stream can fail too; there is nothing left to release.
    }
  }

  /** FFmpeg's error in a few words, without JavaCV's advice on log callbacks. */
  static String reason(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (m.contains("error " + AVERROR_ENOENT + ":")) {
      return "not found";
    }
    if (m.contains("error " + AVERROR_INVALIDDATA + ":")) {
      return "not a video, or corrupt: invalid data";
    }
    int cut = m.indexOf(" (");
    return (cut > 0 ? m.substring(0, cut) : m).strip();
  }
}
