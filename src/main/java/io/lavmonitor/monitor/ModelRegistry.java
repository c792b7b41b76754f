package io.lavmonitor.monitor;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import java.net.URI;
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

  /** @param store the model store to find ids in; may be null */
  public ModelRegistry(Path store, Device device) {
    this.store = store;
    this.device = device;
    this.manager = Encoders.engine().newBaseManager(device);
  }

  public Device device() {
    return device;
  }

  /** The model with this id, from {@code uri} when given, else from the store. */
  public synchronized Model get(String id, String uri) {
    // Keyed by where the model is too: an update may name a known id at another, bad, place.
    String key = id + "|" + (uri == null ? "" : uri);
    Model m = loaded.get(key);
    if (m != null) {
      return m;
    }
    Path dir;
    if (uri != null && !uri.isBlank()) {
      dir = uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    } else if (store != null) {
      dir = store.resolve(id);
    } else {
      throw new IllegalStateException("model " + id + ": no uri and no model store configured");
    }
    ModelStore.Version v = ModelStore.resolve(dir);
    if (!v.card().id().equals(id)) {
      throw new IllegalStateException("model at " + dir + " is " + v.card().id() + ", not " + id);
    }
    m = new Model(v.card(), v.load(manager));
    loaded.put(key, m);
    return m;
  }

  @Override
  public void close() {
    manager.close();
  }
}
