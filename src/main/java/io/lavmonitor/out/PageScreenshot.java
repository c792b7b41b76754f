package io.lavmonitor.out;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PNG of a page as headless Chromium renders it (Debian's {@code chromium} package), with the
 * flags a closed network needs: no background networking, no component updates, no sync, and
 * an empty profile of its own. The page's scripts run for {@code settleMillis} of virtual time
 * first, so the live page has fetched its data and images.
 */
public final class PageScreenshot {
  private PageScreenshot() {}

  /** The Chromium binary: {@code LAV_CHROMIUM}, else /usr/bin/chromium; null when absent. */
  public static Path chromium() {
    String env = System.getenv("LAV_CHROMIUM");
    Path p = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    return Files.isExecutable(p) ? p : null;
  }

  /** Renders {@code url} into {@code png}; IOException with Chromium's words on failure. */
  public static void take(String url, Path png, int width, int height, int settleMillis)
      throws IOException, InterruptedException {
    Path chromium = chromium();
    if (chromium == null) {
      throw new IOException("no Chromium to take the screenshot with: install Debian's "
          + "chromium package, or set LAV_CHROMIUM to its binary");
    }
    Path profile = Files.createTempDirectory("lav-chromium");
    Path target = png.toAbsolutePath();
    Files.createDirectories(target.getParent());
    List<String> cmd = List.of(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
        "--virtual-time-budget=" + settleMillis, "--screenshot=" + target, url);
    // Its output goes to a file: a full pipe would block it, and its child processes could hold
    // a pipe open after it is killed.
    Path log = profile.resolve("chromium.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String said = Files.exists(log) ? Files.readString(log) : "";
    if (said.length() > 2000) {
      said = said.substring(said.length() - 2000);
    }
    deleteQuietly(profile);
    if (!done || p.exitValue() != 0 || !Files.isRegularFile(target)) {
      throw new IOException("Chromium did not write " + target + (done ? " (exit "
          + p.exitValue() + ")" : " within 60 s") + ": " + said.strip());
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary profile left behind is harmless
    }
  }
}
