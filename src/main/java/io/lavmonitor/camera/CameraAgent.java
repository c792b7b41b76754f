package io.lavmonitor.camera;

import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.video.FpsResampler;
import io.lavmonitor.video.Jpeg;
import io.lavmonitor.video.VideoFrame;
import io.lavmonitor.video.VideoOptions;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import io.lavmonitor.wire.FrameEnvelope;
import io.lavmonitor.wire.Topics;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one camera's frames to {@code lav.frames}: JPEG at a set quality, at most the set
 * frame rate, sequence numbers that keep counting across reconnects. Each run of the agent is
 * a session of its own (its start time in microseconds, made unique), which every envelope
 * carries: a restarted agent counts from 1 again in a new session, and the monitor takes it as
 * a new order rather than as old frames. When the broker is slower than the camera, frames are
 * dropped (and counted) rather than buffered without bound: at most {@code maxInFlight} frames
 * wait for the broker at any time.
 */
public final class CameraAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CameraAgent.class);

  /**
   * Settings.
   *
   * @param realTime pace a file at its frame rate, as a live camera would deliver it
   * @param loop start a file over at its end
   * @param width frames are scaled to width x height before encoding; 0 keeps the source size
   */
  public record Settings(String source, String camera, String station, double fps,
                         float jpegQuality, int maxInFlight, boolean realTime, boolean loop,
                         String topic, int width, int height) {
    public Settings(String source, String camera, String station, double fps, float jpegQuality,
                    int maxInFlight, boolean realTime, boolean loop, String topic) {
      this(source, camera, station, fps, jpegQuality, maxInFlight, realTime, loop, topic, 0, 0);
    }

    public Settings {
      if (!(fps > 0) || jpegQuality <= 0 || jpegQuality > 1 || maxInFlight < 1) {
        throw new io.lavmonitor.io.InvalidInputException("--fps > 0, --jpeg-quality in (0, 1], "
            + "--max-in-flight >= 1");
      }
      if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
        throw new io.lavmonitor.io.InvalidInputException("--resize needs a width and a height "
            + "above 0, got " + width + "x" + height);
      }
    }

    public static Settings of(String source, String camera, String station, double fps) {
      return new Settings(source, camera, station, fps, 0.85f, 8, true, false,
          Topics.FRAMES.name());
    }

    /** The same settings, with frames scaled to width x height before encoding. */
    public Settings resized(int w, int h) {
      return new Settings(source, camera, station, fps, jpegQuality, maxInFlight, realTime, loop,
          topic, w, h);
    }
  }

  private final Settings s;
  private final KafkaProducer<String, byte[]> producer;
  private final Semaphore inFlight;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong sentBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final long session;
  private long sequence;

  public CameraAgent(Settings settings, KafkaClients clients) {
    this(settings, clients, newSession(), 0);
  }

  /**
   * An agent of the given session whose sequence numbers continue after {@code lastSequence}.
   */
  public CameraAgent(Settings settings, KafkaClients clients, long session, long lastSequence) {
    this.s = settings;
    this.session = session;
    this.sequence = lastSequence;
    Map<String, Object> o = new HashMap<>();
    o.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    o.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"); // JPEG does not compress
    o.put(ProducerConfig.CLIENT_ID_CONFIG, "lav-camera-" + settings.camera());
    clients.settings().forEach((k, v) -> o.remove((String) k)); // the user's settings win
    this.producer = clients.producer(Topics.FRAMES.named(settings.topic()), o);
    this.inFlight = new Semaphore(settings.maxInFlight());
  }

  /** A new session id: the start time in microseconds, made unique by random low digits. */
  public static long newSession() {
    return System.currentTimeMillis() * 1000
        + java.util.concurrent.ThreadLocalRandom.current().nextInt(1000);
  }

  /** This run's session id. */
  public long session() {
    return session;
  }

  public long sent() {
    return sent.get();
  }

  /** Payload bytes (encoded images) of the frames the broker acknowledged. */
  public long sentBytes() {
    return sentBytes.get();
  }

  /** Frames dropped because the broker was behind. */
  public long dropped() {
    return dropped.get();
  }

  /** Frames the broker refused (after the producer's own retries). */
  public long failed() {
    return failed.get();
  }

  /**
   * Publishes until the source ends (and does not loop), the sequence number reaches
   * {@code maxFrames} (0: no limit), or {@code stop}.
   */
  public void run(AtomicBoolean stop, long maxFrames) {
    VideoOptions opts = VideoOptions.defaults().withImageFps(s.fps());
    do {
      try (VideoSource src = new FpsResampler(VideoSources.open(s.source(), opts,
          gap -> LOG.warn("camera {}: stream gap of {} after reconnect", s.camera(), gap)),
          s.fps())) {
        long start = System.nanoTime();
        long n = 0;
        for (VideoFrame f = src.next(); f != null && !stop.get(); f = src.next()) {
          if (s.realTime()) {
            long due = start + (long) (n * 1e9 / s.fps());
            long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
          }
          n++;
          publish(f);
          if (maxFrames > 0 && sequence >= maxFrames) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    } while (s.loop() && !stop.get());
  }

  /** Encodes and sends one frame, or drops it when too many frames are in flight. */
  public void publish(VideoFrame f) {
    long seq = ++sequence;
    if (!inFlight.tryAcquire()) {
      dropped.incrementAndGet();
      return;
    }
    BufferedImage img = scaled(f.toImage());
    byte[] jpeg = Jpeg.encode(img, s.jpegQuality());
    long micros = System.currentTimeMillis() * 1000;
    FrameEnvelope env = new FrameEnvelope(micros, session, seq, img.getWidth(), img.getHeight(),
        FrameEnvelope.Encoding.JPEG, jpeg);
    RecordHeaders h = new RecordHeaders();
    h.add(FrameEnvelope.STATION_HEADER, s.station().getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(new ProducerRecord<>(s.topic(), null, micros / 1000, s.camera(),
          env.encode(), h), (md, ex) -> {
            inFlight.release();
            if (ex != null) {
              failed.incrementAndGet();
              LOG.warn("camera {}: frame {} not delivered: {}", s.camera(), seq, ex.getMessage());
            } else {
              sent.incrementAndGet();
              sentBytes.addAndGet(jpeg.length);
            }
          });
    } catch (RuntimeException e) {
      inFlight.release();
      failed.incrementAndGet();
      LOG.warn("camera {}: frame {} not sent: {}", s.camera(), seq, e.getMessage());
    }
  }

  private BufferedImage scaled(BufferedImage img) {
    if (s.width() == 0 || (img.getWidth() == s.width() && img.getHeight() == s.height())) {
      return img;
    }
    BufferedImage out = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = out.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, s.width(), s.height(), null);
    g.dispose();
    return out;
  }

  /** Waits for frames in flight. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
