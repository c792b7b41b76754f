package io.lavmonitor.model;

import io.lavmonitor.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a model was trained on, for its card: a sha256 over the training videos' names and bytes
 * (image folders: every file's name and bytes), so two models can be told to share their data.
 */
public final class DataFingerprint {
  private DataFingerprint() {}

  public static Map<String, Object> of(List<Dataset.Entry> videos, Path source) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      List<Dataset.Entry> sorted = videos.stream()
          .sorted(Comparator.comparing(Dataset.Entry::name)).toList();
      for (Dataset.Entry e : sorted) {
        md.update((e.name() + "\n").getBytes(StandardCharsets.UTF_8));
        if (Files.isDirectory(e.video())) {
          try (Stream<Path> s = Files.list(e.video())) {
            for (Path f : s.sorted().toList()) {
              md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
              md.update(Files.readAllBytes(f));
            }
          }
        } else {
          md.update(Files.readAllBytes(e.video()));
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("fingerprint", HexFormat.of().formatHex(md.digest()));
      out.put("videos", videos.size());
      out.put("source", source.toAbsolutePath().normalize().toString());
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read training videos: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
