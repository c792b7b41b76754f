package io.lavmonitor.monitor;

import io.lavmonitor.station.ModelPreparer;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.station.StationCatalog;
import io.lavmonitor.wire.Topics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the topology's processors share within one monitor instance: the configuration (parsed
 * once), the loaded models, the station catalog and the background model preparation, the
 * metrics, the recent events for the live page, and the size a dead letter may have.
 */
public final class MonitorServices implements AutoCloseable {
  private final MonitorConfig config;
  private final MonitorConfig.Settings settings;
  private final ModelRegistry models;
  private final MonitorMetrics metrics;
  private final StationCatalog catalog;
  private final ModelPreparer preparer;
  private final RecentEvents recent = new RecentEvents(100, 2000);
  private final Set<String> alertedOnce = ConcurrentHashMap.newKeySet();
  private volatile int deadLetterBytes;

  public MonitorServices(MonitorConfig config, ModelRegistry models, MonitorMetrics metrics) {
    this.config = config;
    this.settings = config.settings();
    this.models = models;
    this.metrics = metrics;
    this.catalog = new StationCatalog(models);
    this.preparer = new ModelPreparer(models);
    this.deadLetterBytes = Math.min(settings.producerMaxRequest(),
        Topics.DEAD_LETTER.maxMessageBytes());
    // Prepare a station's wanted model as soon as the catalog names it.
    catalog.onChange(station -> {
      StationCatalog.ReferenceEntry ref = catalog.reference(station);
      var update = catalog.modelUpdate(station);
      if (ref != null && update != null) {
        preparer.prepare(ref, update.id(), update.uri());
      }
    });
  }

  public MonitorConfig config() {
    return config;
  }

  public MonitorConfig.Settings settings() {
    return settings;
  }

  public ModelRegistry models() {
    return models;
  }

  public MonitorMetrics metrics() {
    return metrics;
  }

  public StationCatalog catalog() {
    return catalog;
  }

  public ModelPreparer preparer() {
    return preparer;
  }

  public RecentEvents recent() {
    return recent;
  }

  /** The largest dead letter this instance sends whole. */
  public int deadLetterBytes() {
    return deadLetterBytes;
  }

  /**
   * Takes the limits of the topics as the cluster has them (an administrator may have created
   * the dead-letter topic with a smaller {@code max.message.bytes} than declared).
   */
  public void useTopicLimits(Map<String, Integer> maxMessageBytes) {
    Integer dlq = maxMessageBytes.get(Topics.DEAD_LETTER.name());
    if (dlq != null) {
      deadLetterBytes = Math.min(settings.producerMaxRequest(), dlq);
    }
  }

  /** True the first time it is asked for a key in this instance: one alert per event. */
  public boolean firstTime(String key) {
    return alertedOnce.add(key);
  }

  @Override
  public void close() {
    preparer.close();
  }
}
