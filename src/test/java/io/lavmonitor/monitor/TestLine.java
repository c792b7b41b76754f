package io.lavmonitor.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The monitor test line ({@link MonitorFixture}) for tests outside this package. */
public final class TestLine {
  private final MonitorFixture fx;
  private final Path dir;

  public TestLine(Path dir) throws Exception {
    this.dir = dir;
    this.fx = new MonitorFixture(dir);
  }

  public void publishReference(String bootstrap) {
    io.lavmonitor.station.ReferenceBuilder.publish(
        io.lavmonitor.kafka.KafkaClients.of(bootstrap), fx.reference);
  }

  /** Monitor configuration for station st1 against this line's model store. */
  public Properties config(String bootstrap, Path state) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("application.id", "lav-test-" + Long.toHexString(System.nanoTime()));
    p.put("state.dir", state.toString());
    p.put("commit.interval.ms", "100");
    p.put("lav.models.dir", fx.store.toString());
    p.put("lav.stations", "st1");
    p.put("lav.device", "cpu");
    return p;
  }

  /** The reference cycle n times over, as a folder of JPEGs a camera agent reads. */
  public Path cycles(int n) throws IOException {
    Path folder = dir.resolve("cycles-" + n);
    if (!Files.exists(folder)) {
      Files.createDirectories(folder);
      for (int i = 0; i < n * fx.frames(); i++) {
        Files.write(folder.resolve(String.format("%06d.jpg", i)), fx.jpegs.get(i % fx.frames()));
      }
    }
    return folder;
  }
}
