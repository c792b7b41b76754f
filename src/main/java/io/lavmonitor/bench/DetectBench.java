package io.lavmonitor.bench;

import ai.djl.Device;
import io.lavmonitor.data.StepRules;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.engine.StationReference;
import io.lavmonitor.station.ReferenceBuilder;
import io.lavmonitor.engine.Thresholds;
import io.lavmonitor.io.ArrayFiles;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.replay.Replay;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.footage.AnomalyStream;
import io.lavmonitor.footage.FootageGenerator;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import io.lavmonitor.wire.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code lav bench detect}: the monitor's detection measured as a plant engineer meets it. Per
 * task a held-out synthetic station (a normal reference cycle, and long recordings of cycles
 * with idle spells, normal variation of speed and pauses, and injected anomalies of every
 * type), a model trained by {@code lav train} with its defaults on other recordings of the
 * task, and {@code lav replay}'s engine over every recording with the monitor's thresholds.
 *
 * <p>Two seed sets, fixed with the generator's settings before any tuning: {@code tune} for
 * choosing thresholds, {@code report} for the figures. Embeddings are computed once per
 * recording and model (as the monitor computes them) and kept in the work folder, so that
 * rule settings can be replayed again in seconds.
 */
public final class DetectBench {
  /** The generator's settings, fixed before tuning. */
  static final double FPS = 10;
  static final double ANOMALY_RATE = 0.35;
  static final int CYCLES_PER_RECORDING = 20;
  /** Training recordings of each task: other seeds than both sets. */
  static final long TRAIN_SEED = 7001;
  /** Training recordings of each clip: the footage benchmark's seed, neither set's. */
  static final long FOOTAGE_TRAIN_SEED = 1;

  /** A seed set. */
  public enum SeedSet {
    TUNE(1000), REPORT(2000);

    final long seed;

    SeedSet(long seed) {
      this.seed = seed;
    }
  }

  /**
   * @param cycles cycles per task (in recordings of {@link #CYCLES_PER_RECORDING})
   * @param models a model per task (a store or version folder); a task without one gets a model
   *     trained with {@code lav train}'s defaults, kept in the work folder
   * @param referenceCycles normal cycles recorded for each station's reference; the medoid is
   *     taken ({@link io.lavmonitor.station.ReferenceChooser}), as {@code lav reference} does
   *     with several videos
   * @param clips real clips whose footage stations are scored too ({@link AnomalyStream}),
   *     each with a model trained by {@code lav train}'s defaults on its re-timed recordings
   * @param allowedVariation also score each footage station as one whose reference declares
   *     the cut and swapped parts as allowed ({@link #ALLOWED}): without and with those step
   *     rules, the cut and swapped cycles counted as normal
   */
  public record Options(List<Task> tasks, SeedSet set, int cycles, Path work,
                        Map<Task, Path> models, Thresholds thresholds, int inputSize,
                        int referenceCycles, List<FootageGenerator.Clip> clips,
                        boolean allowedVariation) {
    public Options(List<Task> tasks, SeedSet set, int cycles, Path work, Map<Task, Path> models,
                   Thresholds thresholds, int inputSize, int referenceCycles,
                   List<FootageGenerator.Clip> clips) {
      this(tasks, set, cycles, work, models, thresholds, inputSize, referenceCycles, clips,
          false);
    }
  }

