package io.lavmonitor.kafka;

import io.lavmonitor.wire.ArchiveFrame;
import io.lavmonitor.wire.Events;
import io.lavmonitor.wire.Names;
import io.lavmonitor.wire.Topic;
import io.lavmonitor.wire.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the archive into the folder layout the trainer reads: one image folder per cycle,
 * {@code SPOOL/<station>/<cycle>/<index>.jpg}. The monitor sends sampled frames as they arrive
 * (each numbered among its camera's frames) and a cycle record when a cycle is confirmed; the
 * spool keeps frames under {@code SPOOL/.pending/<station>/<camera>/} until a cycle record names
 * their range, then moves them into the cycle's folder, and drops the frames between cycles.
 *
 * <p>Cycle records are read up to end offsets taken before the archive's: the monitor commits a
 * cycle's frames no later than the cycle, so every cycle read has all its frames on disk. Offsets
 * are committed only after the frames are on disk, so a crash re-copies rather than loses;
 * malformed records are counted and skipped (the monitor's dead-letter topic is where such input
 * belongs). Archive records of the previous format, which named their cycle, go straight to it.
 */
public final class ArchiveSpool {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveSpool.class);
  static final String PENDING = ".pending";
  static final String GROUP = "lav-trainer";

  /** What a drain did. */
  public record Drained(int records, int malformed, List<String> completeCycles) {}

  private ArchiveSpool() {}

  /** Reads the cycle and archive topics up to their current ends into {@code spool}. */
  public static Drained drain(KafkaClients clients, Path spool, Duration timeout) {
    return drain(clients, Topics.ARCHIVE, Topics.CYCLES, spool, timeout);
  }

  /** As {@link #drain(KafkaClients, Path, Duration)}, with other topic names. */
  public static Drained drain(KafkaClients clients, Topic<String, byte[]> archive,
                              Topic<String, Events.CycleSummary> cycles, Path spool,
                              Duration timeout) {
    int[] counts = new int[2]; // records, malformed
    Set<String> touched = new LinkedHashSet<>();
    List<Events.CycleSummary> found = new ArrayList<>();
    try (KafkaConsumer<String, Events.CycleSummary> cc = consumer(clients, cycles);
         KafkaConsumer<String, byte[]> ac = consumer(clients, archive)) {
      Map<TopicPartition, Long> cyclesEnd = endOffsets(cc, cycles.name(), timeout);
      Map<TopicPartition, Long> archiveEnd = endOffsets(ac, archive.name(), timeout);
      readTo(ac, archiveEnd, timeout, r -> {
        counts[0]++;
        try {
          ArchiveFrame f = ArchiveFrame.from(r);
          if (f.cycle() != null) {
            writeOldFormat(spool, f);
            touched.add(f.station() + "/" + f.cycle());
          } else {
            Path dir = pendingDir(spool, f.station(), f.camera());
            Files.createDirectories(dir);
            Files.write(dir.resolve(String.format("%012d.jpg", f.frame())), f.jpeg());
          }
        } catch (IllegalArgumentException e) {
          counts[1]++;
          LOG.warn("skipped archive record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
              e.getMessage());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the archive spool " + spool, e);
        }
      });
      readTo(cc, cyclesEnd, timeout, r -> {
        Events.CycleSummary c = r.value();
        if (c != null && Names.valid(c.station()) && Names.valid(c.camera())
            && Names.valid(c.cycleId()) && c.endFrame() >= c.startFrame()) {
          found.add(c);
        }
      });
    } catch (org.apache.kafka.common.errors.SerializationException e) {
      throw new IllegalStateException("unreadable cycle record: " + e.getMessage(), e);
    }
    for (Events.CycleSummary c : found) {
      if (collect(spool, c)) {
        touched.add(c.station() + "/" + c.cycleId());
      }
    }
    dropIdleFrames(spool, found);
    List<String> complete = new ArrayList<>();
    for (String sc : touched) {
      if (isComplete(spool.resolve(sc))) {
        complete.add(sc);
      }
    }
    complete.sort(null);
    return new Drained(counts[0], counts[1], complete);
  }

  private static <V> KafkaConsumer<String, V> consumer(KafkaClients clients,
                                                       Topic<String, V> topic) {
    return clients.consumer(topic, Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP + "-"
            + topic.name(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
  }

  private static Map<TopicPartition, Long> endOffsets(KafkaConsumer<?, ?> c, String topic,
                                                      Duration timeout) {
    List<TopicPartition> parts = c.partitionsFor(topic, timeout).stream()
        .map(i -> new TopicPartition(topic, i.partition())).toList();
    if (parts.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    c.assign(parts);
    return c.endOffsets(parts, timeout);
  }

  private static <V> void readTo(KafkaConsumer<String, V> c, Map<TopicPartition, Long> end,
                                 Duration timeout, Consumer<ConsumerRecord<String, V>> each) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp(c, end) && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(500))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < end.get(tp)) {
          each.accept(r);
        }
      }
      c.commitSync(positionsUpTo(c, end));
    }
    if (!caughtUp(c, end)) {
      throw new IllegalStateException("could not read " + end.keySet().iterator().next()
          .topic() + " to its end within " + timeout.toSeconds() + " s");
    }
  }

  /** Positions to commit, never past the end offsets the drain reads to. */
  private static Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata>
      positionsUpTo(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> out =
        new java.util.HashMap<>();
    end.forEach((tp, e) -> out.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(
        Math.min(c.position(tp), e))));
    return out;
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
  }

  private static Path pendingDir(Path spool, String station, String camera) {
    return spool.resolve(PENDING).resolve(station).resolve(camera);
  }

  private static void writeOldFormat(Path spool, ArchiveFrame f) throws IOException {
    Path dir = spool.resolve(f.station()).resolve(f.cycle());
    Files.createDirectories(dir);
    Files.write(dir.resolve(String.format("%06d.jpg", f.index())), f.jpeg());
    Files.writeString(dir.resolve(".frames"), Integer.toString(f.count()));
  }

  /** Moves a cycle's pending frames into its folder; whether the cycle has a folder now. */
  private static boolean collect(Path spool, Events.CycleSummary c) {
    Path cycleDir = spool.resolve(c.station()).resolve(c.cycleId());
    TreeMap<Long, Path> frames = pendingFrames(pendingDir(spool, c.station(), c.camera()));
    var in = frames.subMap(c.startFrame(), true, c.endFrame(), true);
    if (in.isEmpty()) {
      return Files.isDirectory(cycleDir);
    }
    try {
      Files.createDirectories(cycleDir);
      int index = countJpegs(cycleDir);
      for (Path p : in.values()) {
        Files.move(p, cycleDir.resolve(String.format("%06d.jpg", index++)),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(cycleDir.resolve(".frames"), Integer.toString(index));
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the archive spool " + spool, e);
    }
  }

  /** Pending frames up to the last cycle end of their camera lie between cycles: idle. */
  private static void dropIdleFrames(Path spool, List<Events.CycleSummary> cycles) {
    Map<String, Long> lastEnd = new java.util.HashMap<>();
    for (Events.CycleSummary c : cycles) {
      lastEnd.merge(c.station() + "/" + c.camera(), c.endFrame(), Math::max);
    }
    lastEnd.forEach((sc, end) -> {
      String[] p = sc.split("/");
      for (Path f : pendingFrames(pendingDir(spool, p[0], p[1])).headMap(end, true).values()) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          LOG.warn("cannot delete {}: {}", f, e.getMessage());
        }
      }
    });
  }

  private static TreeMap<Long, Path> pendingFrames(Path dir) {
    TreeMap<Long, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> {
        String n = p.getFileName().toString();
        if (n.endsWith(".jpg")) {
          try {
            out.put(Long.parseLong(n.substring(0, n.length() - 4)), p);
          } catch (NumberFormatException ignored) {
            // not ours
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return out;
  }

  private static int countJpegs(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(f -> f.getFileName().toString().endsWith(".jpg")).count();
    }
  }

  /** Whether a spooled cycle folder holds every frame its records announced. */
  public static boolean isComplete(Path cycleDir) {
    Path marker = cycleDir.resolve(".frames");
    if (!Files.exists(marker)) {
      return Files.isDirectory(cycleDir); // a folder put there by hand
    }
    try {
      return countJpegs(cycleDir) >= Integer.parseInt(Files.readString(marker).trim());
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }
}
