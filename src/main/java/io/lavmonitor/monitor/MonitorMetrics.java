package io.lavmonitor.monitor;

import io.lavmonitor.wire.Events;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The monitor's meters, named for Prometheus ({@code lav_} prefix, base units, {@code _total}
 * counters added by the registry): frames by result, embed/align/end-to-end latency, phase
 * progress per camera, cycle and phase durations, cycle cost, anomalies by type, and the active
 * model per station.
 */
public final class MonitorMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> frames = new ConcurrentHashMap<>();
  private final Map<String, Counter> anomalies = new ConcurrentHashMap<>();
  private final Map<String, double[]> progress = new ConcurrentHashMap<>();
  private final Map<String, double[]> referenceSeconds = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<String>> activeModel = new ConcurrentHashMap<>();
  private final Timer decode;
  private final Timer embed;
  private final Timer align;
  private final Timer state;
  private final Timer endToEnd;

  public MonitorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.decode = Timer.builder("lav_decode_latency")
        .description("Image header check and decoding per frame").publishPercentileHistogram()
        .register(registry);
    this.embed = Timer.builder("lav_embed_latency").description("Encoder time per frame")
        .publishPercentileHistogram().register(registry);
    this.align = Timer.builder("lav_align_latency")
        .description("Streaming alignment and anomaly rules per frame")
        .publishPercentileHistogram().register(registry);
    this.state = Timer.builder("lav_state_latency")
        .description("Writing the camera's state per frame").publishPercentileHistogram()
        .register(registry);
    this.endToEnd = Timer.builder("lav_end_to_end_latency")
        .description("Capture time to phase-progress event").publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    // Counters exist from the start at zero, so rates are defined before the first anomaly.
    for (String type : new String[] {"cycle_cost", "stall", "skipped_phase", "unknown_content",
        "camera_silent", "model_rejected", "reference_rejected", "state_reset"}) {
      anomalyCounter(type);
    }
    frameCounter("processed");
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A record's outcome: processed, between_cycles, or a dead-letter kind. */
  public void frame(String result) {
    frameCounter(result).increment();
  }

  private Counter frameCounter(String result) {
    return frames.computeIfAbsent(result, r -> Counter.builder("lav_frames")
        .description("Frames received, by result").tag("result", r).register(registry));
  }

  private Counter anomalyCounter(String type) {
    return anomalies.computeIfAbsent(type, t -> Counter.builder("lav_anomalies")
        .description("Anomalies raised, by type").tag("type", t).register(registry));
  }

  /** An error one of Kafka Streams' handlers dealt with (see MonitorExceptionHandlers). */
  public void handledError(String handler) {
    Counter.builder("lav_handled_errors").description("Errors handled by skipping a record "
        + "or replacing a thread, by handler").tag("handler", handler).register(registry)
        .increment();
  }

  public void decodeNanos(long n) {
    decode.record(Duration.ofNanos(n));
  }

  public void stateNanos(long n) {
    state.record(Duration.ofNanos(n));
  }

  public void embedNanos(long n) {
    embed.record(Duration.ofNanos(n));
  }

  public void alignNanos(long n) {
    align.record(Duration.ofNanos(n));
  }

  public void endToEndMillis(double ms) {
    endToEnd.record(Duration.ofNanos((long) (Math.max(0, ms) * 1e6)));
  }

  public void progress(String camera, String station, double value) {
    progress.computeIfAbsent(camera, c -> {
      double[] holder = new double[1];
      io.micrometer.core.instrument.Gauge.builder("lav_phase_progress", holder, h -> h[0])
          .description("Progress through the reference cycle, 0..1").tag("camera", c)
          .tag("station", station).register(registry);
      return holder;
    })[0] = value;
  }

  public void cycle(Events.CycleSummary c) {
    DistributionSummary.builder("lav_cycle_duration_seconds")
        .description("Duration of completed cycles").tag("station", c.station())
        .publishPercentiles(0.5, 0.9).register(registry).record(c.seconds());
    referenceSeconds.computeIfAbsent(c.station(), st -> {
      double[] holder = new double[1];
      io.micrometer.core.instrument.Gauge.builder("lav_reference_cycle_seconds", holder,
              h -> h[0])
          .description("Reference cycle duration").tag("station", st).register(registry);
      return holder;
    })[0] = c.referenceSeconds();
    DistributionSummary.builder("lav_cycle_cost").description("Mean frame cost of cycles")
        .tag("station", c.station()).register(registry).record(c.cost());
    for (Events.PhaseDuration p : c.phases()) {
      DistributionSummary.builder("lav_phase_duration_seconds")
          .description("Duration of phases in completed cycles").tag("station", c.station())
          .tag("phase", p.phase()).register(registry).record(p.seconds());
    }
  }

  public void anomaly(Events.Anomaly a) {
    anomalyCounter(a.type()).increment();
  }

  /** Marks the model a station runs (value 1 on a gauge tagged with its id). */
  public void activeModel(String station, String modelId) {
    AtomicReference<String> ref = activeModel.computeIfAbsent(station, s -> {
      AtomicReference<String> r = new AtomicReference<>();
      return r;
    });
    String old = ref.getAndSet(modelId);
    if (modelId.equals(old)) {
      return;
    }
    io.micrometer.core.instrument.Gauge.builder("lav_active_model", ref,
            r -> modelId.equals(r.get()) ? 1 : 0)
        .description("1 for the model a station runs").tag("station", station)
        .tag("model", modelId).strongReference(true).register(registry);
  }
}
