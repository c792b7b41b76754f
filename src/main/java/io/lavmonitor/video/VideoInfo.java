package io.lavmonitor.video;

/**
 * What a source reports about itself when opened.
 *
 * @param frameCount number of frames, or -1 when the container does not say (live streams,
 *     raw MJPEG)
 * @param codec decoder name, such as h264, mpeg4, vp8, mjpeg, gif or "images"
 */
public record VideoInfo(String source, double fps, long frameCount, int width, int height,
                        String codec, String format) {}
