package io.lavmonitor.monitor;

import io.lavmonitor.station.StationCatalog;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global station-catalog store (validated records only) and hands each change to the
 * in-memory {@link StationCatalog}, which parses it once. Entries restored into the store before
 * this process started are read by the catalog on first use.
 */
final class CatalogUpdate implements Processor<String, byte[], Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogUpdate.class);

  private final StationCatalog catalog;
  private KeyValueStore<String, byte[]> store;

  CatalogUpdate(StationCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(Stores.CATALOG);
  }

  @Override
  public void process(Record<String, byte[]> rec) {
    if (rec.key() == null) {
      return;
    }
    try {
      if (rec.value() == null) {
        store.delete(rec.key()); // first: the catalog reads through to the store on a miss
        catalog.apply(rec.key(), null);
      } else {
        catalog.apply(rec.key(), rec.value()); // parses: a record that fails is kept out
        store.put(rec.key(), rec.value());
      }
    } catch (RuntimeException e) {
      // Validated before it was written; a record that still fails here is kept out.
      LOG.warn("station catalog entry {} ignored: {}", rec.key(), e.getMessage());
    }
  }
}
