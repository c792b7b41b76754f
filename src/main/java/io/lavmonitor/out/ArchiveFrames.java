package io.lavmonitor.out;

import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.wire.ArchiveFrame;
import io.lavmonitor.wire.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recent frames of {@code lav.archive}, per camera, for the HTTP endpoint's evidence: what
 * an alert's {@code start_frame}..{@code end_frame} showed. A consumer of its own (no group,
 * read-committed, on a daemon thread, never the stream thread) reads the archive from a little
 * before its end at start, so a restarted monitor serves the frames it archived before, and
 * keeps the newest {@code keep} frames of each camera. Not a store of record: the archive
 * topic is.
 */
public final class ArchiveFrames implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveFrames.class);

  private final int keep;
  private final Map<String, NavigableMap<Long, byte[]>> byCamera = new ConcurrentHashMap<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile boolean closed;

  private ArchiveFrames(KafkaClients clients, int keep) {
    this.keep = keep;
    this.consumer = clients.consumer(Topics.ARCHIVE, Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
    this.thread = new Thread(this::run, "lav-archive-frames");
    thread.setDaemon(true);
  }

  /**
   * Starts reading; {@code keep} frames per camera are kept (at {@code lav.archive.every} = 5
   * and 10 fps, 1200 frames are the last 10 minutes).
   */
  public static ArchiveFrames start(KafkaClients clients, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep " + keep + " frames: at least 1");
    }
    ArchiveFrames f = new ArchiveFrames(clients, keep);
    f.thread.start();
    return f;
  }

  private void run() {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      while (!closed && parts.isEmpty()) {
        try {
          consumer.partitionsFor(Topics.ARCHIVE.name(), Duration.ofSeconds(10))
              .forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        } catch (org.apache.kafka.common.errors.RetriableException e) {
          LOG.debug("archive frames: {}; trying again", e.toString());
        }
        if (parts.isEmpty()) {
          pause(); // the topic may not exist yet, or the broker may not be up
        }
      }
      consumer.assign(parts);
      // A station's cameras share a partition: go back a few cameras' worth of frames.
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts, Duration.ofSeconds(30));
      for (TopicPartition p : parts) {
        consumer.seek(p, Math.max(begin.get(p), end.get(p) - 4L * keep));
      }
      while (!closed) {
        try {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            add(r);
          }
        } catch (org.apache.kafka.common.errors.RetriableException e) {
          LOG.debug("archive frames: {}; polling again", e.toString());
          pause();
        }
      }
    } catch (WakeupException e) {
      if (!closed) {
        LOG.warn("archive frames stopped: {}", e.toString());
      }
    } catch (RuntimeException e) {
      LOG.warn("archive frames stopped; alerts' frames will not be served: {}", e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private void add(ConsumerRecord<String, byte[]> r) {
    ArchiveFrame f;
    try {
      f = ArchiveFrame.from(r);
    } catch (IllegalArgumentException e) {
      return; // the trainer's spool reports bad archive records; here they are only skipped
    }
    if (f.frame() < 0) {
      return; // the previous format has no camera frame numbers
    }
    NavigableMap<Long, byte[]> frames = byCamera.computeIfAbsent(f.camera(),
        c -> new TreeMap<>());
    synchronized (frames) {
      if (!frames.isEmpty() && f.frame() < frames.firstKey()) {
        frames.clear(); // the camera's count started over (a reset state): keep the new ones
      }
      frames.put(f.frame(), f.jpeg());
      while (frames.size() > keep) {
        frames.pollFirstEntry();
      }
    }
  }

  /** The camera frames kept, oldest first (empty for an unknown camera). */
  public List<Long> frames(String camera) {
    NavigableMap<Long, byte[]> frames = byCamera.get(camera);
    if (frames == null) {
      return List.of();
    }
    synchronized (frames) {
      return new ArrayList<>(frames.keySet());
    }
  }

  /**
   * The archived frame nearest camera frame {@code frame} (the archive samples every few
   * frames), or null when none is kept within {@code within} frames of it.
   */
  public Frame nearest(String camera, long frame, long within) {
    NavigableMap<Long, byte[]> frames = byCamera.get(camera);
    if (frames == null) {
      return null;
    }
    synchronized (frames) {
      Map.Entry<Long, byte[]> lo = frames.floorEntry(frame);
      Map.Entry<Long, byte[]> hi = frames.ceilingEntry(frame);
      Map.Entry<Long, byte[]> best = lo == null ? hi : hi == null ? lo
          : frame - lo.getKey() <= hi.getKey() - frame ? lo : hi;
      return best == null || Math.abs(best.getKey() - frame) > within ? null
          : new Frame(best.getKey(), best.getValue());
    }
  }

  /** An archived frame: its camera frame number and JPEG bytes. */
  public record Frame(long frame, byte[] jpeg) {}

  /** Frames kept per camera, for the tests and the log. */
  Map<String, Integer> counts() {
    Map<String, Integer> out = new HashMap<>();
    byCamera.forEach((c, f) -> {
      synchronized (f) {
        out.put(c, f.size());
      }
    });
    return out;
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
