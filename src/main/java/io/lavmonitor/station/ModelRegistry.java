package io.lavmonitor.station;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encoders this monitor has loaded, by model id, each verified against its card's sha256
 * before first use. Models are found by the URI a model update carries, or by id in the
 * configured model store. Loaded models are shared by the stream threads (inference only); each
 * thread embeds through its own {@link io.lavmonitor.embed.StreamEmbedder}.
 */
public final class ModelRegistry implements AutoCloseable {
  /** A loaded model. */
  public record Model(ModelCard card, LavEncoder encoder) {}

  private final Path store;
  private final Device device;
  private final NDManager manager;
  private final Map<String, Model> loaded = new ConcurrentHashMap<>();
  private final Map<String, Model> byId = new ConcurrentHashMap<>();

  /** @param store the model store to find ids in; may be null */
  public ModelRegistry(Path store, Device device) {
    this.store = store;
    this.device = device;
    this.manager = Encoders.engine().newBaseManager(device);
  }

  public Device device() {
    return device;
  }

  /**
   * The version folder of a model: {@code uri} when given, else the id in the store; an
   * IllegalArgumentException when there is no such model there (checked without loading it).
   */
  public Path locate(String id, String uri) {
    Path dir;
    try {
      if (uri != null && !uri.isBlank()) {
        dir = uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
      } else if (store != null) {
        dir = store.resolve(id);
      } else {
        throw new IllegalArgumentException("model " + id + ": no uri and no model store "
            + "configured");
      }
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("model ")) {
        throw iae;
      }
      throw new IllegalArgumentException("model " + id + ": bad location '" + uri + "' ("
          + e.getMessage() + ")");
    }
    if (!Files.isRegularFile(dir.resolve(ModelStore.CARD))) {
      throw new IllegalArgumentException("model " + id + ": no model at " + dir);
    }
    return dir;
  }

  /**
   * The model with this id, from {@code uri} when given, else from the store. A model already
   * loaded under this id serves a request without a uri (a camera that runs a model delivered
   * by URI keeps finding it).
   */
  public synchronized Model get(String id, String uri) {
    // Keyed by where the model is too: an update may name a known id at another, bad, place.
    String key = id + "|" + (uri == null ? "" : uri);
    Model m = loaded.get(key);
    if (m == null && (uri == null || uri.isBlank())) {
      m = byId.get(id);
    }
    if (m != null) {
      return m;
    }
    Path dir;
    try {
      dir = locate(id, uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    ModelStore.Version v = ModelStore.resolve(dir);
    if (!v.card().id().equals(id)) {
      throw new IllegalStateException("model at " + dir + " is " + v.card().id() + ", not " + id);
    }
    m = new Model(v.card(), v.load(manager));
    loaded.put(key, m);
    byId.putIfAbsent(id, m);
    return m;
  }

  @Override
  public void close() {
    manager.close();
  }
}
