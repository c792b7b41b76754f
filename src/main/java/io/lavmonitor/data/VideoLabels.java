package io.lavmonitor.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lavmonitor.io.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The labels of one video, stored as one JSON file:
 * {@code {"video", "fps", "num_frames", "phases", "frame_labels", "key_events", "anomalies"}},
 * plus {@code "cycles"} for a continuous recording of several cycles, and {@code "steps"} for a
 * reference cycle whose work may vary ({@link StepRules}: optional steps, unordered groups).
 *
 * @param phases phase names; frame_labels index into them
 * @param frameLabels phase index of every frame
 * @param keyEvents frames that end a phase (the transitions the progression measure uses)
 * @param anomalies labelled anomalies, empty for a normal video
 * @param cycles cycle boundaries of a continuous recording, empty otherwise
 * @param steps the steps that may be left out or done in any order; none by default
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VideoLabels(
    @JsonProperty("video") String video,
    @JsonProperty("fps") double fps,
    @JsonProperty("num_frames") int numFrames,
    @JsonProperty("phases") List<String> phases,
    @JsonProperty("frame_labels") int[] frameLabels,
    @JsonProperty("key_events") int[] keyEvents,
    @JsonProperty("anomalies") List<Anomaly> anomalies,
    @JsonProperty("cycles") List<Span> cycles,
    @JsonProperty("steps") StepRules steps) {

  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One anomaly: what happened, over which frames (inclusive), and in which phase.
   *
   * @param type skipped_phase, swapped_phases, stall, foreign_object or missing_part
   */
  public record Anomaly(@JsonProperty("type") String type, @JsonProperty("start") int start,
                        @JsonProperty("end") int end, @JsonProperty("phase") String phase) {}

  /** Frames start..end inclusive. */
  public record Span(@JsonProperty("start") int start, @JsonProperty("end") int end) {}

  public VideoLabels {
    anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
    cycles = cycles == null ? List.of() : List.copyOf(cycles);
    keyEvents = keyEvents == null ? new int[0] : keyEvents;
    steps = steps == null || steps.isEmpty() ? null : steps;
    if (frameLabels == null || phases == null) {
      throw new InvalidInputException("labels of " + video + ": phases and frame_labels are "
          + "required");
    }
    if (frameLabels.length != numFrames) {
      throw new InvalidInputException("labels of " + video + ": " + frameLabels.length
          + " frame labels for num_frames " + numFrames);
    }
    for (int i = 0; i < frameLabels.length; i++) {
      if (frameLabels[i] < 0 || frameLabels[i] >= phases.size()) {
        throw new InvalidInputException("labels of " + video + ": frame " + i + " has phase "
            + frameLabels[i] + ", but there are " + phases.size() + " phases");
      }
    }
    for (int k : keyEvents) {
      if (k < 0 || k >= numFrames) {
        throw new InvalidInputException("labels of " + video + ": key event " + k
            + " outside 0.." + (numFrames - 1));
      }
    }
    String problem = steps == null ? null : steps.problem(phases, frameLabels);
    if (problem != null) {
      throw new InvalidInputException("labels of " + video + ": " + problem);
    }
  }

  /** Labels without step rules. */
  public VideoLabels(String video, double fps, int numFrames, List<String> phases,
                     int[] frameLabels, int[] keyEvents, List<Anomaly> anomalies,
                     List<Span> cycles) {
    this(video, fps, numFrames, phases, frameLabels, keyEvents, anomalies, cycles, null);
  }

  /** These labels with the given step rules. */
  public VideoLabels withSteps(StepRules rules) {
    return new VideoLabels(video, fps, numFrames, phases, frameLabels, keyEvents, anomalies,
        cycles, rules);
  }

  /** The step rules, {@link StepRules#NONE} when none are declared. */
  public StepRules stepRules() {
    return steps == null ? StepRules.NONE : steps;
  }

  /** Labels from per-frame phase indices; key events are the last frame of each phase run. */
  public static VideoLabels fromFrameLabels(String video, double fps, int[] labels,
                                            List<String> names) {
    int max = -1;
    for (int l : labels) {
      max = Math.max(max, l);
    }
    List<String> phases = names;
    if (phases == null) {
      phases = new ArrayList<>();
      for (int i = 0; i <= max; i++) {
        phases.add("phase_" + i);
      }
    }
    return new VideoLabels(video, fps, labels.length, phases, labels, transitions(labels),
        List.of(), List.of());
  }

  /** Last frame of every run of equal labels except the final run. */
  public static int[] transitions(int[] labels) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i + 1 < labels.length; i++) {
      if (labels[i] != labels[i + 1]) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  public static VideoLabels read(Path file) {
    try {
      return MAPPER.readValue(Files.readString(file), VideoLabels.class);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": no such file");
    } catch (IOException e) {
      Throwable cause = e.getCause() instanceof InvalidInputException ? e.getCause() : e;
      throw new InvalidInputException(file + ": not a valid label file ("
          + cause.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  public void write(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      MAPPER.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Phase name of frame t. */
  public String phaseAt(int t) {
    return phases.get(frameLabels[t]);
  }
}
