package io.lavmonitor.monitor;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence, behind the processors' own dead-lettering: Kafka Streams' handlers
 * for an exception that escapes a processor (log, count, skip the record) and for a record the
 * producer cannot send (log, count, skip it: a record too large for its topic must not stop the
 * line), and a stream thread that dies anyway is replaced. Each counts into
 * {@code lav_handled_errors_total{handler}}.
 */
public final class MonitorExceptionHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorExceptionHandlers.class);
  /** The config key under which the monitor passes its metrics to the handlers. */
  static final String METRICS = "lav.internal.metrics";

  private MonitorExceptionHandlers() {}

  private static MonitorMetrics metrics(Map<String, ?> configs) {
    Object m = configs.get(METRICS);
    return m instanceof MonitorMetrics mm ? mm : null;
  }

  /** An exception out of a processor: skip the record. */
  public static final class Processing implements ProcessingExceptionHandler {
    private MonitorMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
      metrics = metrics(configs);
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record,
                                            Exception exception) {
      LOG.error("record {}-{}@{} failed in {} and is skipped: {}", context.topic(),
          context.partition(), context.offset(), context.processorNodeId(),
          exception.toString());
      if (metrics != null) {
        metrics.handledError("processing");
      }
      return ProcessingHandlerResponse.CONTINUE;
    }
  }

  /** A record the producer cannot send: skip it (the processors size what they send). */
  public static final class Production implements ProductionExceptionHandler {
    private MonitorMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
      metrics = metrics(configs);
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context,
                                                     ProducerRecord<byte[], byte[]> record,
                                                     Exception exception) {
      LOG.error("a record for {} could not be sent and is dropped: {}", record.topic(),
          exception.toString());
      if (metrics != null) {
        metrics.handledError("production");
      }
      return ProductionExceptionHandlerResponse.CONTINUE;
    }

    @Override
    public ProductionExceptionHandlerResponse handleSerializationException(
        ErrorHandlerContext context, ProducerRecord record, Exception exception,
        SerializationExceptionOrigin origin) {
      LOG.error("a record for {} could not be serialised and is dropped: {}", record.topic(),
          exception.toString());
      if (metrics != null) {
        metrics.handledError("serialization");
      }
      return ProductionExceptionHandlerResponse.CONTINUE;
    }
  }

  /** A stream thread that died is replaced rather than stopping the monitor. */
  static StreamsUncaughtExceptionHandler replaceThread(MonitorMetrics metrics) {
    return e -> {
      LOG.error("a stream thread died and is replaced: {}", e.toString(), e);
      metrics.handledError("thread");
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    };
  }
}
