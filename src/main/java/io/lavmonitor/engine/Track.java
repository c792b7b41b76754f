package io.lavmonitor.engine;

/**
 * Where a camera keeps the per-frame {@link TrackEntry} of its running cycle: a ring of slots
 * that the engine numbers (frame modulo the ring's size). The monitor keeps it in a store of
 * its own, one small record per frame, so that the camera's state written on every frame stays
 * small; {@link InMemory} serves replays and tests.
 */
public interface Track {
  void put(int slot, TrackEntry e);

  /** The entry in the slot, or null. */
  TrackEntry get(int slot);

  /** A track in a map. */
  final class InMemory implements Track {
    private final java.util.Map<Integer, TrackEntry> slots = new java.util.HashMap<>();

    @Override
    public void put(int slot, TrackEntry e) {
      slots.put(slot, e);
    }

    @Override
    public TrackEntry get(int slot) {
      return slots.get(slot);
    }
  }
}
