package io.lavmonitor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lavmonitor.demo.Demo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav demo}: the whole line on this machine. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run a whole line here: a Kafka broker in this process, a synthetic line "
        + "(two stations, three cameras, anomalies injected at known cycles), the shipped model, "
        + "camera agents and the monitor with its live page and /metrics.",
        "Prints a status line per camera each second and a summary at the end (--duration, "
            + "default until Ctrl-C)."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
      description = "Stop after this many seconds (default: run until Ctrl-C).")
  double duration;

  @Option(names = "--http-port", defaultValue = "8080", paramLabel = "P",
      description = "Port of the page, /metrics and /api (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--summary-json", paramLabel = "FILE", description = "Write the end summary here.")
  Path summaryJson;

  @Option(names = "--cycles", defaultValue = "8", description = "Cycles per camera recording (default: ${DEFAULT-VALUE}).")
  int cycles;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic line (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--model", paramLabel = "M",
      description = "Use this model (version folder or store) instead of the shipped one.")
  Path model;

  @Option(names = "--screenshot", paramLabel = "PNG",
      description = "Take a PNG of the live page with headless Chromium (Debian's chromium "
          + "package) 8 s before the end of a --duration run.")
  Path screenshot;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Videos, models and state (default: a fresh temporary folder).")
  Path work;

  @Override
  public Integer call() throws Exception {
    Path dir = work != null ? work : Files.createTempDirectory("lav-demo-");
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.set(true); // Ctrl-C: stop the cameras, summarise, then exit
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }));
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (screenshot != null && duration <= 0) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--screenshot needs --duration: it is taken 8 s before the end");
      }
      Map<String, Object> summary = Demo.run(new Demo.Options(dir, port, duration, cycles, seed,
          model, screenshot), stop, out);
      String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(summary);
      if (summaryJson != null) {
        Files.writeString(summaryJson, json);
      }
      out.println(json);
      out.flush();
      return 0;
    } finally {
      finished.countDown();
    }
  }
}
