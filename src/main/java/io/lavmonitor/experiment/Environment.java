package io.lavmonitor.experiment;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a result depends on besides its seed: software versions and the machine. */
final class Environment {
  private Environment() {}

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    String v = Environment.class.getPackage().getImplementationVersion();
    m.put("lav_monitor", v == null ? "dev" : v);
    m.put("git_commit", git());
    m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
        + ")");
    Engine e = Engine.getEngine("PyTorch");
    m.put("djl", Engine.getDjlVersion());
    m.put("pytorch", e.getVersion());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    m.put("gpus", e.getGpuCount());
    return m;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: the architecture above says enough
    }
    return "unknown";
  }

  /** The checkout's commit, with "+changes" when the tree differs from it; null outside git. */
  private static String git() {
    try {
      String head = run("git", "rev-parse", "--short=12", "HEAD");
      String status = run("git", "status", "--porcelain", "--untracked-files=no");
      return head == null ? null : head + (status == null || status.isEmpty() ? "" : "+changes");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