  /**
   * The anomaly types a footage station's reference may declare allowed: the middle parts that
   * {@link AnomalyStream} cuts are optional steps, and the parts it swaps one unordered group.
   */
  static final Set<String> ALLOWED = Set.of("skipped_phase", "swapped_phases");

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private DetectBench() {}

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, Object> run(Options o, Consumer<String> say) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("seed_set", o.set().name().toLowerCase(Locale.ROOT));
    settings.put("cycles_per_task", o.cycles());
    settings.put("fps", FPS);
    settings.put("anomaly_rate", ANOMALY_RATE);
    settings.put("reference_cycles", o.referenceCycles());
    settings.put("footage_clips", o.clips().stream().map(FootageGenerator.Clip::name).toList());
    settings.put("thresholds", o.thresholds());
    out.put("settings", settings);
    DetectionScore all = new DetectionScore(0.5);
    Map<String, Object> tasks = new LinkedHashMap<>();
    Device dev = Encoders.device("auto");
    for (Task task : o.tasks()) {
      String t = task.name().toLowerCase(Locale.ROOT);
      ModelStore.Version v = model(o, task, say);
      Path data = data(o, task, v.card().inputSize(), say);
      Path refDir = referenceCycles(o, task, data, v.card().inputSize());
      List<Path> refs = new ArrayList<>();
      for (int i = 0; i < o.referenceCycles(); i++) {
        refs.add(refDir.resolve(String.format(Locale.ROOT, "labels/%s_%04d.json", t, i)));
      }
      List<Path> recs = recordings(data);
      Map<String, Object> r = station(new Station(task.name(), "st-" + t, v, refs,
          l -> refDir.resolve("videos/" + l.getFileName().toString().replace(".json", ".mp4")),
          recs, l -> data.resolve("streams/videos/" + l.getFileName().toString()
              .replace(".json", ".mp4")), data.getFileName().toString(), StepRules.NONE,
          Set.of()), o, all, dev, say);
      tasks.put(t, r);
    }
    out.put("tasks", tasks);
    out.put("all", all.result());
    say.accept("all: " + summary(all.result()));
    if (!o.clips().isEmpty()) {
      DetectionScore footageAll = new DetectionScore(0.5);
      Map<String, Object> footage = new LinkedHashMap<>();
      DetectionScore without = new DetectionScore(0.5);
      DetectionScore with = new DetectionScore(0.5);
      Map<String, Object> allowed = new LinkedHashMap<>();
      for (FootageGenerator.Clip clip : o.clips()) {
        Path train = o.work().resolve("footage-" + clip.name() + "-train");
        if (!Files.exists(train.resolve("splits.json"))) {
          say.accept(clip.name() + ": writing its training recordings to " + train);
          FootageGenerator.generate(clip, FootageGenerator.Options.benchmark(FOOTAGE_TRAIN_SEED),
              train);
        }
        ModelStore.Version v = trained(o, clip.name(), train, say);
        Path data = o.work().resolve("footage-" + clip.name() + "-"
            + o.set().name().toLowerCase(Locale.ROOT) + "-" + o.cycles());
        if (!Files.exists(data.resolve("done"))) {
          say.accept(clip.name() + ": writing " + o.cycles() + " cycles of real footage with "
              + "anomalies to " + data);
          int recordings = Math.max(1, (int) Math.ceil(o.cycles()
              / (double) CYCLES_PER_RECORDING));
          AnomalyStream.generate(clip, FootageGenerator.Options.benchmark(o.set().seed),
              new AnomalyStream.Options(recordings, Math.min(o.cycles(), CYCLES_PER_RECORDING),
                  ANOMALY_RATE, o.set().seed), data);
          Files.writeString(data.resolve("done"), "");
        }
        // The reference: the cycle as recorded, from the training recordings' folder.
        Path ref = train.resolve("reference/" + clip.name() + "_reference.json");
        List<Path> recs;
        try (var l = Files.list(data.resolve("labels"))) {
          recs = l.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        Station st = new Station(clip.name().toUpperCase(Locale.ROOT), "st-" + clip.name(), v,
            List.of(ref), l -> train.resolve("reference/" + clip.name() + "_reference.mp4"),
            recs, l -> data.resolve("videos/" + l.getFileName().toString()
                .replace(".json", ".mp4")), data.getFileName().toString(), StepRules.NONE,
            Set.of());
        footage.put(clip.name(), station(st, o, footageAll, dev, say));
        if (o.allowedVariation()) {
          StepRules rules = allowedSteps(VideoLabels.read(ref).phases());
          Map<String, Object> both = new LinkedHashMap<>();
          both.put("rules", rules);
          both.put("without_rules", station(st.allowing(StepRules.NONE), o, without, dev, say));
          both.put("with_rules", station(st.allowing(rules), o, with, dev, say));
          allowed.put(clip.name(), both);
        }
      }
      out.put("footage", footage);
      out.put("footage_all", footageAll.result());
      say.accept("footage all: " + summary(footageAll.result()));
      if (o.allowedVariation()) {
        allowed.put("all_without_rules", without.result());
        allowed.put("all_with_rules", with.result());
        out.put("footage_allowed_variation", allowed);
        say.accept("allowed variation, without step rules: " + summary(without.result()));
        say.accept("allowed variation, with step rules: " + summary(with.result()));
      }
    }
    return out;
  }

  /**
   * One station to score: its model, its reference cycles' labels and where each one's video
   * is, its recordings' labels and videos, and the name its embeddings are cached under.
   */
  private record Station(String name, String id, ModelStore.Version model,
                         List<Path> referenceLabels, Function<Path, Path> referenceVideo,
                         List<Path> recordings, Function<Path, Path> recordingVideo,
                         String cacheName, StepRules steps, Set<String> allowedTypes) {
    /** This station with the {@link #ALLOWED} anomalies taken as normal, under these rules. */
    Station allowing(StepRules rules) {
      return new Station(name + (rules.isEmpty() ? " allowed, no rules" : " allowed, rules"),
          id, model, referenceLabels, referenceVideo, recordings, recordingVideo, cacheName,
          rules, ALLOWED);
    }
  }

