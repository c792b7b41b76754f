package io.lavmonitor.monitor;

import io.lavmonitor.wire.Events;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last anomalies and cycles this instance emitted, for the live page. Not a source of truth
 * (the topics are): under exactly-once a record of an aborted transaction may show here.
 */
public final class RecentEvents {
  private final int capacity;
  private final int cycleCapacity;
  private final Deque<Events.Anomaly> anomalies = new ArrayDeque<>();
  private final Deque<Events.CycleSummary> cycles = new ArrayDeque<>();

  public RecentEvents(int capacity) {
    this(capacity, capacity);
  }

  /** Keeps the last {@code anomalies} anomalies and {@code cycles} cycles (the page charts an hour). */
  public RecentEvents(int anomalies, int cycles) {
    this.capacity = anomalies;
    this.cycleCapacity = cycles;
  }

  public synchronized void anomaly(Events.Anomaly a) {
    anomalies.addFirst(a);
    while (anomalies.size() > capacity) {
      anomalies.removeLast();
    }
  }

  public synchronized void cycle(Events.CycleSummary c) {
    cycles.addFirst(c);
    while (cycles.size() > cycleCapacity) {
      cycles.removeLast();
    }
  }

  /** Newest first. */
  public synchronized List<Events.Anomaly> anomalies() {
    return new ArrayList<>(anomalies);
  }

  /** Newest first. */
  public synchronized List<Events.CycleSummary> cycles() {
    return new ArrayList<>(cycles);
  }
}
