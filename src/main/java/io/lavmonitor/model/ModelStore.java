package io.lavmonitor.model;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.embed.LavEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A folder of immutable model versions, one sub-folder per version with {@code model.json} and
 * the weights, plus {@code promoted.json}: which version each station (or {@code default}) runs.
 * Versions are written to a hidden folder and renamed into place, so a reader never sees half a
 * model; loading checks the weights' sha256 against the card.
 */
public final class ModelStore {
  /** The promotion key used when no station is named. */
  public static final String DEFAULT = "default";
  public static final String CARD = "model.json";
  private static final String PROMOTED = "promoted.json";
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path root;

  private ModelStore(Path root) {
    this.root = root;
  }

  /** Opens a store, creating its folder when missing. */
  public static ModelStore open(Path root) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new ModelException(root + ": cannot create the model store (" + e.getMessage() + ")");
    }
    if (Files.exists(root.resolve(CARD))) {
      throw new ModelException(root + " is a model version, not a model store");
    }
    return new ModelStore(root);
  }

  public Path root() {
    return root;
  }

  /** The folder of a version. */
  public Path dir(String id) {
    if (!id.matches("[A-Za-z0-9._-]+") || id.startsWith(".")) {
      throw new ModelException("'" + id + "' is not a model id");
    }
    return root.resolve(id);
  }

  /**
   * Adds a version: copies the weights, fills in id, time and sha256, and publishes the folder
   * with one rename. Returns the sealed card.
   */
  public ModelCard add(Path weights, ModelCard draft) {
    return add(weights, draft, Map.of());
  }

  /** As {@link #add(Path, ModelCard)}, with extra files (log, plots) copied into the version. */
  public ModelCard add(Path weights, ModelCard draft, Map<String, Path> extras) {
    String sha = sha256(weights);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String base = "lav-" + ID_TIME.format(now) + "-" + sha.substring(0, 8);
    String id = base;
    for (int i = 2; Files.exists(root.resolve(id)); i++) {
      id = base + "-" + i;
    }
    ModelCard card = draft.sealed(id, now.toString(), sha);
    Path tmp = root.resolve(".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      Files.copy(weights, tmp.resolve(ModelCard.WEIGHTS_FILE));
      MAPPER.writeValue(tmp.resolve(CARD).toFile(), card);
      for (Map.Entry<String, Path> e : extras.entrySet()) {
        if (Files.exists(e.getValue())) {
          Files.copy(e.getValue(), tmp.resolve(e.getKey()));
        }
      }
      Files.move(tmp, root.resolve(id), StandardCopyOption.ATOMIC_MOVE);
      return card;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot add a model to " + root + ": " + e.getMessage(), e);
    }
  }

  /** Every version, oldest first; folders without a readable card are skipped. */
  public List<ModelCard> list() {
    List<ModelCard> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.filter(Files::isDirectory).toList()) {
        if (!p.getFileName().toString().startsWith(".") && Files.exists(p.resolve(CARD))) {
          try {
            out.add(readCard(p));
          } catch (ModelException e) {
            // listed by verify; list shows what can be used
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(ModelCard::created).thenComparing(ModelCard::id));
    return out;
  }

  /** The version added last (by creation time), or a clear error when there is none. */
  public Version newest() {
    List<ModelCard> all = list();
    if (all.isEmpty()) {
      throw new ModelException("no model in " + root);
    }
    ModelCard c = all.get(all.size() - 1);
    return new Version(c, dir(c.id()));
  }

  /** The card of a version, or a clear error when it does not exist. */
  public ModelCard card(String id) {
    Path d = dir(id);
    if (!Files.isDirectory(d)) {
      throw new ModelException("no model '" + id + "' in " + root);
    }
    return readCard(d);
  }

  /** Reads a version folder's card and checks that it names itself. */
  public static ModelCard readCard(Path versionDir) {
    Path f = versionDir.resolve(CARD);
    try {
      ModelCard c = MAPPER.readValue(f.toFile(), ModelCard.class);
      if (c.id() == null || c.weightsSha256() == null || c.backbone() == null
          || c.weights() == null) {
        throw new ModelException(f + ": missing id, backbone, weights or weights_sha256");
      }
      return c;
    } catch (IOException e) {
      throw new ModelException(f + ": unreadable model card (" + e.getMessage().lines()
          .findFirst().orElse("") + ")");
    }
  }

  /** Marks a version as the one a station (or {@link #DEFAULT}) runs. */
  public void promote(String id, String station) {
    card(id); // exists and is readable
    verifyOrThrow(id);
    Map<String, String> p = promotions();
    p.put(station == null ? DEFAULT : station, id);
    Path tmp = root.resolve(".promoted-" + UUID.randomUUID() + ".json");
    try {
      MAPPER.writeValue(tmp.toFile(), p);
      moveAtomically(tmp, root.resolve(PROMOTED));
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot write " + root.resolve(PROMOTED), e);
    }
  }

  /** Station (or default) to version id. */
  public Map<String, String> promotions() {
    Path f = root.resolve(PROMOTED);
    if (!Files.exists(f)) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(MAPPER.readValue(f.toFile(), new TypeReference<Map<String, String>>() {
      }));
    } catch (IOException e) {
      throw new ModelException(f + ": unreadable (" + e.getMessage() + ")");
    }
  }

  /** The version a station runs: its own promotion, else the default one. */
  public Optional<String> current(String station) {
    Map<String, String> p = promotions();
    if (station != null && p.containsKey(station)) {
      return Optional.of(p.get(station));
    }
    return Optional.ofNullable(p.get(DEFAULT));
  }

  /** Problems with a version (empty when its weights match its card). */
  public List<String> verify(String id) {
    List<String> problems = new ArrayList<>();
    ModelCard c;
    try {
      c = card(id);
    } catch (ModelException e) {
      problems.add(e.getMessage());
      return problems;
    }
    if (!id.equals(c.id())) {
      problems.add(dir(id) + ": the card names model '" + c.id() + "'");
    }
    problems.addAll(verify(new Version(c, dir(id))));
    return problems;
  }

  /**
   * Problems with a version given by its folder (empty when its weights match its card). The
   * folder may have any name here (a copied version); inside a store, {@link #verify(String)}
   * also checks that the folder is named by the card's id.
   */
  public static List<String> verify(Version v) {
    List<String> problems = new ArrayList<>();
    Path w = v.weights();
    if (!Files.exists(w)) {
      problems.add(w + ": weights file missing");
    } else {
      String sha = sha256(w);
      if (!sha.equals(v.card().weightsSha256())) {
        problems.add(w + ": sha256 " + sha + " does not match the card's "
            + v.card().weightsSha256() + " (corrupt or replaced weights)");
      }
    }
    return problems;
  }

  private void verifyOrThrow(String id) {
    List<String> problems = verify(id);
    if (!problems.isEmpty()) {
      throw new ModelException("model '" + id + "' failed verification: "
          + String.join("; ", problems));
    }
  }

  /** Verifies a version and builds its encoder. */
  public LavEncoder load(String id, NDManager manager) {
    verifyOrThrow(id);
    return loadVerified(card(id), dir(id), manager);
  }

  /**
   * A model given as a version folder, or as a store folder (its default promoted version, else
   * its newest).
   */
  public static Version resolve(Path ref) {
    if (Files.exists(ref.resolve(CARD))) {
      return new Version(readCard(ref), ref);
    }
    if (!Files.isDirectory(ref)) {
      throw new ModelException(ref + ": no such model (give a version folder or a model store)");
    }
    ModelStore store = new ModelStore(ref);
    String id = store.current(null).orElseGet(() -> {
      List<ModelCard> all = store.list();
      if (all.isEmpty()) {
        throw new ModelException(ref + ": the model store holds no models");
      }
      return all.get(all.size() - 1).id();
    });
    return new Version(store.card(id), store.dir(id));
  }

  /** A version's card and folder. */
  public record Version(ModelCard card, Path dir) {
    public Path weights() {
      return dir.resolve(card.weights());
    }

    /** Checks the weights against the card's sha256 and builds the encoder. */
    public LavEncoder load(NDManager manager) {
      List<String> problems = verify(this);
      if (!problems.isEmpty()) {
        throw new ModelException("model '" + card.id() + "' failed verification: "
            + String.join("; ", problems));
      }
      return loadVerified(card, dir, manager);
    }
  }

  /** Resolves (see {@link #resolve}), verifies and loads a model. */
  public static Loaded load(Path ref, NDManager manager) {
    Version v = resolve(ref);
    return new Loaded(v.card(), v.load(manager));
  }

  /** A loaded model. */
  public record Loaded(ModelCard card, LavEncoder encoder) {}

  private static LavEncoder loadVerified(ModelCard c, Path dir, NDManager manager) {
    return Encoders.create(c.backbone(), c.embeddingDim(), c.inputSize(), c.contextFrames(),
        manager, dir.resolve(c.weights()), 0);
  }

  /** Hex sha256 of a file. */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ModelException(file + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException ignored) {
      // best effort: a leftover hidden temp folder is ignored by list()
    }
  }
}
