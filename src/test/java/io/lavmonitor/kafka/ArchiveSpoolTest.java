package io.lavmonitor.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive topic on a real KRaft broker, copied into cycle folders for the trainer. */
class ArchiveSpoolTest {
  @TempDir
  Path dir;

  static byte[] jpeg(int shade) throws Exception {
    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(shade, 255 - shade, 128));
    g.fillRect(0, 0, 32, 32);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  @Test
  void completeCyclesLandInFoldersAndRoundsResumeFromCommittedOffsets() throws Exception {
    try (LocalKafka kafka = LocalKafka.start()) {
      kafka.createTopic(Topics.ARCHIVE, 2, Map.of());
      Properties client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(client, new StringSerializer(),
          new ByteArraySerializer())) {
        for (int f = 0; f < 4; f++) {
          p.send(new ArchiveFrame("st1", "cam1", "cyc-1", f, 4, jpeg(f * 40))
              .toRecord(Topics.ARCHIVE));
        }
        for (int f = 0; f < 2; f++) { // cyc-2 is incomplete: 2 of 3 frames so far
          p.send(new ArchiveFrame("st2", "cam2", "cyc-2", f, 3, jpeg(f * 40))
              .toRecord(Topics.ARCHIVE));
        }
        p.send(new ProducerRecord<>(Topics.ARCHIVE, "st1", new byte[] {1, 2, 3})); // no headers
        p.flush();
      }
      Path spool = dir.resolve("spool");
      ArchiveSpool.Drained d = ArchiveSpool.drain(client, Topics.ARCHIVE, spool,
          Duration.ofSeconds(60));
      assertEquals(7, d.records());
      assertEquals(1, d.malformed());
      assertEquals(List.of("st1/cyc-1"), d.completeCycles());
      assertTrue(ImageIO.read(spool.resolve("st1/cyc-1/000003.jpg").toFile()) != null);
      assertFalse(ArchiveSpool.isComplete(spool.resolve("st2/cyc-2")));

      // The missing frame arrives later; the next drain reads only what is new.
      try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(client, new StringSerializer(),
          new ByteArraySerializer())) {
        p.send(new ArchiveFrame("st2", "cam2", "cyc-2", 2, 3, jpeg(200))
            .toRecord(Topics.ARCHIVE)).get();
      }
      ArchiveSpool.Drained again = ArchiveSpool.drain(client, Topics.ARCHIVE, spool,
          Duration.ofSeconds(60));
      assertEquals(1, again.records(), "committed offsets: old records are not read twice");
      assertEquals(List.of("st2/cyc-2"), again.completeCycles());
      assertEquals(3, Files.list(spool.resolve("st2/cyc-2"))
          .filter(f -> f.toString().endsWith(".jpg")).count());
    }
  }
}
