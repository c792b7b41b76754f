package io.lavmonitor.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One sampled camera frame on {@code lav.archive}, sent as it arrives: key the station (so a
 * station's frames stay in order on one partition), value the JPEG bytes, headers naming the
 * camera and the frame's number among the camera's processed frames ({@code lav.frame}, the
 * numbering {@code lav.cycles} uses), with the agent's session and sequence for reference.
 * The trainer's spool groups frames into cycles with the cycle records.
 *
 * <p>The previous format (frames sent at a cycle's end with headers {@code lav.cycle},
 * {@code lav.frame-index} and {@code lav.cycle-frames}) still parses: {@link #cycle} is then set.
 *
 * @param cycle the cycle id of a previous-format record, else null
 */
public record ArchiveFrame(String station, String camera, long frame, long session,
                           long sequence, byte[] jpeg, String cycle, int index, int count) {
  static final String CAMERA = "lav.camera";
  static final String FRAME = "lav.frame";
  static final String SESSION = "lav.session";
  static final String SEQUENCE = "lav.sequence";
  static final String OLD_CYCLE = "lav.cycle";
  static final String OLD_INDEX = "lav.frame-index";
  static final String OLD_COUNT = "lav.cycle-frames";

  /** A frame of the current format. */
  public static ArchiveFrame of(String station, String camera, long frame, long session,
                                long sequence, byte[] jpeg) {
    return new ArchiveFrame(station, camera, frame, session, sequence, jpeg, null, 0, 0);
  }

  public Headers headers() {
    RecordHeaders h = new RecordHeaders();
    h.add(CAMERA, camera.getBytes(StandardCharsets.UTF_8));
    h.add(FRAME, Long.toString(frame).getBytes(StandardCharsets.UTF_8));
    h.add(SESSION, Long.toString(session).getBytes(StandardCharsets.UTF_8));
    h.add(SEQUENCE, Long.toString(sequence).getBytes(StandardCharsets.UTF_8));
    return h;
  }

  /** Parses a record; throws IllegalArgumentException naming what is missing or malformed. */
  public static ArchiveFrame from(ConsumerRecord<String, byte[]> r) {
    if (r.key() == null || r.value() == null || r.value().length == 0) {
      throw new IllegalArgumentException("archive record without station key or image");
    }
    Names.check(r.key(), "station");
    String camera = Names.check(header(r.headers(), CAMERA), "camera");
    try {
      if (r.headers().lastHeader(OLD_CYCLE) != null) {
        String cycle = Names.check(header(r.headers(), OLD_CYCLE), "cycle");
        int index = Integer.parseInt(header(r.headers(), OLD_INDEX));
        int count = Integer.parseInt(header(r.headers(), OLD_COUNT));
        if (index < 0 || count < 1 || index >= count) {
          throw new IllegalArgumentException("archive frame index " + index + " of " + count);
        }
        return new ArchiveFrame(r.key(), camera, -1, 0, -1, r.value(), cycle, index, count);
      }
      return of(r.key(), camera, Long.parseLong(header(r.headers(), FRAME)),
          Long.parseLong(header(r.headers(), SESSION)),
          Long.parseLong(header(r.headers(), SEQUENCE)), r.value());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("archive record with a malformed number header");
    }
  }

  private static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    if (h == null || h.value() == null) {
      throw new IllegalArgumentException("archive record without header " + name);
    }
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
