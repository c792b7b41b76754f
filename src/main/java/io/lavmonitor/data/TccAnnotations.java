package io.lavmonitor.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.lavmonitor.io.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads TCC-style (Pouring) phase annotations: {@code video -> annotator -> phase -> [start_us,
 * end_us]}. Each phase's start and end are averaged over annotators; phases are ordered by start;
 * a gap or an overlap between consecutive phases is closed at its midpoint. Frames before the
 * first phase get the first phase, frames after the last get the last.
 */
public final class TccAnnotations {
  private TccAnnotations() {}

  /** The names of the videos in an annotation file. */
  public static List<String> videos(Path file) {
    JsonNode root = readTree(file);
    List<String> out = new ArrayList<>();
    root.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Labels of one video, with its frame rate and length (the annotations do not carry them). */
  public static VideoLabels labels(Path file, String video, double fps, int numFrames) {
    JsonNode byAnnotator = readTree(file).get(video);
    if (byAnnotator == null || !byAnnotator.isObject() || byAnnotator.isEmpty()) {
      throw new InvalidInputException(file + ": no annotations for video '" + video + "'");
    }
    record Phase(String name, double start, double end) {}
    List<String> order = new ArrayList<>();
    Map<String, double[]> sums = new java.util.LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> a = byAnnotator.fields(); a.hasNext(); ) {
      Map.Entry<String, JsonNode> annotator = a.next();
      for (Iterator<Map.Entry<String, JsonNode>> p = annotator.getValue().fields(); p.hasNext(); ) {
        Map.Entry<String, JsonNode> phase = p.next();
        JsonNode span = phase.getValue();
        if (!span.isArray() || span.size() != 2 || !span.get(0).isNumber()
            || !span.get(1).isNumber()) {
          throw new InvalidInputException(file + ": " + video + "/" + annotator.getKey() + "/"
              + phase.getKey() + " is not [start_us, end_us]");
        }
        double[] s = sums.computeIfAbsent(phase.getKey(), k -> {
          order.add(k);
          return new double[3];
        });
        s[0] += span.get(0).asDouble();
        s[1] += span.get(1).asDouble();
        s[2] += 1;
      }
    }
    List<Phase> phases = new ArrayList<>();
    for (String name : order) {
      double[] s = sums.get(name);
      phases.add(new Phase(name, s[0] / s[2], s[1] / s[2]));
    }
    phases.sort(Comparator.comparingDouble(Phase::start));
    // Boundary i separates phase i and i+1: the midpoint of end_i and start_{i+1}.
    double[] bounds = new double[phases.size() - 1];
    for (int i = 0; i + 1 < phases.size(); i++) {
      bounds[i] = (phases.get(i).end() + phases.get(i + 1).start()) / 2;
    }
    int[] labels = new int[numFrames];
    for (int t = 0; t < numFrames; t++) {
      double us = t * 1e6 / fps;
      int k = 0;
      while (k < bounds.length && us >= bounds[k]) {
        k++;
      }
      labels[t] = k;
    }
    List<String> names = phases.stream().map(Phase::name).toList();
    return new VideoLabels(video, fps, numFrames, names, labels,
        VideoLabels.transitions(labels), List.of(), List.of());
  }

  private static JsonNode readTree(Path file) {
    try {
      JsonNode root = VideoLabels.MAPPER.readTree(Files.readString(file));
      if (root == null || !root.isObject()) {
        throw new InvalidInputException(file + ": expected an object video -> annotator -> "
            + "phase -> [start_us, end_us]");
      }
      return root;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(file + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not valid JSON");
    }
  }
}
