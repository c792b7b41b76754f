package io.lavmonitor.monitor;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps a global store equal to its compacted topic: a value is put, a tombstone deletes. */
final class GlobalStoreUpdate implements Processor<String, byte[], Void, Void> {
  private final String storeName;
  private KeyValueStore<String, byte[]> store;

  GlobalStoreUpdate(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, byte[]> rec) {
    if (rec.key() == null) {
      return;
    }
    if (rec.value() == null) {
      store.delete(rec.key());
    } else {
      store.put(rec.key(), rec.value());
    }
  }
}
