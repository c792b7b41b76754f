package io.lavmonitor.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The records the monitor emits, as JSON values of their topics. */
public final class Events {
  private Events() {}

  /** {@code lav.phase-progress}: where a camera is in its cycle after one frame. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Progress(@JsonProperty("camera") String camera,
                         @JsonProperty("station") String station,
                         @JsonProperty("cycle_id") String cycleId,
                         @JsonProperty("sequence") long sequence,
                         @JsonProperty("capture_ts_ms") long captureMillis,
                         @JsonProperty("phase") String phase,
                         @JsonProperty("progress") double progress,
                         @JsonProperty("position") double position,
                         @JsonProperty("local_cost") double localCost,
                         @JsonProperty("running_cost") double runningCost,
                         @JsonProperty("confidence") double confidence,
                         @JsonProperty("latency_ms") double latencyMillis,
                         @JsonProperty("model_id") String modelId) {}

  /**
   * {@code lav.cycle-starts}: a cycle boundary confirmed after the frames it separates. The
   * cycle {@code cycle_id} began at {@code start_sequence}; progress records of this camera
   * from that sequence on belong to it (progress sent before the confirmation may carry the
   * previous cycle's id). Raised when a detected cycle is confirmed, for the cycle after it.
   */
  public record CycleStarted(@JsonProperty("camera") String camera,
                             @JsonProperty("station") String station,
                             @JsonProperty("cycle_id") String cycleId,
                             @JsonProperty("start_sequence") long startSequence,
                             @JsonProperty("previous_cycle_id") String previousCycleId,
                             @JsonProperty("confirmed_at_sequence") long confirmedAtSequence,
                             @JsonProperty("ts_ms") long timestampMillis) {}

  /** A phase of a completed cycle against the reference. */
  public record PhaseDuration(@JsonProperty("phase") String phase,
                              @JsonProperty("seconds") double seconds,
                              @JsonProperty("reference_seconds") double referenceSeconds,
                              @JsonProperty("frames") int frames) {}

  /**
   * {@code lav.cycles}: one completed cycle. Sequences are the camera agent's (they restart
   * with a new agent session); frames count every frame the monitor processed for the camera,
   * across sessions, and are what {@code lav.archive} frames carry.
   */
  public record CycleSummary(@JsonProperty("camera") String camera,
                             @JsonProperty("station") String station,
                             @JsonProperty("cycle_id") String cycleId,
                             @JsonProperty("start_sequence") long startSequence,
                             @JsonProperty("end_sequence") long endSequence,
                             @JsonProperty("start_frame") long startFrame,
                             @JsonProperty("end_frame") long endFrame,
                             @JsonProperty("start_ts_ms") long startMillis,
                             @JsonProperty("end_ts_ms") long endMillis,
                             @JsonProperty("duration_s") double seconds,
                             @JsonProperty("reference_s") double referenceSeconds,
                             @JsonProperty("phases") java.util.List<PhaseDuration> phases,
                             @JsonProperty("cost") double cost,
                             @JsonProperty("boundary") String boundary,
                             @JsonProperty("model_id") String modelId) {}

  /**
   * {@code lav.anomalies}: one alert, understandable without logs.
   *
   * @param type cycle_cost, phase_cost, stall, skipped_phase, unknown_content, camera_silent,
   *     model_rejected, reference_rejected or state_reset
   * @param severity warning or critical
   * @param evidence what was expected and what was seen
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Anomaly(@JsonProperty("type") String type,
                        @JsonProperty("severity") String severity,
                        @JsonProperty("station") String station,
                        @JsonProperty("camera") String camera,
                        @JsonProperty("cycle_id") String cycleId,
                        @JsonProperty("phase") String phase,
                        @JsonProperty("message") String message,
                        @JsonProperty("evidence") Map<String, Object> evidence,
                        @JsonProperty("ts_ms") long timestampMillis) {}
}
