package io.lavmonitor.station;

import io.lavmonitor.align.Reference;
import io.lavmonitor.embed.StreamEmbedder;
import io.lavmonitor.engine.StationReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a station's reference ready under a model away from the stream threads: loads the model
 * and checks its sha256, and re-embeds the reference's frames with it when the reference was
 * published under another model. A camera switches to the new model at its next cycle boundary
 * once the preparation is done, and keeps its model meanwhile; a preparation that fails is kept
 * as failed for a while ({@link #RETRY_AFTER}), so the camera stays on its model and one alert
 * says why, and is tried again after that (a model folder that was still being copied).
 */
public final class ModelPreparer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelPreparer.class);
  /** How long a failed preparation stands before it is tried again. */
  public static final java.time.Duration RETRY_AFTER = java.time.Duration.ofMinutes(5);

  private final ModelRegistry registry;
  private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "lav-model-preparer");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, CompletableFuture<StationReference>> prepared =
      new ConcurrentHashMap<>();
  private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

  public ModelPreparer(ModelRegistry registry) {
    this.registry = registry;
  }

  private static String key(StationCatalog.ReferenceEntry ref, String modelId, String uri) {
    return ref.station() + "|" + ref.version() + "|" + modelId + "|" + (uri == null ? "" : uri);
  }

  /** Starts preparing (once per reference, model and place) and returns its future. */
  public CompletableFuture<StationReference> prepare(StationCatalog.ReferenceEntry ref,
                                                     String modelId, String uri) {
    String k = key(ref, modelId, uri);
    Long failed = failedAt.get(k);
    if (failed != null && System.nanoTime() - failed > RETRY_AFTER.toNanos()) {
      failedAt.remove(k);
      prepared.remove(k);
    }
    return prepared.computeIfAbsent(k, x -> CompletableFuture.supplyAsync(
        () -> build(ref, modelId, uri), background).whenComplete((r, e) -> {
          if (e != null) {
            failedAt.put(x, System.nanoTime());
          }
        }));
  }

  /**
   * The reference under the model now, preparing it on the calling thread if nobody has started
   * (a camera's first frame, or a restart); IllegalStateException when it cannot be prepared.
   */
  public StationReference now(StationCatalog.ReferenceEntry ref, String modelId, String uri) {
    String k = key(ref, modelId, uri);
    CompletableFuture<StationReference> f = prepared.get(k);
    if (f == null) {
      CompletableFuture<StationReference> mine = new CompletableFuture<>();
      f = prepared.putIfAbsent(k, mine);
      if (f == null) {
        f = mine;
        try {
          mine.complete(build(ref, modelId, uri));
        } catch (RuntimeException e) {
          mine.completeExceptionally(e);
        }
      }
    }
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw c instanceof IllegalStateException ise ? ise
          : new IllegalStateException(c.getMessage(), c);
    }
  }

  /** Why a finished preparation failed, or null while it runs or when it succeeded. */
  public static String failure(CompletableFuture<StationReference> f) {
    if (!f.isCompletedExceptionally()) {
      return null;
    }
    try {
      f.join();
      return null;
    } catch (CompletionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      return String.valueOf(c.getMessage());
    }
  }

  private StationReference build(StationCatalog.ReferenceEntry ref, String modelId, String uri) {
    long t0 = System.nanoTime();
    ModelRegistry.Model m = registry.get(modelId, uri);
    if (modelId.equals(ref.record().modelId())) {
      return ref.own();
    }
    List<byte[]> frames = ref.record().jpegFrames();
    if (frames.size() != ref.record().frameLabels().length) {
      throw new IllegalStateException("the reference of " + ref.station() + " carries "
          + frames.size() + " frames for " + ref.record().frameLabels().length
          + " labels: it cannot be re-embedded for model " + modelId);
    }
    double[][] rows;
    try (StreamEmbedder e = new StreamEmbedder(m.encoder(), m.card().inputSize(),
        m.card().contextFrames(), m.card().contextStride(), registry.device())) {
      rows = ReferenceBuilder.embedCycle(e, frames);
    }
    LOG.info("reference of {} re-embedded for model {} ({} frames, {} ms)", ref.station(),
        modelId, rows.length, (System.nanoTime() - t0) / 1_000_000);
    return new StationReference(ref.station(), modelId, new Reference(rows,
        ref.record().frameLabels(), ref.record().phases()), ref.record().fps())
        .withSteps(ref.record().stepRules());
  }

  @Override
  public void close() {
    background.shutdownNow();
  }
}