  /**
   * Step rules that allow what {@link AnomalyStream} cuts and swaps: the middle parts optional
   * (it cuts one of part 2 to part n-1) and parts 2 to n one unordered group (it swaps two
   * neighbours among them).
   */
  static StepRules allowedSteps(List<String> parts) {
    return new StepRules(parts.subList(1, parts.size() - 1), List.of(parts.subList(1,
        parts.size())));
  }

  /** Replays every recording of a station through the engine and scores it. */
  private static Map<String, Object> station(Station st, Options o, DetectionScore all,
                                             Device dev, Consumer<String> say)
      throws Exception {
    ModelStore.Version v = st.model();
    DetectionScore score = new DetectionScore(0.5);
    Map<String, Object> refNote = new LinkedHashMap<>();
    DetectionScore variations = new DetectionScore(0.5);
    try (ModelRegistry reg = new ModelRegistry(v.dir().toAbsolutePath().getParent(), dev)) {
      ModelRegistry.Model m = reg.get(v.card().id(), v.dir().toAbsolutePath().toUri()
          .toString());
      List<String> videos = new ArrayList<>();
      List<VideoLabels> refLabels = new ArrayList<>();
      for (Path l : st.referenceLabels()) {
        videos.add(st.referenceVideo().apply(l).toString());
        refLabels.add(VideoLabels.read(l));
      }
      ReferenceBuilder.Chosen chosen = ReferenceBuilder.buildMedoid(videos, refLabels, st.id(),
          m, dev);
      StationReference ref = StationReference.of(chosen.reference()).withSteps(st.steps());
      refNote.put("candidates", videos.size());
      refNote.put("chosen", Path.of(videos.get(chosen.choice().index())).getFileName()
          .toString());
      refNote.put("seconds", ref.cycleSeconds());
      refNote.put("total_costs", chosen.choice().totals());
      if (videos.size() > 1) {
        say.accept(String.format(Locale.ROOT, "%s: reference %s (%.1f s), the medoid of %d "
            + "normal cycles", st.name(), refNote.get("chosen"), ref.cycleSeconds(),
            videos.size()));
      }
      Replay.Settings rs = new Replay.Settings("cam", ref.station(), 0, 0.85f, 1,
          o.thresholds());
      Path emb = o.work().resolve("embeddings").resolve(v.card().id()).resolve(st.cacheName());
      Files.createDirectories(emb);
      Path records = o.work().resolve("records").resolve(st.cacheName()
          + (st.allowedTypes().isEmpty() ? "" : st.steps().isEmpty() ? "-allowed-norules"
          : "-allowed-rules"));
      Files.createDirectories(records);
      try (Replay replay = new Replay(m, ref, dev)) {
        for (Path labelsFile : st.recordings()) {
          String name = labelsFile.getFileName().toString().replace(".json", "");
          VideoLabels read = VideoLabels.read(labelsFile);
          VideoLabels labels = keeping(read, a -> !st.allowedTypes().contains(a.type()));
          Path cached = emb.resolve(name + ".npy");
          Replay.Embedded e;
          if (Files.exists(cached)) {
            e = new Replay.Embedded(ArrayFiles.read(cached), labels.fps());
          } else {
            say.accept(st.name() + ": embedding " + name + " (" + labels.numFrames()
                + " frames)");
            e = replay.embed(st.recordingVideo().apply(labelsFile).toString(), rs,
                Replay.Listener.NONE);
            ArrayFiles.write(cached, e.rows());
          }
          List<Events.CycleSummary> cycles = new ArrayList<>();
          List<Events.Anomaly> alerts = new ArrayList<>();
          List<String> lines = new ArrayList<>();
          Replay.run(ref, e, rs, r -> {
            if (r.value() instanceof Events.CycleSummary c) {
              cycles.add(c);
            } else if (r.value() instanceof Events.Anomaly a) {
              alerts.add(a);
            } else {
              return;
            }
            lines.add(json(r));
          });
          // The cycles and alerts of the last run, to look at, as lav replay --out writes them.
          Files.write(records.resolve(name + ".jsonl"), lines);
          DetectionScore.Recording rec = new DetectionScore.Recording(labels, cycles, alerts);
          score.add(rec);
          all.add(rec);
          if (!st.allowedTypes().isEmpty()) { // how many of the allowed variations were alerted
            variations.add(new DetectionScore.Recording(keeping(read,
                a -> st.allowedTypes().contains(a.type())), cycles, alerts));
          }
        }
      }
    }
    Map<String, Object> t = new LinkedHashMap<>(score.result());
    t.put("model", v.card().id());
    t.put("reference", refNote);
    if (!st.allowedTypes().isEmpty()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> v2 = (Map<String, Object>) variations.result().get("overall");
      t.put("allowed_variations", Map.of("cycles", v2.get("injected"), "alerted",
          v2.get("detected"), "share_alerted", v2.get("recall")));
    }
    say.accept(st.name() + ": " + summary(t));
    return t;
  }

