package io.lavmonitor.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A folder of numbered images (frame_0001.png, 2.jpg, ...), in the order of the last number in
 * each name. An image that cannot be decoded is skipped and counted.
 */
final class ImageFolderSource implements VideoSource {
  private static final Pattern NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");
  private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

  private final Path folder;
  private final List<Path> files;
  private final VideoOptions options;
  private final VideoInfo info;
  private int nextFile;
  private long sequence;
  private long skipped;

  ImageFolderSource(Path folder, VideoOptions options) {
    this.folder = folder;
    this.options = options;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> EXTENSIONS.stream()
              .anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
          .sorted(Comparator.comparingLong(ImageFolderSource::frameNumber)
              .thenComparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new VideoException(folder + ": cannot list images (" + e.getMessage() + ")");
    }
    if (files.isEmpty()) {
      throw new VideoException(folder + ": no images (" + String.join(", ", EXTENSIONS) + ")");
    }
    int[] size = null;
    for (Path p : files) {
      size = dimensions(p);
      if (size != null) {
        break;
      }
    }
    if (size == null) {
      throw new VideoException(folder + ": none of the " + files.size()
          + " images can be decoded");
    }
    info = new VideoInfo(folder.toString(), options.imageFps(), files.size(), size[0], size[1],
        "images", "folder");
  }

  private static long frameNumber(Path p) {
    Matcher m = NUMBER.matcher(p.getFileName().toString());
    if (!m.find()) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Width and height from the image header, without decoding the pixels; null if unreadable. */
  private static int[] dimensions(Path p) {
    try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
      if (in == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in);
        return new int[] {r.getWidth(0), r.getHeight(0)};
      } finally {
        r.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public VideoInfo info() {
    return info;
  }

  @Override
  public VideoFrame next() {
    int failures = 0;
    while (nextFile < files.size()) {
      Path p = files.get(nextFile++);
      int[] size = dimensions(p);
      BufferedImage img = null;
      if (size != null) {
        options.checkSize(p.toString(), size[0], size[1]);
        try {
          img = ImageIO.read(p.toFile());
        } catch (IOException | RuntimeException e) {
          img = null;
        }
      }
      if (img == null) {
        skipped++;
        if (++failures > options.maxConsecutiveErrors()) {
          throw new VideoException(folder + ": " + failures + " undecodable images in a row, "
              + "the last " + p.getFileName());
        }
        continue;
      }
      long ts = Math.round(sequence * 1e6 / options.imageFps());
      return VideoFrame.fromImage(sequence++, ts, img);
    }
    return null;
  }

  @Override
  public long skippedFrames() {
    return skipped;
  }

  @Override
  public void close() {
    nextFile = files.size();
  }
}
