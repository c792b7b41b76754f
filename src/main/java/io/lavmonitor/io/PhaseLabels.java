package io.lavmonitor.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-frame phase labels of one video.
 *
 * <p>Reads a JSON array of per-frame labels (integers, or names which are numbered in order of
 * first appearance), a label file of the dataset format (an object with {@code frame_labels} and
 * optionally {@code phases}), or a one-column {@code .npy}/{@code .csv} of integers.
 *
 * @param labels phase index per frame
 * @param names phase names by index, or null when only indices are known
 */
public record PhaseLabels(int[] labels, List<String> names) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static PhaseLabels read(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npy") || name.endsWith(".csv")) {
      double[][] a = ArrayFiles.read(path);
      int[] labels = new int[a.length];
      for (int i = 0; i < a.length; i++) {
        if (a[i].length != 1 || a[i][0] != Math.rint(a[i][0])) {
          throw new InvalidInputException(path + ": row " + i
              + " is not a single integer phase label");
        }
        labels[i] = (int) a[i][0];
      }
      return new PhaseLabels(labels, null);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readString(path));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(path + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException(path + ": not valid JSON (" + e.getMessage().lines()
          .findFirst().orElse("") + ")");
    }
    if (root != null && root.isObject() && root.has("frame_labels")) {
      List<String> names = null;
      if (root.has("phases")) {
        names = new ArrayList<>();
        for (JsonNode n : root.get("phases")) {
          names.add(n.asText());
        }
      }
      PhaseLabels p = fromArray(root.get("frame_labels"), path);
      return new PhaseLabels(p.labels(), names != null ? names : p.names());
    }
    if (root == null || !root.isArray()) {
      throw new InvalidInputException(path + ": expected a JSON array of per-frame labels or an"
          + " object with \"frame_labels\"");
    }
    return fromArray(root, path);
  }

  private static PhaseLabels fromArray(JsonNode array, Path path) {
    int[] labels = new int[array.size()];
    List<String> names = new ArrayList<>();
    boolean textual = array.size() > 0 && array.get(0).isTextual();
    for (int i = 0; i < labels.length; i++) {
      JsonNode n = array.get(i);
      if (textual && n.isTextual()) {
        int idx = names.indexOf(n.asText());
        if (idx < 0) {
          idx = names.size();
          names.add(n.asText());
        }
        labels[i] = idx;
      } else if (!textual && n.canConvertToInt() && n.isIntegralNumber() && n.asInt() >= 0) {
        labels[i] = n.asInt();
      } else {
        throw new InvalidInputException(path + ": label " + i + " (" + n
            + ") is not a phase index >= 0 or a phase name like the others");
      }
    }
    return new PhaseLabels(labels, textual ? names : null);
  }
}
