package io.lavmonitor.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One sampled frame of a completed cycle on {@code lav.archive}: key the station (so a station's
 * cycles stay in order on one partition), value the JPEG bytes, headers naming the camera, the
 * cycle, the frame's index among the cycle's sampled frames and how many were sampled.
 */
public record ArchiveFrame(String station, String camera, String cycle, int index, int count,
                           byte[] jpeg) {
  static final String CAMERA = "lav.camera";
  static final String CYCLE = "lav.cycle";
  static final String INDEX = "lav.frame-index";
  static final String COUNT = "lav.cycle-frames";

  public ProducerRecord<String, byte[]> toRecord(String topic) {
    RecordHeaders h = new RecordHeaders();
    h.add(CAMERA, camera.getBytes(StandardCharsets.UTF_8));
    h.add(CYCLE, cycle.getBytes(StandardCharsets.UTF_8));
    h.add(INDEX, Integer.toString(index).getBytes(StandardCharsets.UTF_8));
    h.add(COUNT, Integer.toString(count).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(topic, null, station, jpeg, h);
  }

  /** Parses a record; throws IllegalArgumentException naming what is missing or malformed. */
  public static ArchiveFrame from(ConsumerRecord<String, byte[]> r) {
    if (r.key() == null || r.value() == null || r.value().length == 0) {
      throw new IllegalArgumentException("archive record without station key or image");
    }
    int index = Integer.parseInt(header(r, INDEX));
    int count = Integer.parseInt(header(r, COUNT));
    if (index < 0 || count < 1 || index >= count) {
      throw new IllegalArgumentException("archive frame index " + index + " of " + count);
    }
    String cycle = header(r, CYCLE);
    if (!cycle.matches("[A-Za-z0-9._-]+") || r.key().contains("/")) {
      throw new IllegalArgumentException("archive cycle id or station not a plain name");
    }
    return new ArchiveFrame(r.key(), header(r, CAMERA), cycle, index, count, r.value());
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    if (h == null) {
      throw new IllegalArgumentException("archive record without header " + name);
    }
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
