package io.lavmonitor.monitor;

import io.lavmonitor.engine.Track;
import io.lavmonitor.engine.TrackEntry;
import org.apache.kafka.streams.state.KeyValueStore;

/** A camera's {@link Track} in the changelogged camera-track store: one record per slot. */
final class KvTrack implements Track {
  private final KeyValueStore<String, byte[]> store;
  private final String camera;

  KvTrack(KeyValueStore<String, byte[]> store, String camera) {
    this.store = store;
    this.camera = camera;
  }

  static String key(String camera, int slot) {
    return camera + "#" + slot;
  }

  @Override
  public void put(int slot, TrackEntry e) {
    store.put(key(camera, slot), e.toBytes());
  }

  @Override
  public TrackEntry get(int slot) {
    byte[] b = store.get(key(camera, slot));
    return b == null ? null : TrackEntry.fromBytes(b);
  }
}
