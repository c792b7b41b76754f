package io.lavmonitor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A monitor running as its own process ({@code lav monitor} in a child JVM of this classpath),
 * so that it can be killed with SIGKILL as an operator's machine would kill it.
 */
final class MonitorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private MonitorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static MonitorProcess start(Path config, Path log, String heap) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx" + heap, "-Dai.djl.offline=true", "-cp",
        System.getProperty("java.class.path"), "io.lavmonitor.cli.LavCommand", "monitor",
        "--config", config.toString(), "--no-create-topics")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new MonitorProcess(p, log);
  }

  /** Waits for the monitor's "running" line in its log; false when it died or timed out. */
  boolean awaitRunning(long fromLogBytes, long timeoutMillis) throws Exception {
    long end = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < end) {
      if (!process.isAlive()) {
        return false;
      }
      if (Files.size(log) > fromLogBytes) {
        String tail = Files.readString(log).substring((int) fromLogBytes);
        if (tail.contains("monitor running")) {
          return true;
        }
      }
      Thread.sleep(200);
    }
    return false;
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Resident memory in MiB (Linux /proc), or NaN where it cannot be read. */
  double rssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or gone
    }
    return Double.NaN;
  }

  /** SIGKILL: no commit, no clean shutdown. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
