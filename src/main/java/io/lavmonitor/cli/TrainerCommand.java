package io.lavmonitor.cli;

import io.lavmonitor.embed.Encoders;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.kafka.ArchiveSpool;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.wire.Topics;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.train.Retrainer;
import io.lavmonitor.train.TrainingSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav trainer}: the batch app that retrains station models on archived cycles. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = {"Retrain each station's encoder on archived cycles: warm start from the "
        + "station's current model, train on new cycles plus a replay sample of older ones, "
        + "measure candidate and current model on the same held-out cycles, and promote the "
        + "candidate only if it is not worse. Promotions are announced on the models topic "
        + "(with --bootstrap-servers) for the monitor to hot-swap.",
        "Archive: a folder ARCHIVE/<station>/<cycle> (video file or image folder; labels "
            + "optional as <cycle>.json), or the monitor's archive topic copied into --spool. "
            + "Prints one JSON report per station and round."})
final class TrainerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--models", required = true, paramLabel = "MODELS",
      description = "Model store.")
  Path models;

  @Option(names = "--archive", paramLabel = "DIR", description = "Archive folder.")
  Path archive;

  @Option(names = "--archive-topic", paramLabel = "TOPIC", arity = "0..1",
      fallbackValue = Topics.ARCHIVE_NAME,
      description = "Read the archive from this topic (default name: " + Topics.ARCHIVE_NAME
          + "), grouped into cycles by " + Topics.CYCLES_NAME + ".")
  String archiveTopic;

  @Option(names = "--spool", paramLabel = "DIR",
      description = "Where archive-topic frames are copied (default: MODELS/.archive).")
  Path spool;

  /** Without brokers, models are promoted in the store but not announced. */
  @picocli.CommandLine.Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Option(names = "--models-topic", defaultValue = Topics.MODELS_NAME, paramLabel = "TOPIC",
      description = "Topic for model updates (default: ${DEFAULT-VALUE}).")
  String modelsTopic;

  @Option(names = "--station", paramLabel = "S", description = "Only this station.")
  String station;

  @Option(names = "--once", description = "Run one round and exit (the default).")
  boolean once;

  @Option(names = "--every", paramLabel = "PERIOD",
      description = "Run a round every PERIOD (e.g. 6h, 30m, 90s) until stopped.")
  String every;

  @Option(names = "--replay", defaultValue = "20", paramLabel = "N",
      description = "Older cycles replayed per round (default: ${DEFAULT-VALUE}).")
  int replay;

  @Option(names = "--held-out-every", defaultValue = "5", paramLabel = "N",
      description = "One cycle in N is held out for evaluation (default: ${DEFAULT-VALUE}).")
  int heldOutEvery;

  @Option(names = "--tolerance", defaultValue = "0.02",
      description = "A candidate this much below the current model's tau or accuracy still "
          + "counts as not worse (default: ${DEFAULT-VALUE}).")
  double tolerance;

  /** A round trains 300 steps: a warm start needs fewer than a first model. */
  static final TrainingSpec DEFAULTS = TrainingSpec.defaults().toBuilder().steps(300).build();

  @Mixin
  TrainingOptions training = new TrainingOptions(DEFAULTS);

  @Mixin
  TrainingRunOptions run = new TrainingRunOptions(DEFAULTS);

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() throws Exception {
    if ((archive == null) == (archiveTopic == null)) {
      throw new InvalidInputException("give one archive: --archive DIR or --archive-topic");
    }
    if (once && every != null) {
      throw new InvalidInputException("give --once or --every, not both");
    }
    Duration period = every == null ? null : period(every);
    Properties client = kafka.clientOrNull();
    KafkaClients clients = client == null ? null : new KafkaClients(client);
    if (archiveTopic != null && client == null) {
      throw new InvalidInputException("--archive-topic needs --bootstrap-servers");
    }
    ModelStore store = ModelStore.open(models);
    Path dir = archive != null ? archive : spool != null ? spool : models.resolve(".archive");
    TrainingSpec ts = run.apply(training.apply(DEFAULTS.toBuilder())).build();
    if (ts.method() != io.lavmonitor.train.Method.LAV) {
      throw new InvalidInputException("lav trainer retrains LAV models: --method lav");
    }
    Retrainer.Settings settings = new Retrainer.Settings(ts, replay, heldOutEvery, tolerance,
        Encoders.device(device), clients, Topics.MODELS.named(modelsTopic));
    AtomicBoolean stop = new AtomicBoolean();
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.set(true);
      main.interrupt();
    }));
    PrintWriter out = spec.commandLine().getOut();
    int failures;
    do {
      Instant start = Instant.now();
      failures = 0;
      List<Retrainer.Report> reports = new ArrayList<>();
      try {
        if (archiveTopic != null) {
          Files.createDirectories(dir);
          ArchiveSpool.Drained d = ArchiveSpool.drain(clients,
              Topics.ARCHIVE.named(archiveTopic), Topics.CYCLES, dir, Duration.ofMinutes(2));
          spec.commandLine().getErr().printf(Locale.ROOT,
              "archive: %d records, %d malformed, %d complete cycles%n", d.records(),
              d.malformed(), d.completeCycles().size());
        }
        Retrainer r = new Retrainer(store, dir, settings);
        List<String> stations = station != null ? List.of(station) : r.stations();
        for (String st : stations) {
          reports.add(r.round(st, stop));
        }
      } catch (RuntimeException e) { // the archive itself could not be read: a failed round
        reports.add(new Retrainer.Report(station == null ? "*" : station, "failed",
            e.getMessage(), null, null, null, null, 0, 0, 0, 0));
      }
      for (Retrainer.Report rep : reports) {
        out.println(Json.write(rep));
        if (rep.status().equals("failed")) {
          failures++;
        }
      }
      out.flush();
      if (period == null || stop.get()) {
        break;
      }
      Duration wait = period.minus(Duration.between(start, Instant.now()));
      try {
        Thread.sleep(Math.max(0, wait.toMillis()));
      } catch (InterruptedException e) {
        break;
      }
    } while (!stop.get());
    return failures == 0 ? 0 : 1;
  }

  static Duration period(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      Duration d = switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
      if (d.isZero() || d.isNegative()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (RuntimeException e) {
      throw new InvalidInputException("--every '" + s + "': expected a period such as 90s, "
          + "30m, 6h, 1d or PT6H");
    }
  }
}
