package io.lavmonitor.video;

/**
 * A stream of decoded RGB frames from a file, a folder of images, a network stream or a camera.
 * Open one with {@link VideoSources#open}; close it with try-with-resources.
 *
 * <p>A frame that cannot be decoded in the middle of a stream is skipped and counted in
 * {@link #skippedFrames()}, not fatal. Not thread-safe: one reader per source.
 */
public interface VideoSource extends AutoCloseable {

  VideoInfo info();

  /** The next frame, or null at the end of the stream. */
  VideoFrame next();

  /** Frames skipped so far because they could not be decoded. */
  long skippedFrames();

  @Override
  void close();
}
