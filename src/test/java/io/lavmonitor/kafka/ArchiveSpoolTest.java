package io.lavmonitor.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.wire.ArchiveFrame;
import io.lavmonitor.wire.Events;
import io.lavmonitor.wire.Topics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive on a real KRaft broker: frames sent as they arrive, grouped into cycle folders
 * by the cycle records, the frames between cycles dropped, previous-format records still read,
 * and a later drain reading only what is new.
 */
class ArchiveSpoolTest {
  @TempDir
  Path dir;

  static byte[] jpeg(int shade) throws Exception {
    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(shade % 256, 255 - shade % 256, 128));
    g.fillRect(0, 0, 32, 32);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  static Events.CycleSummary cycle(String station, String camera, String id, long from,
                                   long to) {
    return new Events.CycleSummary(camera, station, id, from + 1, to + 1, from, to, 0, 0, 1, 1,
        List.of(), 0.1, "detected", "m");
  }

  static ProducerRecord<String, byte[]> frame(String station, String camera, long frame)
      throws Exception {
    ArchiveFrame f = ArchiveFrame.of(station, camera, frame, 77, frame + 1, jpeg((int) frame));
    return new ProducerRecord<>(Topics.ARCHIVE.name(), null, station, f.jpeg(), f.headers());
  }

  static long jpegs(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(f -> f.toString().endsWith(".jpg")).count();
    }
  }

  @Test
  void framesAreGroupedIntoCyclesByTheCycleRecords() throws Exception {
    try (LocalKafka kafka = LocalKafka.start()) {
      kafka.createTopic(Topics.ARCHIVE.name(), 2, Map.of());
      kafka.createTopic(Topics.CYCLES.name(), 2, Map.of());
      KafkaClients clients = kafka.clients();
      try (KafkaProducer<String, byte[]> p = clients.producer(Topics.ARCHIVE, Map.of());
           KafkaProducer<String, Events.CycleSummary> cp = clients.producer(Topics.CYCLES,
               Map.of())) {
        for (long f = 0; f < 30; f += 5) { // every 5th frame of cam1: 0, 5, ..., 25
          p.send(frame("st1", "cam1", f));
        }
        // A previous-format record names its cycle itself.
        RecordHeaders h = new RecordHeaders();
        h.add("lav.camera", "cam2".getBytes(StandardCharsets.UTF_8));
        h.add("lav.cycle", "old-1".getBytes(StandardCharsets.UTF_8));
        h.add("lav.frame-index", "0".getBytes(StandardCharsets.UTF_8));
        h.add("lav.cycle-frames", "1".getBytes(StandardCharsets.UTF_8));
        p.send(new ProducerRecord<>(Topics.ARCHIVE.name(), null, "st2", jpeg(9), h));
        p.send(new ProducerRecord<>(Topics.ARCHIVE.name(), "st1", new byte[] {1, 2, 3}));
        p.flush();
        // Cycle cam1-0 spans frames 3..17 (samples 5, 10, 15); 20 and 25 belong to no cycle yet.
        cp.send(new ProducerRecord<>(Topics.CYCLES.name(), "cam1",
            cycle("st1", "cam1", "cam1-0", 3, 17))).get();
      }
      Path spool = dir.resolve("spool");
      ArchiveSpool.Drained d = ArchiveSpool.drain(clients, spool, Duration.ofSeconds(60));
      assertEquals(8, d.records());
      assertEquals(1, d.malformed());
      assertEquals(List.of("st1/cam1-0", "st2/old-1"), d.completeCycles());
      assertEquals(3, jpegs(spool.resolve("st1/cam1-0")), "frames 5, 10 and 15");
      assertTrue(ImageIO.read(spool.resolve("st1/cam1-0/000002.jpg").toFile()) != null);
      Path pending = spool.resolve(".pending/st1/cam1");
      assertEquals(2, jpegs(pending), "frames 20 and 25 wait for their cycle");
      assertFalse(Files.exists(pending.resolve(String.format("%012d.jpg", 0))),
          "frame 0 lies before the cycle: dropped");

      // The next cycle arrives later; the next drain reads only what is new.
      try (KafkaProducer<String, byte[]> p = clients.producer(Topics.ARCHIVE, Map.of());
           KafkaProducer<String, Events.CycleSummary> cp = clients.producer(Topics.CYCLES,
               Map.of())) {
        p.send(frame("st1", "cam1", 30)).get();
        cp.send(new ProducerRecord<>(Topics.CYCLES.name(), "cam1",
            cycle("st1", "cam1", "cam1-1", 22, 31))).get();
      }
      ArchiveSpool.Drained again = ArchiveSpool.drain(clients, spool, Duration.ofSeconds(60));
      assertEquals(1, again.records(), "committed offsets: old records are not read twice");
      assertEquals(List.of("st1/cam1-1"), again.completeCycles());
      assertEquals(2, jpegs(spool.resolve("st1/cam1-1")), "frames 25 and 30");
      assertEquals(0, jpegs(pending), "frame 20, between the cycles, dropped");
      assertTrue(ArchiveSpool.isComplete(spool.resolve("st1/cam1-0")));
    }
  }
}
