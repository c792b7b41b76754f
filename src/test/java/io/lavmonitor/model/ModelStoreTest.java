package io.lavmonitor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model store on disk with real DJL weights. */
class ModelStoreTest {
  @TempDir
  Path dir;

  static ModelCard draft(int dim) {
    return ModelCard.draft("small", 32, 2, 3, dim, null, null, Map.of("videos", 2),
        Map.of("loss", "sdtw+cidm"), Map.of("kendall_tau", 0.5));
  }

  Path weights(NDManager m, int dim, long seed, String name) {
    LavEncoder e = Encoders.create("small", dim, 32, 2, m, null, seed);
    Path f = dir.resolve(name);
    Encoders.save(e, f);
    return f;
  }

  @Test
  void addListPromoteLoadAndRefuseCorruption() throws Exception {
    ModelStore store = ModelStore.open(dir.resolve("models"));
    try (NDManager m = Encoders.engine().newBaseManager()) {
      Path w1 = weights(m, 8, 1, "a.params");
      Path w2 = weights(m, 8, 2, "b.params");
      ModelCard c1 = store.add(w1, draft(8));
      ModelCard c2 = store.add(w2, draft(8));
      assertNotEquals(c1.id(), c2.id());
      assertEquals(ModelStore.sha256(w1), c1.weightsSha256());
      assertEquals(64, c1.weightsSha256().length());
      assertEquals(List.of(c1.id(), c2.id()), store.list().stream().map(ModelCard::id).toList());
      assertTrue(store.verify(c1.id()).isEmpty());

      // No promotion yet: a store resolves to its newest version.
      assertEquals(c2.id(), ModelStore.resolve(store.root()).card().id());
      store.promote(c1.id(), null);
      store.promote(c2.id(), "station-2");
      assertEquals(c1.id(), store.current("station-1").orElseThrow());
      assertEquals(c2.id(), store.current("station-2").orElseThrow());
      assertEquals(c1.id(), ModelStore.resolve(store.root()).card().id());

      // The loaded encoder has the stored weights: same output as the encoder saved.
      ModelStore.Loaded loaded = ModelStore.load(store.dir(c1.id()), m);
      assertEquals(8, loaded.card().embeddingDim());
      Path again = dir.resolve("again.params");
      Encoders.save(loaded.encoder(), again);
      assertEquals(ModelStore.sha256(w1), ModelStore.sha256(again));

      // One flipped byte: verify names it, load and promote refuse it.
      Path stored = store.dir(c2.id()).resolve(ModelCard.WEIGHTS_FILE);
      byte[] b = Files.readAllBytes(stored);
      b[b.length / 2] ^= 1;
      Files.write(stored, b);
      List<String> problems = store.verify(c2.id());
      assertEquals(1, problems.size());
      assertTrue(problems.get(0).contains("does not match"), problems.get(0));
      ModelException e = assertThrows(ModelException.class, () -> store.load(c2.id(), m));
      assertTrue(e.getMessage().contains(c2.id()), e.getMessage());
      assertThrows(ModelException.class, () -> store.promote(c2.id(), null));

      // Missing and malformed versions.
      assertThrows(ModelException.class, () -> store.card("lav-nope"));
      assertThrows(ModelException.class, () -> store.dir("../escape"));
      Files.createDirectories(store.root().resolve("broken"));
      Files.writeString(store.root().resolve("broken/model.json"), "{not json");
      assertEquals(2, store.list().size(), "an unreadable card is left out of list");
      assertEquals(1, store.verify("broken").size());
      assertThrows(ModelException.class, () -> ModelStore.open(store.dir(c1.id())),
          "a version folder is not a store");
    }
  }
}
