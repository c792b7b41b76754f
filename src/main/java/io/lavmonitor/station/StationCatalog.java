package io.lavmonitor.station;

import io.lavmonitor.align.Reference;
import io.lavmonitor.engine.StationReference;
import io.lavmonitor.wire.ModelUpdate;
import io.lavmonitor.wire.Names;
import io.lavmonitor.wire.ReferenceRecord;
import io.lavmonitor.wire.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the line's control topics say about each station, checked once when a record arrives
 * and parsed once per change: the station's reference and the model it should run. Frames only
 * read maps here. A record that fails {@link #validate} never enters the catalog, so the last
 * good reference and model serve on; the validated records are kept in {@link Topics#CATALOG},
 * whose global store restores them after a restart even when compaction has removed them from
 * the published topics.
 */
public final class StationCatalog {
  static final String REFERENCE = "reference/";
  static final String MODEL = "model/";

  /**
   * A station's accepted reference.
   *
   * @param version a hash of the record's bytes: a new record is a new version
   * @param own the reference under the model its embeddings were computed with
   */
  public record ReferenceEntry(String station, long version, ReferenceRecord record,
                               StationReference own) {}

  /** An accepted record: where it goes in the catalog topic. */
  public record Accepted(String catalogKey, String station, String kind) {}

  private final ModelRegistry models;
  private final Map<String, ReferenceEntry> references = new ConcurrentHashMap<>();
  private final Map<String, ModelUpdate> updates = new ConcurrentHashMap<>();
  private volatile Function<String, byte[]> store = k -> null;
  private volatile Consumer<String> onChange = s -> { };

  public StationCatalog(ModelRegistry models) {
    this.models = models;
  }

  /** Reads entries this process has not seen arrive (restored before it started) from here. */
  public void backedBy(Function<String, byte[]> catalogStore) {
    this.store = catalogStore;
  }

  /** Called with the station after each accepted change (the model preparer listens). */
  public void onChange(Consumer<String> listener) {
    this.onChange = listener;
  }

  /**
   * Checks a record of {@code lav.references} or {@code lav.models} keyed by station; an
   * IllegalArgumentException names what is wrong. A null value (a tombstone) is accepted: it
   * removes the station's entry.
   */
  public Accepted validate(String topic, String station, byte[] value) {
    Names.check(station, "station");
    if (topic.equals(Topics.REFERENCES.name())) {
      if (value != null) {
        ReferenceRecord r = ReferenceRecord.parse(value);
        if (!r.station().equals(station)) {
          throw new IllegalArgumentException("reference record of station " + r.station()
              + " under the key of station " + station);
        }
      }
      return new Accepted(REFERENCE + station, station, "reference");
    }
    if (topic.equals(Topics.MODELS.name())) {
      if (value != null) {
        ModelUpdate u = ModelUpdate.parse(value);
        if (u.station() != null && !u.station().equals(station)) {
          throw new IllegalArgumentException("model update for station " + u.station()
              + " under the key of station " + station);
        }
        models.locate(u.id(), u.uri());
      }
      return new Accepted(MODEL + station, station, "model");
    }
    throw new IllegalArgumentException("not a control topic: " + topic);
  }

  /** Takes in an accepted record (from the catalog's global store); null removes the entry. */
  public void apply(String catalogKey, byte[] value) {
    if (catalogKey.startsWith(REFERENCE)) {
      String station = catalogKey.substring(REFERENCE.length());
      if (value == null) {
        references.remove(station);
      } else {
        references.put(station, entry(station, value));
      }
      onChange.accept(station);
    } else if (catalogKey.startsWith(MODEL)) {
      String station = catalogKey.substring(MODEL.length());
      if (value == null) {
        updates.remove(station);
      } else {
        updates.put(station, ModelUpdate.parse(value));
      }
      onChange.accept(station);
    }
  }

  /**
   * Takes in an accepted record as soon as it is accepted, when the station has no entry of
   * that kind yet: the frames of a station that has just been set up need not wait for the
   * record's round trip through the catalog topic. The catalog topic's own updates
   * ({@link #apply}) stay the authority, in their order.
   */
  public void applyIfAbsent(String catalogKey, byte[] value) {
    if (value == null) {
      return;
    }
    if (catalogKey.startsWith(REFERENCE)) {
      String station = catalogKey.substring(REFERENCE.length());
      if (reference(station) == null
          && references.putIfAbsent(station, entry(station, value)) == null) {
        onChange.accept(station);
      }
    } else if (catalogKey.startsWith(MODEL)) {
      String station = catalogKey.substring(MODEL.length());
      if (modelUpdate(station) == null
          && updates.putIfAbsent(station, ModelUpdate.parse(value)) == null) {
        onChange.accept(station);
      }
    }
  }

  /** The station's reference, or null when it has none. */
  public ReferenceEntry reference(String station) {
    ReferenceEntry e = references.get(station);
    if (e == null) {
      byte[] b = store.apply(REFERENCE + station);
      if (b != null) {
        e = references.computeIfAbsent(station, s -> entry(s, b));
      }
    }
    return e;
  }

  /** The station's latest model update, or null when it has none. */
  public ModelUpdate modelUpdate(String station) {
    ModelUpdate u = updates.get(station);
    if (u == null) {
      byte[] b = store.apply(MODEL + station);
      if (b != null) {
        u = updates.computeIfAbsent(station, s -> ModelUpdate.parse(b));
      }
    }
    return u;
  }

  /** The model a station should run: its latest update's, else its reference's. */
  public String wantedModel(String station, ReferenceEntry ref) {
    ModelUpdate u = modelUpdate(station);
    return u != null ? u.id() : ref.record().modelId();
  }

  /** Where the station's update says model {@code id} is, or null (the model store). */
  public String uriOf(String station, String id) {
    ModelUpdate u = modelUpdate(station);
    return u != null && u.id().equals(id) ? u.uri() : null;
  }

  private static ReferenceEntry entry(String station, byte[] value) {
    ReferenceRecord r = ReferenceRecord.parse(value);
    StationReference own = new StationReference(station, r.modelId(), new Reference(
        r.embeddingRows(), r.frameLabels(), r.phases()), r.fps()).withSteps(r.stepRules());
    return new ReferenceEntry(station, hash(value), r, own);
  }

  /** FNV-1a over the bytes. */
  static long hash(byte[] b) {
    long h = 0xcbf29ce484222325L;
    for (byte x : b) {
      h ^= x & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
