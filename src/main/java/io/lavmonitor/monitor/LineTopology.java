package io.lavmonitor.monitor;

import io.lavmonitor.kafka.ModelUpdates;
import io.lavmonitor.kafka.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's topology, built in one place for the application and its tests:
 *
 * <pre>
 *   lav.frames  --> frames (decode, validate, embed, align, rules) --> lav.phase-progress
 *   lav.signals --> signals (PLC start/stop)              \          lav.cycles, lav.anomalies,
 *                     [camera-state, archive-buffer]        \-->      lav.archive, lav.dead-letter
 *   lav.references --> global store "references" (station -> reference)
 *   lav.models     --> global store "models"     (station -> model update)
 * </pre>
 */
public final class LineTopology {
  private static final Logger LOG = LoggerFactory.getLogger(LineTopology.class);

  private LineTopology() {}

  public static Topology build(MonitorServices svc) {
    Topology t = new Topology();
    StringDeserializer sd = new StringDeserializer();
    ByteArrayDeserializer bd = new ByteArrayDeserializer();
    t.addSource("frames-source", sd, bd, Topics.FRAMES);
    t.addSource("signals-source", sd, bd, Topics.SIGNALS);
    t.addProcessor("frames", () -> new FrameProcessor(svc), "frames-source");
    t.addProcessor("signals", () -> new SignalProcessor(svc), "signals-source");
    t.addStateStore(store(Stores.CAMERA_STATE, true), "frames", "signals");
    t.addStateStore(store(Stores.ARCHIVE_BUFFER, true), "frames");

    t.addGlobalStore(store(Stores.REFERENCES, false).withLoggingDisabled(), "references-source",
        sd, bd, Topics.REFERENCES, "references-update",
        () -> new GlobalUpdate(Stores.REFERENCES, v -> ReferenceRecord.parse(v)));
    t.addGlobalStore(store(Stores.MODELS, false).withLoggingDisabled(), "models-source", sd, bd,
        Topics.MODELS, "models-update", () -> new GlobalUpdate(Stores.MODELS,
            v -> ModelUpdates.parse(v)));

    StringSerializer ss = new StringSerializer();
    ByteArraySerializer bs = new ByteArraySerializer();
    t.addSink("to-progress", Topics.PHASE_PROGRESS, ss, bs, "frames");
    t.addSink("to-cycles", Topics.CYCLES, ss, bs, "frames", "signals");
    t.addSink("to-anomalies", Topics.ANOMALIES, ss, bs, "frames", "signals");
    t.addSink("to-archive", Topics.ARCHIVE, ss, bs, "frames");
    t.addSink(DeadLetters.SINK, Topics.DEAD_LETTER, ss, bs, "frames", "signals");
    return t;
  }

  private static StoreBuilder<KeyValueStore<String, byte[]>> store(String name,
                                                                   boolean cached) {
    StoreBuilder<KeyValueStore<String, byte[]>> b = org.apache.kafka.streams.state.Stores
        .keyValueStoreBuilder(org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name),
            Serdes.String(), Serdes.ByteArray());
    // Caching: the changelog gets the latest state per camera per commit, not every frame.
    return cached ? b.withCachingEnabled() : b;
  }

  /** Keeps the latest valid record per key of a compacted topic; a bad one is logged, kept out. */
  static final class GlobalUpdate implements Processor<String, byte[], Void, Void> {
    private final String storeName;
    private final java.util.function.Consumer<byte[]> validate;
    private KeyValueStore<String, byte[]> store;

    GlobalUpdate(String storeName, java.util.function.Consumer<byte[]> validate) {
      this.storeName = storeName;
      this.validate = validate;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> rec) {
      if (rec.key() == null) {
        LOG.warn("{}: record without key ignored", storeName);
        return;
      }
      if (rec.value() == null) {
        store.delete(rec.key()); // a tombstone
        return;
      }
      try {
        validate.accept(rec.value());
        store.put(rec.key(), rec.value());
      } catch (RuntimeException e) {
        LOG.warn("{}: invalid record for {} ignored: {}", storeName, rec.key(), e.getMessage());
      }
    }
  }
}
