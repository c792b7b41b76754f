package io.lavmonitor.synth;

import io.lavmonitor.data.VideoLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The frame-by-frame script of one recording: which phase each frame shows, how far into it,
 * which phases are already done, and where the anomalies are. Rendering follows the plan; the
 * labels are read off it, so they cannot disagree with the pictures.
 */
final class Plan {
  static final int IDLE = -1;

  /** One frame of the script. */
  record Shot(int phase, double u, int doneMask, boolean foreign, double foreignU,
              boolean missingPart, int cycle) {}

  final Task task;
  final List<Shot> shots = new ArrayList<>();
  final List<VideoLabels.Anomaly> anomalies = new ArrayList<>();
  final List<VideoLabels.Span> cycles = new ArrayList<>();

  private final SplittableRandom rnd;
  private final double fps;

  private Plan(Task task, double fps, SplittableRandom rnd) {
    this.task = task;
    this.fps = fps;
    this.rnd = rnd;
  }

  /** Anomaly types the generator can inject. */
  static final List<String> ANOMALY_TYPES = List.of("skipped_phase", "swapped_phases", "stall",
      "foreign_object", "missing_part");

  /**
   * Plans a recording of {@code cycles} cycles (1 for a single-cycle video), each anomalous
   * with probability {@code anomalyRate}; continuous recordings have idle spells between cycles.
   */
  static Plan create(Task task, double fps, int cycles, boolean continuous, double anomalyRate,
                     SplittableRandom rnd) {
    Plan plan = new Plan(task, fps, rnd);
    if (continuous) {
      plan.idle(rnd.nextInt((int) fps, (int) (3 * fps)));
    }
    for (int c = 0; c < cycles; c++) {
      String anomaly = rnd.nextDouble() < anomalyRate
          ? ANOMALY_TYPES.get(rnd.nextInt(ANOMALY_TYPES.size())) : null;
      int start = plan.shots.size();
      plan.cycle(c, anomaly, continuous);
      plan.cycles.add(new VideoLabels.Span(start, plan.shots.size() - 1));
      if (continuous) {
        plan.idle(rnd.nextInt((int) fps, (int) (4 * fps)));
      }
    }
    return plan;
  }

  private void idle(int frames) {
    for (int i = 0; i < frames; i++) {
      shots.add(new Shot(IDLE, i / (double) frames, 0, false, 0, false, -1));
    }
  }

  private void cycle(int cycle, String anomaly, boolean continuous) {
    int phases = task.phases().size();
    List<Integer> order = new ArrayList<>();
    for (int p = 0; p < phases; p++) {
      order.add(p);
    }
    int first = shots.size();
    int skipped = -1;
    int swapAt = -1;
    int stallPhase = -1;
    if ("skipped_phase".equals(anomaly)) {
      skipped = 1 + rnd.nextInt(phases - 1);
      order.remove(Integer.valueOf(skipped));
    } else if ("swapped_phases".equals(anomaly)) {
      swapAt = 1 + rnd.nextInt(phases - 2);
      order.set(swapAt, swapAt + 1);
      order.set(swapAt + 1, swapAt);
    } else if ("stall".equals(anomaly)) {
      stallPhase = rnd.nextInt(phases);
    }
    boolean missing = "missing_part".equals(anomaly);
    if (!continuous) {
      for (int i = rnd.nextInt(0, 5); i > 0; i--) {
        shots.add(new Shot(order.get(0), 0, 0, false, 0, missing, cycle));
      }
    }
    int done = 0;
    int swapStart = -1;
    for (int k = 0; k < order.size(); k++) {
      int p = order.get(k);
      if (k == swapAt) {
        swapStart = shots.size();
      }
      if (skipped >= 0 && k == skipped) {
        anomalies.add(new VideoLabels.Anomaly("skipped_phase", shots.size(), shots.size(),
            task.phases().get(skipped)));
      }
      // Per-phase speed 0.5x-2x (log-uniform), and an uneven pace within the phase.
      double speed = Math.exp(rnd.nextDouble(Math.log(0.5), Math.log(2.0)));
      int n = Math.max(4, (int) Math.round(task.seconds(p) * fps / speed));
      double pace = rnd.nextDouble(0.75, 1.35);
      int stallAt = p == stallPhase ? rnd.nextInt(n / 5, Math.max(n / 5 + 1, 4 * n / 5)) : -1;
      int phaseStart = shots.size();
      for (int i = 0; i < n; i++) {
        double u = Math.pow(i / (double) (n - 1), pace);
        shots.add(new Shot(p, u, done, false, 0, missing, cycle));
        if (i == stallAt) {
          int len = (int) Math.round(n * rnd.nextDouble(3, 10));
          int from = shots.size();
          for (int s = 0; s < len; s++) {
            shots.add(new Shot(p, u, done, false, 0, missing, cycle));
          }
          anomalies.add(new VideoLabels.Anomaly("stall", from, shots.size() - 1,
              task.phases().get(p)));
        }
      }
      if (missing && p == task.partPhase()) {
        anomalies.add(new VideoLabels.Anomaly("missing_part", phaseStart, shots.size() - 1,
            task.phases().get(p)));
      }
      done |= 1 << p;
      // A short idle pause between phases, as real workers take.
      if (rnd.nextDouble() < 0.3 && k + 1 < order.size()) {
        for (int i = rnd.nextInt(2, 10); i > 0; i--) {
          shots.add(new Shot(p, 1.0, done & ~(1 << p), false, 0, missing, cycle));
        }
      }
      if (k == swapAt + 1 && swapStart >= 0) {
        anomalies.add(new VideoLabels.Anomaly("swapped_phases", swapStart, shots.size() - 1,
            task.phases().get(order.get(swapAt)) + "," + task.phases().get(p)));
      }
    }
    if ("foreign_object".equals(anomaly)) {
      int len = Math.min(shots.size() - first, rnd.nextInt((int) fps, (int) (2.5 * fps)));
      int from = first + rnd.nextInt(Math.max(1, shots.size() - first - len));
      for (int i = 0; i < len; i++) {
        Shot s = shots.get(from + i);
        shots.set(from + i, new Shot(s.phase(), s.u(), s.doneMask(), true, i / (double) len,
            s.missingPart(), s.cycle()));
      }
      anomalies.add(new VideoLabels.Anomaly("foreign_object", from, from + len - 1,
          task.phases().get(shots.get(from).phase())));
    }
  }
}
