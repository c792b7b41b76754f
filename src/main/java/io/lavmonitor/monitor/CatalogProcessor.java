package io.lavmonitor.monitor;

import io.lavmonitor.station.StationCatalog;
import io.lavmonitor.wire.Events;
import io.lavmonitor.wire.Names;
import io.lavmonitor.wire.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every record of {@code lav.references} and {@code lav.models} once, as it arrives:
 * a valid one is copied to the station catalog topic (which the monitors read into a global
 * store); a bad one goes to the dead-letter topic with its reason and raises one
 * {@code reference_rejected} or {@code model_rejected} alert, and the station's last good
 * reference or model serves on. The control topics have one partition, so one task sees each
 * record once: one alert per bad record.
 */
final class CatalogProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogProcessor.class);
  static final String SINK = "to-catalog";

  private final MonitorServices svc;
  private ProcessorContext<String, Object> ctx;

  CatalogProcessor(MonitorServices svc) {
    this.svc = svc;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.ctx = context;
  }

  @Override
  public void process(Record<String, byte[]> rec) {
    String topic = ctx.recordMetadata().map(m -> m.topic()).orElse(Topics.REFERENCES.name());
    boolean reference = topic.equals(Topics.REFERENCES.name());
    try {
      StationCatalog.Accepted a = svc.catalog().validate(topic, rec.key(), rec.value());
      ctx.forward(new Record<>(a.catalogKey(), rec.value(), rec.timestamp()), SINK);
      svc.catalog().applyIfAbsent(a.catalogKey(), rec.value());
      LOG.info("{} of station {} accepted{}", a.kind(), a.station(),
          rec.value() == null ? " (removed)" : "");
    } catch (RuntimeException e) {
      String reason = String.valueOf(e.getMessage());
      String kind = reference ? "bad_reference" : "bad_model_update";
      svc.metrics().frame(kind);
      DeadLetters.send(ctx, rec, kind, reason, svc.deadLetterBytes());
      String station = Names.valid(rec.key()) ? rec.key() : null;
      String type = reference ? "reference_rejected" : "model_rejected";
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("reason", reason);
      ev.put("topic", topic);
      ctx.recordMetadata().ifPresent(m -> ev.put("offset", m.offset()));
      ev.put("bytes", rec.value() == null ? 0 : rec.value().length);
      Events.Anomaly alert = new Events.Anomaly(type, "warning", station, null, null, null,
          (reference ? "a reference" : "a model update") + " for station "
              + Names.shown(rec.key()) + " was rejected (" + reason + "); the last good "
              + (reference ? "reference" : "model") + " serves on", ev,
          ctx.currentSystemTimeMs());
      svc.metrics().anomaly(alert);
      svc.recent().anomaly(alert);
      ctx.forward(new Record<>(station == null ? "-" : station, alert, rec.timestamp()),
          "to-anomalies");
    }
  }
}
