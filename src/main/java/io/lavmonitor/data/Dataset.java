package io.lavmonitor.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.lavmonitor.io.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A labelled dataset on disk: {@code videos/} (a file or an image folder per video),
 * {@code labels/NAME.json} and {@code splits.json} with {@code train} and {@code val} lists.
 */
public final class Dataset {
  /** The contents of splits.json. */
  public record Splits(@JsonProperty("train") List<String> train,
                       @JsonProperty("val") List<String> val) {}

  /** One video of the dataset. */
  public record Entry(String name, Path video, Path labelFile) {
    public VideoLabels labels() {
      return VideoLabels.read(labelFile);
    }
  }

  private final Path root;
  private final Splits splits;

  private Dataset(Path root, Splits splits) {
    this.root = root;
    this.splits = splits;
  }

  public static Dataset open(Path root) {
    if (!Files.isDirectory(root)) {
      throw new InvalidInputException(root + ": no such dataset folder");
    }
    return new Dataset(root, readSplits(root.resolve("splits.json")));
  }

  /** Reads a splits file: {"train": [...], "val": [...]}. */
  public static Splits readSplits(Path file) {
    try {
      Splits s = VideoLabels.MAPPER.readValue(Files.readString(file), Splits.class);
      if (s.train() == null || s.val() == null) {
        throw new InvalidInputException(file + ": needs \"train\" and \"val\" lists");
      }
      return s;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(file + ": no such file (a dataset needs splits.json)");
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not valid JSON (" + e.getMessage().lines()
          .findFirst().orElse("") + ")");
    }
  }

  public static void writeSplits(Path root, Splits splits) {
    try {
      Files.createDirectories(root);
      VideoLabels.MAPPER.writeValue(root.resolve("splits.json").toFile(), splits);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  public Splits splits() {
    return splits;
  }

  public List<Entry> train() {
    return entries(splits.train());
  }

  public List<Entry> val() {
    return entries(splits.val());
  }

  private List<Entry> entries(List<String> names) {
    List<Entry> out = new ArrayList<>();
    for (String name : names) {
      Path labels = root.resolve("labels").resolve(name + ".json");
      if (!Files.exists(labels)) {
        throw new InvalidInputException(labels + ": no labels for video '" + name + "'");
      }
      Path video = findVideo(name).orElseThrow(() -> new InvalidInputException(
          root.resolve("videos") + ": no video named '" + name + "'"));
      out.add(new Entry(name, video, labels));
    }
    return out;
  }

  /** videos/NAME as an image folder, or videos/NAME.* as a file. */
  private Optional<Path> findVideo(String name) {
    Path videos = root.resolve("videos");
    Path folder = videos.resolve(name);
    if (Files.isDirectory(folder)) {
      return Optional.of(folder);
    }
    try (Stream<Path> s = Files.list(videos)) {
      return s.filter(p -> p.getFileName().toString().startsWith(name + ".")).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
