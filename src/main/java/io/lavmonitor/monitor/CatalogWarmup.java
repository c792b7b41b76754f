package io.lavmonitor.monitor;

import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.kafka.TopicReader;
import io.lavmonitor.station.StationCatalog;
import io.lavmonitor.wire.Topic;
import io.lavmonitor.wire.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the monitor starts, reads the published references and model updates once and takes
 * each station's last valid one into the catalog where it has none yet. Without it, a monitor
 * starting on a line whose catalog topic is still empty (its first start, or the upgrade that
 * introduced the catalog) could meet a camera's first frames before its catalog task had
 * validated the station's reference, and dead-letter them. Nothing is written: the catalog
 * task still validates every record and copies the valid ones to {@code lav.catalog}, which
 * stays the authority.
 */
final class CatalogWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogWarmup.class);

  private CatalogWarmup() {}

  static void run(KafkaClients clients, StationCatalog catalog, Duration timeout) {
    int taken = 0;
    for (Topic<String, byte[]> t : java.util.List.of(Topics.REFERENCES, Topics.MODELS)) {
      Map<String, byte[]> values = new LinkedHashMap<>(); // catalog key -> last valid value
      for (ConsumerRecord<String, byte[]> r : TopicReader.committed(clients, t, timeout)) {
        try {
          values.put(catalog.validate(t.name(), r.key(), r.value()).catalogKey(), r.value());
        } catch (RuntimeException e) {
          // the catalog task dead-letters it, with its alert
        }
      }
      for (var e : values.entrySet()) {
        if (e.getValue() != null) {
          catalog.applyIfAbsent(e.getKey(), e.getValue());
          taken++;
        }
      }
    }
    LOG.info("station catalog warmed up with {} published record(s)", taken);
  }
}
