package io.lavmonitor.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the archive topic into the folder layout the trainer reads: one image folder per cycle,
 * {@code SPOOL/<station>/<cycle>/<index>.jpg}. A cycle is complete when all its sampled frames
 * are there; an incomplete one waits for the next round. Offsets are committed only after the
 * frames are on disk, so a crash re-copies rather than loses; malformed records are counted and
 * skipped (the monitor's dead-letter topic is where such input belongs).
 */
public final class ArchiveSpool {
  private static final Logger LOG = LoggerFactory.getLogger(ArchiveSpool.class);

  /** What a drain did. */
  public record Drained(int records, int malformed, List<String> completeCycles) {}

  private ArchiveSpool() {}

  /** Reads the topic up to its current end and writes the frames under {@code spool}. */
  public static Drained drain(Properties client, String topic, Path spool, Duration timeout) {
    Properties p = new Properties();
    p.putAll(client);
    p.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "lav-trainer");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    int records = 0;
    int malformed = 0;
    Map<String, Integer> expected = new HashMap<>(); // station/cycle -> frames
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic, timeout).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      if (parts.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      c.assign(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!caughtUp(c, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          records++;
          try {
            ArchiveFrame f = ArchiveFrame.from(r);
            Path dir = spool.resolve(f.station()).resolve(f.cycle());
            Files.createDirectories(dir);
            Files.write(dir.resolve(String.format("%06d.jpg", f.index())), f.jpeg());
            expected.put(f.station() + "/" + f.cycle(), f.count());
            Files.writeString(dir.resolve(".frames"), Integer.toString(f.count()));
          } catch (IllegalArgumentException e) {
            malformed++;
            LOG.warn("skipped archive record {}-{}@{}: {}", r.topic(), r.partition(),
                r.offset(), e.getMessage());
          }
        }
        c.commitSync();
      }
      if (!caughtUp(c, end)) {
        throw new IllegalStateException("could not read " + topic + " to its end within "
            + timeout.toSeconds() + " s");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the archive spool " + spool, e);
    }
    List<String> complete = new ArrayList<>();
    for (String sc : expected.keySet()) {
      if (isComplete(spool.resolve(sc))) {
        complete.add(sc);
      }
    }
    complete.sort(null);
    return new Drained(records, malformed, complete);
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
  }

  /** Whether a spooled cycle folder holds every frame its records announced. */
  public static boolean isComplete(Path cycleDir) {
    Path marker = cycleDir.resolve(".frames");
    if (!Files.exists(marker)) {
      return true; // a folder put there by hand
    }
    try (Stream<Path> s = Files.list(cycleDir)) {
      long n = s.filter(f -> f.getFileName().toString().endsWith(".jpg")).count();
      return n >= Integer.parseInt(Files.readString(marker).trim());
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }
}
