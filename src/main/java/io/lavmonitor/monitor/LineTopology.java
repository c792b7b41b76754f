package io.lavmonitor.monitor;

import io.lavmonitor.wire.Topic;
import io.lavmonitor.wire.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The monitor's topology, built in one place for the application and its tests:
 *
 * <pre>
 *   lav.frames, lav.signals --> camera (per camera: check, decode, embed, align, rules)
 *        [camera-state, camera-track]   --> lav.phase-progress, lav.cycles, lav.cycle-starts,
 *                                           lav.anomalies, lav.archive, lav.calibration,
 *                                           lav.dead-letter
 *   lav.calibration --> global store "station-calibration" (station/camera -> what the
 *                       camera learnt of normal cycles; every camera of the station reads it)
 *   lav.references, lav.models --> catalog (validate) --> lav.catalog (valid records),
 *                                                         lav.dead-letter, lav.anomalies
 *   lav.catalog --> global store "station-catalog" (station -> reference, model update)
 * </pre>
 */
public final class LineTopology {
  private LineTopology() {}

  public static Topology build(MonitorServices svc) {
    Topology t = new Topology();
    source(t, "frames-source", Topics.FRAMES);
    source(t, "signals-source", Topics.SIGNALS);
    t.addProcessor("camera", () -> new CameraProcessor(svc), "frames-source", "signals-source");
    t.addStateStore(store(Stores.CAMERA_STATE), "camera");
    t.addStateStore(store(Stores.CAMERA_TRACK), "camera");

    source(t, "references-source", Topics.REFERENCES);
    source(t, "models-source", Topics.MODELS);
    t.addProcessor("catalog", () -> new CatalogProcessor(svc), "references-source",
        "models-source");
    sink(t, CatalogProcessor.SINK, Topics.CATALOG, "catalog");

    t.addGlobalStore(store(Stores.CATALOG).withLoggingDisabled(), "catalog-source",
        Topics.CATALOG.keySerde().deserializer(), Topics.CATALOG.valueSerde().deserializer(),
        Topics.CATALOG.name(), "catalog-update", () -> new CatalogUpdate(svc.catalog()));

    t.addGlobalStore(store(Stores.CALIBRATION).withLoggingDisabled(), "calibration-source",
        Topics.CALIBRATION.keySerde().deserializer(),
        Topics.CALIBRATION.valueSerde().deserializer(), Topics.CALIBRATION.name(),
        "calibration-update", () -> new GlobalStoreUpdate(Stores.CALIBRATION));

    sink(t, "to-progress", Topics.PHASE_PROGRESS, "camera");
    sink(t, "to-cycles", Topics.CYCLES, "camera");
    sink(t, "to-cycle-starts", Topics.CYCLE_STARTS, "camera");
    sink(t, "to-anomalies", Topics.ANOMALIES, "camera", "catalog");
    sink(t, "to-archive", Topics.ARCHIVE, "camera");
    sink(t, "to-calibration", Topics.CALIBRATION, "camera");
    sink(t, DeadLetters.SINK, Topics.DEAD_LETTER, "camera", "catalog");
    return t;
  }

  private static void source(Topology t, String name, Topic<String, byte[]> topic) {
    t.addSource(name, topic.keySerde().deserializer(), topic.valueSerde().deserializer(),
        topic.name());
  }

  private static <V> void sink(Topology t, String name, Topic<String, V> topic,
                               String... parents) {
    t.addSink(name, topic.name(), topic.keySerde().serializer(),
        topic.valueSerde().serializer(), parents);
  }

  private static StoreBuilder<KeyValueStore<String, byte[]>> store(String name) {
    // Caching: the changelog gets the latest value per key per commit, not every write.
    return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), Serdes.String(),
        Serdes.ByteArray()).withCachingEnabled();
  }
}
