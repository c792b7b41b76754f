package io.lavmonitor.synth;

import io.lavmonitor.io.InvalidInputException;
import java.util.List;
import java.util.Locale;

/** The station tasks the generator can film, with their phases and nominal phase durations. */
public enum Task {
  ASSEMBLY(List.of("pick_base", "insert_part", "fasten_screws", "inspect", "place_on_conveyor"),
      new double[] {2.0, 2.0, 3.0, 2.0, 2.0}, 1),
  POUR(List.of("grasp_jug", "pour", "stir", "cap"), new double[] {1.5, 3.0, 2.5, 1.5}, 1),
  PRESS(List.of("load_blank", "close_guard", "press", "open_guard", "unload"),
      new double[] {2.0, 1.0, 1.5, 1.0, 2.0}, 0);

  private final List<String> phases;
  private final double[] seconds;
  private final int partPhase;

  Task(List<String> phases, double[] seconds, int partPhase) {
    this.phases = phases;
    this.seconds = seconds;
    this.partPhase = partPhase;
  }

  /** The phase that adds the part (or ingredient) a missing-part anomaly leaves out. */
  public int partPhase() {
    return partPhase;
  }

  public List<String> phases() {
    return phases;
  }

  /** Nominal duration of phase p in seconds, before the per-video speed variation. */
  public double seconds(int p) {
    return seconds[p];
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Task parse(String s) {
    for (Task t : values()) {
      if (t.cliName().equals(s.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new InvalidInputException("unknown task '" + s + "' (expected assembly, pour or press)");
  }
}
