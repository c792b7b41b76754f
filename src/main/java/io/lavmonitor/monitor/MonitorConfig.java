package io.lavmonitor.monitor;

import io.lavmonitor.engine.Thresholds;
import io.lavmonitor.io.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The monitor's configuration: one properties file with Kafka Streams client properties (any
 * key not starting with {@code lav.}) and the monitor's own {@code lav.*} keys. Environment
 * variables override both, by the usual container convention: {@code bootstrap.servers} from
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code lav.models.dir} from {@code LAV_MODELS_DIR} (upper case,
 * dots and dashes as underscores).
 */
public record MonitorConfig(Properties streams, Map<String, String> lav) {
  /** The Streams producer's {@code max.request.size} unless configured: 18 MiB. */
  static final int PRODUCER_MAX_REQUEST = 18 << 20;

  /**
   * The settings the frame path reads, parsed once at start.
   *
   * @param stations stations that may send frames; empty for any station with a reference
   */
  public record Settings(Set<String> stations, int maxFrameBytes, long maxPixels,
                         int progressEvery, int archiveEvery, Thresholds thresholds,
                         int producerMaxRequest) {}

  /** The monitor's keys and their defaults. */
  static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("lav.stations", "");
    d.put("lav.models.dir", "models");
    d.put("lav.device", "auto");
    d.put("lav.progress.every", "1");
    d.put("lav.archive.every", "5");
    d.put("lav.frames.max-bytes", Integer.toString(4 << 20));
    d.put("lav.frames.max-pixels", Integer.toString(3840 * 2160));
    d.put("lav.http.port", "8080");
    d.put("lav.http.bind", "0.0.0.0");
    d.put("lav.http.frames.keep", "1200"); // archived frames served per camera (evidence)
    // A fixed threshold, not auto, in the monitor for now: in the 100-s demo auto found 16
    // cycles and 1 of 4 alerts matched an injected anomaly, 1.0 found 18 and 4 of 7 (auto
    // rejects some anomalous cycles as no cycle at all, so the cycle rules never see them).
    d.put("lav.align.match-threshold", "1.0");
    d.put("lav.align.min-cycle-fraction", "0.5");
    d.put("lav.anomaly.cost.default-threshold", "0.8");
    d.put("lav.anomaly.cost.mad-factor", "5");
    d.put("lav.anomaly.cost.calibration-cycles", "5");
    d.put("lav.anomaly.stall.factor", "3");
    d.put("lav.anomaly.stall.min-seconds", "2");
    d.put("lav.anomaly.stall.still-distance", "0.002");
    d.put("lav.anomaly.skipped-phase.min-fraction", "0.25");
    d.put("lav.anomaly.unknown.cost", "1.5");
    d.put("lav.anomaly.unknown.frames", "10");
    d.put("lav.anomaly.unknown.margin", "1.5");
    d.put("lav.anomaly.silent.seconds", "10");
    d.put("lav.anomaly.profile.mad-factor", "5");
    d.put("lav.anomaly.skipped-phase.live", "false");
    return d;
  }

  /** {@code APP-HOST-HASH}: the host name and a hash of the state folder's absolute path. */
  static String instanceId(String app, String stateDir) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "host";
    }
    String dir = Path.of(stateDir == null ? System.getProperty("java.io.tmpdir")
        + "/kafka-streams" : stateDir).toAbsolutePath().normalize().toString();
    return app + "-" + host.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
        + Integer.toHexString(dir.hashCode());
  }

  /** Reads a file (may be null) and applies environment overrides. */
  public static MonitorConfig load(Path file, Map<String, String> env) {
    return of(read(file), env);
  }

  /**
   * A configuration file read for its {@code lav.*} settings alone, as {@code lav replay} does:
   * it needs no broker, so a missing {@code bootstrap.servers} is not an error there.
   */
  public static MonitorConfig offline(Path file, Map<String, String> env) {
    Properties p = read(file);
    p.putIfAbsent("bootstrap.servers", "none:9092"); // never connected to
    return of(p, env);
  }

  private static Properties read(Path file) {
    Properties p = new Properties();
    if (file != null) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new InvalidInputException(file + ": no such config file");
      } catch (IOException e) {
        throw new InvalidInputException(file + ": " + e.getMessage());
      }
    }
    return p;
  }

  public static MonitorConfig of(Properties file, Map<String, String> env) {
    Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
    file.stringPropertyNames().forEach(k -> all.put(k, file.getProperty(k)));
    for (String k : Set.of("bootstrap.servers", "application.id", "processing.guarantee",
        "state.dir", "num.stream.threads", "commit.interval.ms")) {
      all.putIfAbsent(k, null);
    }
    for (String k : List.copyOf(all.keySet())) {
      String name = (k.startsWith("lav.") ? "" : "KAFKA_")
          + k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
      if (env.containsKey(name)) {
        all.put(k, env.get(name));
      }
    }
    Properties streams = new Properties();
    Map<String, String> lav = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (v == null) {
        return;
      }
      if (k.startsWith("lav.")) {
        lav.put(k, v);
      } else {
        streams.put(k, v);
      }
    });
    streams.putIfAbsent("application.id", "lav-monitor");
    streams.putIfAbsent("processing.guarantee", "exactly_once_v2");
    // Static membership: an instance that restarts (after a crash too) takes its tasks back at
    // once instead of waiting out the session timeout of the member it was. One id per host
    // and state folder, so that two instances on one machine do not fence each other.
    streams.putIfAbsent("group.instance.id", instanceId(streams.getProperty("application.id"),
        streams.getProperty("state.dir")));
    // Room for the largest record the monitor writes: a validated 16 MiB reference on the
    // station catalog, and dead letters of the largest frame it accepts.
    streams.putIfAbsent("producer.max.request.size", Integer.toString(PRODUCER_MAX_REQUEST));
    if (!streams.containsKey("bootstrap.servers")) {
      throw new InvalidInputException("no bootstrap.servers: set it in the config file or "
          + "KAFKA_BOOTSTRAP_SERVERS");
    }
    return new MonitorConfig(streams, lav);
  }

  public String get(String key) {
    return lav.get(key);
  }

  public int getInt(String key) {
    try {
      return Integer.parseInt(lav.get(key).trim());
    } catch (RuntimeException e) {
      throw new InvalidInputException(key + "=" + lav.get(key) + " is not an integer");
    }
  }

  /** Stations the line has; empty means any station with a reference. */
  public Set<String> stations() {
    String s = lav.getOrDefault("lav.stations", "");
    return s.isBlank() ? Set.of() : Set.of(s.split("\\s*,\\s*"));
  }

  /** The frame path's settings (one-line errors for bad values). */
  public Settings settings() {
    int maxBytes = getInt("lav.frames.max-bytes");
    if (maxBytes < 1024) {
      throw new InvalidInputException("lav.frames.max-bytes=" + maxBytes + " is too small");
    }
    int producer;
    try {
      producer = Integer.parseInt(String.valueOf(streams.get("producer.max.request.size"))
          .trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("producer.max.request.size="
          + streams.get("producer.max.request.size") + " is not an integer");
    }
    if (producer < maxBytes + (64 << 10)) {
      throw new InvalidInputException("producer.max.request.size=" + producer + " cannot hold "
          + "the dead letter of a frame of lav.frames.max-bytes=" + maxBytes
          + ": raise it to at least " + (maxBytes + (64 << 10)));
    }
    return new Settings(stations(), maxBytes, getInt("lav.frames.max-pixels"),
        Math.max(1, getInt("lav.progress.every")), getInt("lav.archive.every"), thresholds(),
        producer);
  }

  public Thresholds thresholds() {
    Map<String, String> stripped = new LinkedHashMap<>();
    lav.forEach((k, v) -> stripped.put(k.substring(4), v));
    return Thresholds.from(stripped);
  }
}
