package io.lavmonitor.bench;

import io.lavmonitor.wire.FrameEnvelope;
import io.lavmonitor.wire.Topics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Records a monitor must survive, of about thirty kinds: random bytes, truncated and damaged
 * envelopes, corrupt and lying images, absurd sizes, missing, empty, huge and malformed keys
 * and headers, unknown stations, repeated, older and stale sequences, and records just under
 * and over each size limit. Each carries headers naming its kind and a number, which the dead
 * letter keeps; the valid records that set up a sequence case are marked as such.
 */
final class MalformedRecords {
  static final String KIND = "lav.fuzz.kind";
  static final String ID = "lav.fuzz.id";
  static final String VALID = "valid";

  /** What the monitor must do with a record. */
  enum Expect {
    /** Dead-letter it. */
    DEAD,
    /** Process it: it is odd, but valid. */
    PROCESSED,
    /** One of the two (a damaged JPEG may still decode), never neither, never both. */
    EITHER
  }

  /** One record to send, what must become of it, and the camera it belongs to. */
  record Case(String kind, Expect expect, String camera, ProducerRecord<byte[], byte[]> record) {}

  private final Random rnd;
  private final byte[] jpeg; // a real frame of the line, 112 x 112
  private final int width;
  private final int height;
  private final int maxBytes;
  private final List<Case> cases = new ArrayList<>();
  private int next;

  MalformedRecords(long seed, byte[] jpeg, int width, int height, int maxBytes) {
    this.rnd = new Random(seed);
    this.jpeg = jpeg;
    this.width = width;
    this.height = height;
    this.maxBytes = maxBytes;
  }

  private Headers headers(String kind, String station) {
    RecordHeaders h = new RecordHeaders();
    h.add(KIND, kind.getBytes(StandardCharsets.UTF_8));
    h.add(ID, Integer.toString(next).getBytes(StandardCharsets.UTF_8));
    if (station != null) {
      h.add(FrameEnvelope.STATION_HEADER, station.getBytes(StandardCharsets.UTF_8));
    }
    return h;
  }

  private void add(String kind, Expect expect, String topic, byte[] key, byte[] value,
                   Headers h) {
    String camera = key == null ? null : new String(key, StandardCharsets.UTF_8);
    cases.add(new Case(kind, expect, camera, new ProducerRecord<>(topic, null, key, value, h)));
    next++;
  }

  private void add(String kind, boolean dead, String topic, byte[] key, byte[] value,
                   Headers h) {
    add(kind, dead ? Expect.DEAD : Expect.PROCESSED, topic, key, value, h);
  }

  private void frame(String kind, Expect expect, String camera, byte[] value) {
    add(kind, expect, Topics.FRAMES.name(), bytes(camera), value, headers(kind, "st1"));
  }

  private void frame(String kind, boolean dead, String camera, byte[] value) {
    frame(kind, dead ? Expect.DEAD : Expect.PROCESSED, camera, value);
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] envelope(long session, long seq, int w, int h, byte[] payload) {
    return new FrameEnvelope(System.currentTimeMillis() * 1000, session, seq, w, h,
        FrameEnvelope.Encoding.JPEG, payload).encode();
  }

