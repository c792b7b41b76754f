package io.lavmonitor.eval;

import io.lavmonitor.data.Dataset;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.io.ArrayFiles;
import io.lavmonitor.io.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Embeddings (one .npy or .csv per video) matched to labels and split into train and val. */
public record EvalData(List<EmbeddedVideo> train, List<EmbeddedVideo> val) {

  /**
   * Loads the videos the split names.
   *
   * @param splits splits.json; null to use the one in the labels folder's parent
   */
  public static EvalData load(Path embeddings, Path labels, Path splits) {
    Path splitFile = splits != null ? splits
        : labels.toAbsolutePath().getParent().resolve("splits.json");
    Dataset.Splits s = Dataset.readSplits(splitFile);
    Set<String> named = new HashSet<>(s.train());
    named.addAll(s.val());
    // Every embedding file must have labels, even one the split does not use.
    for (String name : embeddingNames(embeddings)) {
      if (!Files.exists(labels.resolve(name + ".json"))) {
        throw new InvalidInputException("video '" + name + "' has embeddings in " + embeddings
            + " but no labels in " + labels);
      }
    }
    EvalData d = new EvalData(load(embeddings, labels, s.train()),
        load(embeddings, labels, s.val()));
    requireClasses(d.train(), "train");
    requireClasses(d.val(), "val");
    return d;
  }

  private static List<EmbeddedVideo> load(Path embDir, Path labelDir, List<String> names) {
    List<EmbeddedVideo> out = new ArrayList<>();
    for (String name : names) {
      Path file = embDir.resolve(name + ".npy");
      if (!Files.exists(file)) {
        file = embDir.resolve(name + ".csv");
      }
      if (!Files.exists(file)) {
        throw new InvalidInputException("the split names video '" + name
            + "', but " + embDir + " has no " + name + ".npy or " + name + ".csv");
      }
      Path labelFile = labelDir.resolve(name + ".json");
      if (!Files.exists(labelFile)) {
        throw new InvalidInputException("the split names video '" + name + "', but "
            + labelDir + " has no " + name + ".json");
      }
      double[][] emb = ArrayFiles.readSequence(file);
      VideoLabels l = VideoLabels.read(labelFile);
      if (l.numFrames() != emb.length) {
        throw new InvalidInputException("video '" + name + "': " + emb.length
            + " embedding rows but " + l.numFrames() + " labelled frames");
      }
      if (!out.isEmpty() && out.get(0).embeddings()[0].length != emb[0].length) {
        throw new InvalidInputException("video '" + name + "': " + emb[0].length
            + "-d embeddings, others are " + out.get(0).embeddings()[0].length + "-d");
      }
      out.add(new EmbeddedVideo(name, emb, l));
    }
    return out;
  }

  private static void requireClasses(List<EmbeddedVideo> videos, String split) {
    if (videos.isEmpty()) {
      throw new InvalidInputException("the " + split + " split is empty");
    }
    Set<String> classes = new HashSet<>();
    for (EmbeddedVideo v : videos) {
      for (int t = 0; t < v.frames(); t++) {
        classes.add(v.phase(t));
      }
    }
    if (classes.size() < 2) {
      throw new InvalidInputException("the " + split + " split has only one phase class ("
          + classes + "); classification needs at least two");
    }
  }

  private static List<String> embeddingNames(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".npy") || n.endsWith(".csv"))
          .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
    } catch (IOException e) {
      throw new InvalidInputException(dir + ": cannot list embeddings (" + e.getMessage() + ")");
    }
  }
}
