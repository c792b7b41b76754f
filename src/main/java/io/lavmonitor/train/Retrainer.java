package io.lavmonitor.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.align.Band;
import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Dtw;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.embed.VideoEmbedder;
import io.lavmonitor.eval.EmbeddedVideo;
import io.lavmonitor.eval.Measures;
import io.lavmonitor.eval.PhaseSvm;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.kafka.ArchiveSpool;
import io.lavmonitor.kafka.KafkaClients;
import io.lavmonitor.wire.ModelUpdate;
import io.lavmonitor.wire.Topic;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.video.Preprocessor;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * One round of periodic retraining for each station of an archive of completed cycles
 * ({@code ARCHIVE/<station>/<cycle>} as a video file or an image folder, labels optional as
 * {@code <cycle>.json}): warm-start from the station's current model, train on the cycles no
 * earlier round used plus a replay sample of older ones, measure candidate and current model on
 * the same held-out cycles, and promote the candidate only if it is not worse. A promoted model
 * is announced on the models topic first; a round that fails at any point leaves the current
 * model in place and says why.
 */
public final class Retrainer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> VIDEO_EXT = Set.of("mp4", "avi", "mkv", "mov", "webm",
      "mjpeg", "gif");

  /**
   * Settings of a round.
   *
   * @param heldOutEvery one cycle in this many (by a hash of its name) is held out for evaluation
   * @param tolerance how much worse (tau, classification) a candidate may measure and still count
   *     as not worse
   * @param clients Kafka clients for publishing, or null not to publish
   */
  public record Settings(TrainingSpec training, int replay, int heldOutEvery,
                         double tolerance, Device device, KafkaClients clients,
                         Topic<String, byte[]> modelsTopic) {
    long seed() {
      return training.seed();
    }
  }

  /** What a round did for one station. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Report(String station, String status, String reason, String candidate,
                       String current, Map<String, Double> candidateMetrics,
                       Map<String, Double> currentMetrics, int newCycles, int replayCycles,
                       int heldOutCycles, double seconds) {
    static Report failed(String station, String current, String reason, double secs) {
      return new Report(station, "failed", reason, null, current, null, null, 0, 0, 0, secs);
    }
  }

  private final ModelStore store;
  private final Path archive;
  private final Settings s;

  public Retrainer(ModelStore store, Path archive, Settings settings) {
    this.store = store;
    this.archive = archive;
    this.s = settings;
  }

  /** The stations of the archive: its sub-folders. */
  public List<String> stations() {
    try (Stream<Path> st = Files.list(archive)) {
      return st.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new InvalidInputException(archive + ": cannot list the archive (" + e.getMessage()
          + ")");
    }
  }

  /** Runs a round for one station; never throws for bad data or resources, it reports. */
  public Report round(String station, AtomicBoolean stop) {
    long t0 = System.nanoTime();
    String current = null;
    try {
      current = store.current(station).orElse(null);
      return roundOrThrow(station, current, stop, t0);
    } catch (OutOfMemoryError e) {
      return Report.failed(station, current, "out of memory: " + e.getMessage()
          + " (raise the heap with JAVA_OPTS=-Xmx...)", secs(t0));
    } catch (RuntimeException | IOException e) {
      return Report.failed(station, current, e.getMessage() == null ? e.toString()
          : e.getMessage(), secs(t0));
    }
  }

  private Report roundOrThrow(String station, String current, AtomicBoolean stop, long t0)
      throws IOException {
    List<Path> cycles = cycles(archive.resolve(station));
    List<Path> heldOut = new ArrayList<>();
    List<Path> trainable = new ArrayList<>();
    for (Path c : cycles) {
      (Math.floorMod(name(c).hashCode(), s.heldOutEvery()) == 0 ? heldOut : trainable).add(c);
    }
    while (heldOut.size() < 2 && trainable.size() > 2) { // the earliest cycles: stable later
      heldOut.add(trainable.remove(0));
    }
    if (heldOut.size() < 2 || trainable.size() < 2) {
      return new Report(station, "skipped", "needs at least 4 complete cycles, has "
          + cycles.size(), null, current, null, null, 0, 0, heldOut.size(), secs(t0));
    }
    Set<String> used = readUsed(station);
    List<Path> fresh = trainable.stream().filter(c -> !used.contains(name(c))).toList();
    if (fresh.isEmpty()) {
      return new Report(station, "skipped", "no new cycles since the last round", null,
          current, null, null, 0, 0, heldOut.size(), secs(t0));
    }
    List<Path> older = new ArrayList<>(trainable.stream()
        .filter(c -> used.contains(name(c))).toList());
    Collections.shuffle(older, new Random(s.seed() ^ fresh.size()));
    List<Path> replay = older.subList(0, Math.min(s.replay(), older.size()));
    List<Path> train = new ArrayList<>(fresh);
    train.addAll(replay);

    ModelStore.Version cur = current == null ? null : ModelStore.resolve(store.dir(current));
    if (cur != null && !ModelStore.verify(cur).isEmpty()) {
      throw new InvalidInputException("current model " + current + " fails verification: "
          + ModelStore.verify(cur));
    }
    // A warm start keeps the current model's shape; a first model takes the specification's.
    TrainingSpec spec = cur == null ? s.training() : s.training().toBuilder()
        .backbone(cur.card().backbone()).size(cur.card().inputSize())
        .dim(cur.card().embeddingDim()).context(cur.card().contextFrames()).build();
    String backbone = spec.backboneFor(s.device());
    int size = spec.size();
    int dim = spec.dim();
    int k = spec.context();

    Preprocessor pre = new Preprocessor(size, true);
    List<PairTrainer.Frames> trainFrames = decode(train, pre);
    List<PairTrainer.Frames> heldFrames = decode(heldOut, pre);
    Path work = store.root().resolve(".runs").resolve("trainer-" + station + "-"
        + Instant.now().toEpochMilli());
    int median = medianFrames(trainFrames);
    int stride = cur != null ? cur.card().contextStride() : spec.strideFor(median);
    TrainingRun.Config cfg = new TrainingRun.Config(spec.forData(median).toBuilder().evalEvery(0)
        .checkpointEvery(0).build(), backbone, stride, spec.stepsFor(trainFrames.size()), work,
        cur == null ? null : cur.weights(), null, s.device(), 0);
    TrainingRun.Result r = new TrainingRun(cfg, List.of(trainFrames), null)
        .run(false, stop, (st, l, sm, rate) -> { });
    if (r.interrupted()) {
      return new Report(station, "failed", "stopped before the candidate finished training",
          null, current, null, null, fresh.size(), replay.size(), heldOut.size(), secs(t0));
    }
    if (r.skippedSteps() > r.steps() / 2) {
      throw new IllegalStateException("training diverged: " + r.skippedSteps() + " of "
          + r.steps() + " steps had a non-finite loss");
    }
    Map<String, Double> candMetrics;
    Map<String, Double> curMetrics = null;
    List<VideoLabels> heldLabels = labels(heldOut);
    List<VideoLabels> trainLabels = labels(train);
    try (NDManager m = Encoders.engine().newBaseManager(s.device())) {
      LavEncoder cand = Encoders.create(backbone, dim, size, k, m, r.weights(), s.seed());
      candMetrics = measure(cand, m, pre, k, stride, trainFrames, trainLabels, heldFrames,
          heldLabels);
      if (cur != null) {
        curMetrics = measure(cur.load(m), m, pre, k, stride, trainFrames, trainLabels,
            heldFrames, heldLabels);
      }
    }
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("loss", spec.lossName());
    training.put("context_stride", stride);
    training.put("sigma", cfg.spec().sigma());
    training.put("steps", r.steps());
    training.put("seed", s.seed());
    training.put("new_cycles", fresh.size());
    training.put("replay_cycles", replay.size());
    training.put("final_loss", r.smoothedLoss());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("archive", archive.toAbsolutePath().normalize().toString());
    data.put("cycles", train.stream().map(Retrainer::name).toList());
    ModelCard card = store.add(r.weights(), ModelCard.draft(backbone, size, k, stride, dim,
        current, station, data, training, candMetrics), Map.of("training.csv", r.log(),
        "loss.png", r.lossCurve()));
    String verdict = notWorse(candMetrics, curMetrics);
    if (verdict != null) {
      writeUsed(station, used, fresh); // these cycles were tried; the next round waits for new
      return new Report(station, "kept", verdict, card.id(), current, candMetrics, curMetrics,
          fresh.size(), replay.size(), heldOut.size(), secs(t0));
    }
    if (s.clients() != null) { // announce first: if the broker is down the current model stays
      s.clients().publish(s.modelsTopic(), station, new ModelUpdate(card.id(), station,
          store.dir(card.id()).toAbsolutePath().toUri().toString(), card.weightsSha256(),
          candMetrics, card.created()).toBytes(), Duration.ofSeconds(30));
    }
    store.promote(card.id(), station);
    writeUsed(station, used, fresh);
    return new Report(station, "promoted", current == null ? "first model of the station"
        : "not worse than " + current, card.id(), current, candMetrics, curMetrics,
        fresh.size(), replay.size(), heldOut.size(), secs(t0));
  }

  private static int medianFrames(List<PairTrainer.Frames> frames) {
    int[] n = frames.stream().mapToInt(f -> f.chw().size()).sorted().toArray();
    return n.length == 0 ? 0 : n[n.length / 2];
  }

  /** Null when the candidate is not worse; otherwise why it is. */
  private String notWorse(Map<String, Double> cand, Map<String, Double> cur) {
    if (cur == null) {
      return null;
    }
    for (String key : new String[] {"kendall_tau", "classification"}) {
      Double a = cand.get(key);
      Double b = cur.get(key);
      if (a != null && b != null && !(a >= b - s.tolerance())) {
        return String.format(Locale.ROOT, "%s %.3f is worse than the current model's %.3f",
            key, a, b);
      }
    }
    return null;
  }

  /**
   * Measures on held-out cycles that need no labels: Kendall's tau between them, the DTW
   * alignment cost per path step relative to the mean distance between frames of different
   * cycles (so a collapsed embedding does not score well), and the mean distance within a cycle;
   * with labels also classification and progression, fitted on the training cycles.
   */
  static Map<String, Double> measure(LavEncoder enc, NDManager m, Preprocessor pre, int k,
                                     int stride, List<PairTrainer.Frames> train,
                                     List<VideoLabels> trainLabels,
                                     List<PairTrainer.Frames> held,
                                     List<VideoLabels> heldLabels) {
    VideoEmbedder e = new VideoEmbedder(enc, pre, k, stride, 16);
    List<EmbeddedVideo> h = new ArrayList<>();
    for (int i = 0; i < held.size(); i++) {
      h.add(new EmbeddedVideo(held.get(i).name(), e.embed(m, held.get(i).chw()),
          heldLabels.get(i)));
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("kendall_tau", Measures.kendallsTau(h, 1));
    out.put("alignment_cost", relativeAlignmentCost(h));
    out.put("mean_distance", Validation.meanDistance(h));
    boolean labelled = heldLabels.stream().allMatch(l -> l != null)
        && trainLabels.stream().anyMatch(l -> l != null);
    if (labelled) {
      List<EmbeddedVideo> t = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        if (trainLabels.get(i) != null) {
          t.add(new EmbeddedVideo(train.get(i).name(), e.embed(m, train.get(i).chw()),
              trainLabels.get(i)));
        }
      }
      out.put("classification", Measures.classification(t, h, 1.0, PhaseSvm.Kernel.RBF, 0,
          2000));
      out.put("progression", Measures.progression(t, h));
    }
    return out;
  }

  static double relativeAlignmentCost(List<EmbeddedVideo> videos) {
    double path = 0;
    double spread = 0;
    int pairs = 0;
    for (int a = 0; a < videos.size(); a++) {
      for (int b = a + 1; b < videos.size(); b++) {
        double[][] x = videos.get(a).embeddings();
        double[][] y = videos.get(b).embeddings();
        double[] c = Cost.SQEUCLIDEAN.matrix(x, y);
        Dtw.Result r = Dtw.align(c, x.length, y.length, Band.NONE);
        path += r.value() / r.path().size();
        double mean = 0;
        for (double v : c) {
          mean += v;
        }
        spread += mean / c.length;
        pairs++;
      }
    }
    return spread == 0 ? Double.NaN : (path / pairs) / (spread / pairs);
  }

  private static List<PairTrainer.Frames> decode(List<Path> cycles, Preprocessor pre) {
    List<PairTrainer.Frames> out = new ArrayList<>();
    for (Path c : cycles) {
      try (VideoSource src = VideoSources.open(c.toString())) {
        List<float[]> chw = pre.chw(src);
        if (chw.size() < 2) {
          throw new InvalidInputException(c + ": a cycle needs at least 2 frames");
        }
        out.add(new PairTrainer.Frames(name(c), chw));
      }
    }
    return out;
  }

  private static List<VideoLabels> labels(List<Path> cycles) {
    List<VideoLabels> out = new ArrayList<>();
    for (Path c : cycles) {
      Path l = c.resolveSibling(name(c) + ".json");
      out.add(Files.exists(l) ? VideoLabels.read(l) : null);
    }
    return out;
  }

  /** Complete cycles of a station folder, by name (cycle ids sort by time). */
  static List<Path> cycles(Path stationDir) throws IOException {
    try (Stream<Path> st = Files.list(stationDir)) {
      return st.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> Files.isDirectory(p) ? ArchiveSpool.isComplete(p)
              : VIDEO_EXT.contains(ext(p)))
          .sorted().toList();
    }
  }

  static String name(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return Files.isDirectory(p) || dot < 0 ? n : n.substring(0, dot);
  }

  private static String ext(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private Path usedFile(String station) {
    return store.root().resolve(".trainer").resolve(station + ".json");
  }

  private Set<String> readUsed(String station) throws IOException {
    Path f = usedFile(station);
    if (!Files.exists(f)) {
      return new LinkedHashSet<>();
    }
    @SuppressWarnings("unchecked")
    Map<String, List<String>> m = JSON.readValue(f.toFile(), Map.class);
    return new LinkedHashSet<>(m.getOrDefault("trained_on", List.of()));
  }

  private void writeUsed(String station, Set<String> used, List<Path> fresh) throws IOException {
    Set<String> all = new LinkedHashSet<>(used);
    fresh.forEach(c -> all.add(name(c)));
    Files.createDirectories(usedFile(station).getParent());
    Path tmp = usedFile(station).resolveSibling(station + ".json.tmp");
    JSON.writeValue(tmp.toFile(), Map.of("trained_on", new ArrayList<>(all)));
    Files.move(tmp, usedFile(station), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static double secs(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
  }
}