  private byte[] random(int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** The records: at least {@code total}, of which the few large ones a handful each. */
  List<Case> build(int total) throws Exception {
    // Large records, a few of each: the limits of lav.frames.max-bytes and of the topic.
    for (int i = 0; i < 3; i++) {
      frame("just_under_max_bytes", true, "fz-big", envelope(1, 1, width, height,
          random(maxBytes - FrameEnvelope.HEADER_BYTES - 64)));
      frame("just_over_max_bytes", true, "fz-big", random(maxBytes + 1));
      frame("near_topic_limit", true, "fz-big", random(Topics.FRAMES.maxMessageBytes()
          - 4096));
      frame("huge_key", true, "k".repeat(1_200_000), envelope(1, 1, width, height, jpeg));
    }
    // Borderline but valid: processed, never dead-lettered.
    frame("key_at_length_limit", false, "k".repeat(255), envelope(1, 1, width, height, jpeg));
    frame("large_real_frame", false, "fz-4k", envelope(1, 1, 3840, 2160, image(3840, 2160)));
    frame("key_over_length_limit", true, "k".repeat(256), envelope(1, 1, width, height, jpeg));
    frame("pixels_over_limit", true, "fz-4k", envelope(1, 2, 3840, 2161, jpeg));
    int seqCase = 0;
    while (cases.size() < total) {
      String cam = "fz-" + (next % 50);
      switch (next % 30) {
        case 0 -> frame("random_bytes", true, cam, random(1 + rnd.nextInt(2000)));
        case 1 -> frame("empty_value", true, cam, new byte[0]);
        case 2 -> frame("null_value", true, cam, null);
        case 3 -> {
          byte[] e = envelope(1, 1, width, height, jpeg);
          frame("truncated_envelope", true, cam, java.util.Arrays.copyOf(e,
              rnd.nextInt(e.length - 1)));
        }
        case 4 -> {
          byte[] e = envelope(1, 1, width, height, jpeg);
          e[rnd.nextInt(4)] ^= 0x5a;
          frame("bad_magic", true, cam, e);
        }
        case 5 -> {
          byte[] e = envelope(1, 1, width, height, jpeg);
          e[4] = (byte) (3 + rnd.nextInt(100));
          frame("unknown_version", true, cam, e);
        }
        case 6 -> {
          byte[] e = envelope(1, 1, width, height, jpeg);
          e[5] = 9;
          frame("unknown_encoding", true, cam, e);
        }
        case 7 -> {
          byte[] e = envelope(1, 1, width, height, jpeg);
          ByteBuffer.wrap(e).putInt(38, jpeg.length + 1 + rnd.nextInt(1000));
          frame("payload_length_mismatch", true, cam, e);
        }
        case 8 -> {
          byte[] j = jpeg.clone();
          for (int k = 0; k < 50; k++) {
            j[2 + rnd.nextInt(j.length - 2)] = (byte) rnd.nextInt();
          }
          frame("corrupt_jpeg", Expect.EITHER, cam + "-c" + next, envelope(1, 1, width,
              height, j));
        }
        case 9 -> frame("cut_jpeg", true, cam, envelope(1, 1, width, height,
            java.util.Arrays.copyOf(jpeg, 1 + rnd.nextInt(100))));
        case 10 -> frame("not_an_image", true, cam, envelope(1, 1, width, height,
            "this is no image".getBytes(StandardCharsets.UTF_8)));
        case 11 -> frame("size_lies_in_envelope", true, cam, envelope(1, 1, width + 1 + rnd
            .nextInt(50), height, jpeg));
        case 12 -> frame("image_header_lies", true, cam, envelope(1, 1, width, height,
            lyingPng(16000 + rnd.nextInt(1000), 16000)));
        case 13 -> frame("absurd_size", true, cam, envelope(1, 1, 100_000, 100_000, jpeg));
        case 14 -> frame("zero_size", true, cam, envelope(1, 1, 0, height, jpeg));
        case 15 -> add("missing_key", true, Topics.FRAMES.name(), null,
            envelope(1, 1, width, height, jpeg), headers("missing_key", "st1"));
        case 16 -> frame("empty_key", true, "", envelope(1, 1, width, height, jpeg));
        case 17 -> frame("bad_key_characters", true, "cam/../" + next, envelope(1, 1, width,
            height, jpeg));
        case 18 -> add("missing_station", true, Topics.FRAMES.name(), bytes(cam),
            envelope(1, 1, width, height, jpeg), headers("missing_station", null));
        case 19 -> {
          Headers h = headers("empty_station", null);
          h.add(FrameEnvelope.STATION_HEADER, null);
          add("empty_station", true, Topics.FRAMES.name(), bytes(cam), envelope(1, 1, width,
              height, jpeg), h);
        }
        case 20 -> add("unknown_station", true, Topics.FRAMES.name(), bytes(cam),
            envelope(1, 1, width, height, jpeg), headers("unknown_station", "st9"));
        case 21 -> add("bad_station_characters", true, Topics.FRAMES.name(), bytes(cam),
            envelope(1, 1, width, height, jpeg), headers("bad_station_characters", "st 1\n"));
        case 22 -> {
          String c = "fz-seq-" + seqCase++;
          frame(VALID, false, c, envelope(1, 1, width, height, jpeg));
          frame("repeated_sequence", true, c, envelope(1, 1, width, height, jpeg));
        }
        case 23 -> {
          String c = "fz-seq-" + seqCase++;
          frame(VALID, false, c, envelope(1, 5, width, height, jpeg));
          frame("older_sequence", true, c, envelope(1, 3, width, height, jpeg));
        }
        case 24 -> {
          String c = "fz-seq-" + seqCase++;
          frame(VALID, false, c, envelope(1, 1, width, height, jpeg));
          frame(VALID, false, c, envelope(2, 1, width, height, jpeg));
          frame("stale_session", true, c, envelope(1, 2, width, height, jpeg));
        }
        case 25 -> add("bad_signal", true, Topics.SIGNALS.name(), bytes(cam),
            random(1 + rnd.nextInt(200)), headers("bad_signal", null));
        case 26 -> add("unknown_signal", true, Topics.SIGNALS.name(), bytes(cam),
            "{\"type\":\"explode\"}".getBytes(StandardCharsets.UTF_8),
            headers("unknown_signal", null));
        case 27 -> add("signal_without_frames", true, Topics.SIGNALS.name(),
            bytes("fz-nobody-" + next), "{\"type\":\"start\"}".getBytes(StandardCharsets.UTF_8),
            headers("signal_without_frames", null));
        case 28 -> frame("envelope_of_the_wrong_kind", true, cam,
            "{\"type\":\"start\"}".getBytes(StandardCharsets.UTF_8));
        default -> frame("png_claims_jpeg_size", true, cam, envelope(1, 1, width, height,
            lyingPng(width * 2, height)));
      }
    }
    return cases;
  }

  static byte[] image(int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), "jpg", out);
    return out.toByteArray();
  }

  /** A small PNG whose header says w x h (the CRC fixed so that the header reads). */
  static byte[] lyingPng(int w, int h) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR), "png", out);
    byte[] png = out.toByteArray();
    ByteBuffer b = ByteBuffer.wrap(png);
    b.putInt(16, w).putInt(20, h);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    b.putInt(29, (int) crc.getValue());
    return png;
  }
}
