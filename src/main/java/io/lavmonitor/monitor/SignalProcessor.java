package io.lavmonitor.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Explicit cycle boundaries from a PLC on {@code lav.signals}: key the camera, value
 * {@code {"type":"start"|"stop","ts_ms":...}}. A camera that has seen a signal switches to
 * explicit boundaries, which take precedence over detection.
 */
final class SignalProcessor implements Processor<String, byte[], String, byte[]> {
  private final MonitorServices svc;
  private ProcessorContext<String, byte[]> ctx;
  private KeyValueStore<String, byte[]> states;
  private ReadOnlyKeyValueStore<String, byte[]> references;

  SignalProcessor(MonitorServices svc) {
    this.svc = svc;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.ctx = context;
    this.states = context.getStateStore(Stores.CAMERA_STATE);
    this.references = context.getStateStore(Stores.REFERENCES);
  }

  @Override
  public void process(Record<String, byte[]> rec) {
    try {
      JsonNode n;
      try {
        n = FrameProcessor.JSON.readTree(rec.value());
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("signal is not JSON");
      }
      String type = n == null ? null : n.path("type").asText(null);
      if (rec.key() == null || type == null) {
        throw new IllegalArgumentException("signal needs a camera key and a type");
      }
      byte[] sb = states.get(rec.key());
      if (sb == null) {
        throw new IllegalArgumentException("signal for camera " + rec.key()
            + ", which has sent no frames yet");
      }
      CameraState state = CameraState.fromBytes(sb);
      byte[] rb = references.get(state.station);
      if (rb == null) {
        throw new IllegalArgumentException("no reference for station " + state.station);
      }
      ReferenceRecord refRec = svc.referenceRecord(state.station, rb);
      ModelRegistry.Model model = svc.models().get(state.modelId, null);
      StationReference ref;
      try (var embedder = new io.lavmonitor.embed.StreamEmbedder(model.encoder(),
          model.card().inputSize(), model.card().contextFrames(), model.card().contextStride(),
          svc.models().device())) {
        ref = svc.reference(refRec, state.modelId, embedder);
      }
      long micros = n.path("ts_ms").asLong(rec.timestamp()) * 1000;
      CycleTracker.Output out = new CycleTracker(rec.key(), state, ref, svc.thresholds())
          .onSignal(type, micros);
      states.put(rec.key(), state.toBytes());
      for (Events.CycleSummary c : out.cycles()) {
        svc.metrics().cycle(c);
      svc.recent().cycle(c);
        ctx.forward(new Record<>(rec.key(), FrameProcessor.JSON.writeValueAsBytes(c),
            rec.timestamp()), "to-cycles");
      }
      for (Events.Anomaly a : out.anomalies()) {
        svc.metrics().anomaly(a);
      svc.recent().anomaly(a);
        ctx.forward(new Record<>(a.station(), FrameProcessor.JSON.writeValueAsBytes(a),
            rec.timestamp()), "to-anomalies");
      }
    } catch (IllegalArgumentException | IOException e) {
      svc.metrics().frame("bad_signal");
      DeadLetters.send(ctx, rec, e.getMessage());
    } catch (RuntimeException e) {
      svc.metrics().frame("bad_signal");
      DeadLetters.send(ctx, rec, "signal failed: " + e);
    }
  }
}