  /** The labels with only the anomalies that {@code keep} accepts (the others are normal). */
  private static VideoLabels keeping(VideoLabels l,
                                     java.util.function.Predicate<VideoLabels.Anomaly> keep) {
    return new VideoLabels(l.video(), l.fps(), l.numFrames(), l.phases(), l.frameLabels(),
        l.keyEvents(), l.anomalies().stream().filter(keep).toList(), l.cycles());
  }

  @SuppressWarnings("unchecked")
  static String summary(Map<String, Object> r) {
    Map<String, Object> ov = (Map<String, Object>) r.get("overall");
    Map<String, Object> cy = (Map<String, Object>) r.get("cycles");
    return String.format(Locale.ROOT, "precision %.2f, recall %.2f (%s of %s), cycles found "
            + "%s of %s (%s reported), boundary F1 %.2f", ov.get("precision"), ov.get("recall"),
        ov.get("detected"), ov.get("injected"), cy.get("found"), cy.get("true"),
        cy.get("reported"), cy.get("boundary_f1"));
  }

  private static List<Path> recordings(Path data) throws java.io.IOException {
    try (var s = Files.list(data.resolve("streams/labels"))) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * The folder of the station's recorded normal cycles for its reference: the data's own
   * reference cycle when one is asked for, else that cycle and the next ones of the same seed
   * (video i depends only on the seed and i).
   */
  private static Path referenceCycles(Options o, Task task, Path data, int size)
      throws Exception {
    if (o.referenceCycles() == 1) {
      return data.resolve("reference");
    }
    Path dir = data.resolve("reference-" + o.referenceCycles());
    if (!Files.exists(dir.resolve("splits.json"))) {
      SynthGenerator.generate(dir, new SynthGenerator.Options(task, o.referenceCycles(),
          o.set().seed + 100L * task.ordinal(), 0, 0, size, FPS, false, 1), n -> { });
    }
    return dir;
  }

  /** The seed set's station for a task: a reference cycle and the recordings. */
  private static Path data(Options o, Task task, int size, Consumer<String> say)
      throws Exception {
    String t = task.name().toLowerCase(Locale.ROOT);
    Path dir = o.work().resolve("data-" + t + "-" + o.set().name().toLowerCase(Locale.ROOT)
        + "-" + o.cycles() + "-" + size);
    int recordings = Math.max(1, (int) Math.ceil(o.cycles() / (double) CYCLES_PER_RECORDING));
    int perRecording = Math.min(o.cycles(), CYCLES_PER_RECORDING);
    long seed = o.set().seed + 100L * task.ordinal();
    if (!Files.exists(dir.resolve("streams/splits.json"))) {
      say.accept(task + ": writing " + recordings + " recordings of " + perRecording
          + " cycles to " + dir);
      SynthGenerator.generate(dir.resolve("reference"), new SynthGenerator.Options(task, 1,
          seed, 0, 0, size, FPS, false, 1), n -> { });
      SynthGenerator.generate(dir.resolve("streams"), new SynthGenerator.Options(task,
          recordings, seed + 1, 0, ANOMALY_RATE, size, FPS, true, perRecording), n -> { });
    }
    return dir;
  }

  /** The given model of a task, or one trained with lav train's defaults (kept). */
  private static ModelStore.Version model(Options o, Task task, Consumer<String> say)
      throws Exception {
    Path given = o.models().get(task);
    if (given != null) {
      return ModelStore.resolve(given);
    }
    String t = task.name().toLowerCase(Locale.ROOT);
    Path store = o.work().resolve("models-" + t);
    if (Files.isDirectory(store) && !ModelStore.open(store).list().isEmpty()) {
      return ModelStore.open(store).newest();
    }
    Path train = o.work().resolve("train-" + t);
    if (!Files.exists(train.resolve("splits.json"))) {
      SynthGenerator.generate(train, new SynthGenerator.Options(task, 24, TRAIN_SEED,
          0.25, 0, o.inputSize(), 15, false, 1), n -> { });
    }
    return trained(o, t, train, say);
  }

  /** The model in work/models-NAME, or one trained there by lav train's defaults on data. */
  private static ModelStore.Version trained(Options o, String name, Path data,
                                            Consumer<String> say) throws Exception {
    Path store = o.work().resolve("models-" + name);
    if (Files.isDirectory(store) && !ModelStore.open(store).list().isEmpty()) {
      return ModelStore.open(store).newest();
    }
    List<String> args = List.of("train", "--data", data.toString(), "--out",
        store.toString());
    say.accept(name + ": lav " + String.join(" ", args));
    int rc = io.lavmonitor.cli.LavCommand.newCommandLine().execute(args.toArray(new String[0]));
    if (rc != 0) {
      throw new IllegalStateException("lav train failed with exit code " + rc);
    }
    return ModelStore.open(store).newest();
  }
}
