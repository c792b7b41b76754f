package io.lavmonitor.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.align.Reference;
import io.lavmonitor.align.StreamingAligner;
import io.lavmonitor.wire.Events;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The camera state's formats: format 2 round trips; format 1, as release 0.1 wrote it, still
 * reads and resumes (the golden file {@code camera-state-v1.bin} was written by the format-1
 * code at commit feddb7f: a camera of station st1 on model "model-a", 2.5 cycles of the
 * synthetic reference below pushed through the old CycleTracker, two context feature vectors,
 * one noted anomaly).
 */
class CameraStateSerdeTest {
  /** The 24-frame, 8-d reference the golden state was aligned against (seed 42). */
  static Reference goldenReference() {
    Random r = new Random(42);
    int m = 24;
    int d = 8;
    double[][] f = new double[m][d];
    int[] labels = new int[m];
    for (int j = 0; j < m; j++) {
      double n = 0;
      for (int k = 0; k < d; k++) {
        f[j][k] = Math.sin(0.3 * j + k) + 0.1 * r.nextGaussian();
        n += f[j][k] * f[j][k];
      }
      for (int k = 0; k < d; k++) {
        f[j][k] /= Math.sqrt(n);
      }
      labels[j] = j * 3 / m;
    }
    return new Reference(f, labels, List.of("a", "b", "c"));
  }

  static byte[] golden() throws Exception {
    try (InputStream in = CameraStateSerdeTest.class.getResourceAsStream(
        "/io/lavmonitor/monitor/camera-state-v1.bin")) {
      return in.readAllBytes();
    }
  }

  @Test
  void formatOneStateIsReadAndMigrated() throws Exception {
    CameraStateSerde.Decoded d = CameraStateSerde.read(golden());
    assertEquals(1, d.version());
    CameraState s = d.state();
    assertEquals("st1", s.station());
    assertEquals("model-a", s.modelId());
    assertEquals(60, s.lastSequence());
    assertEquals(60, s.frames(), "format 1 sequences count the frames");
    assertEquals(0, s.session(), "format 1 had no agent sessions");
    assertEquals(2, s.cycleCounter);
    assertEquals(List.of(0.002708727667687575, 0.002708727667687575), new ArrayList<>(s.costs));
    assertEquals(11, s.lastIndex);
    assertEquals("b", s.lastPhase());
    assertEquals(0.48827016768422654, s.lastProgress(), 0.0);
    assertEquals(0.00541745533537515, s.runningCost, 0.0);
    assertTrue(s.recentAnomalies().contains("stall cam1-0"), s.recentAnomalies().toString());
    // The track ring moves to its own store: all 60 aligner frames fit its 96 slots.
    assertEquals(60, d.legacyTrack().size());
    CameraStateSerde.Slot last = d.legacyTrack().get(59);
    assertEquals(59, last.slot());
    assertEquals(60, last.entry().sequence());
    assertEquals(59, last.entry().frame());
    assertEquals(8, last.entry().emb().length);
    // And it resumes: the aligner continues against the same reference, and the cycle that
    // was half done when the old release stopped completes, with its sequences.
    Reference ref = goldenReference();
    assertEquals(ref.fingerprint(), StreamingAligner.savedAgainst(s.aligner));
    Track track = new Track.InMemory();
    d.legacyTrack().forEach(x -> track.put(x.slot(), x.entry()));
    CameraEngine e = new CameraEngine("cam1", s, Thresholds.defaults(), track);
    e.attach(new StationReference("st1", "model-a", ref, 10));
    List<Events.CycleSummary> cycles = new ArrayList<>();
    long seq = 60;
    for (int j = ref.length() / 2; j < ref.length(); j++) {
      seq++;
      e.admit(0, seq);
      cycles.addAll(e.onEmbedded(seq, seq * 100_000, ref.frames()[j], 0, 0).cycles());
    }
    for (int j = 0; j < ref.length() / 2 && cycles.isEmpty(); j++) {
      seq++;
      e.admit(0, seq);
      cycles.addAll(e.onEmbedded(seq, seq * 100_000, ref.frames()[j], 0, 0).cycles());
    }
    assertEquals(1, cycles.size());
    assertEquals("cam1-2", cycles.get(0).cycleId());
    // The cycle's frames from before the upgrade come from the migrated track (its first frame,
    // the reference's first, is sequence 49; the path may enter one frame late).
    long start = cycles.get(0).startSequence();
    assertTrue(start == 49 || start == 50, "the cycle began before the upgrade: " + start);
    assertEquals(72, cycles.get(0).endSequence());
  }

  @Test
  void formatFiveRoundTrips() {
    CameraState s = new CameraState();
    s.station = "st9";
    s.modelId = "m-1";
    s.modelUri = "file:/models/m-1";
    s.session = 1_764_400_000_123_456L;
    s.lastSeq = 1234;
    s.pastSessions.addLast(17L);
    s.frames = 99_999;
    s.aligner = new byte[] {1, 2, 3};
    s.explicit = true;
    s.inCycle = true;
    s.cycleCounter = 7;
    s.cycleStartMicros = 5;
    s.lastCaptureMicros = 6;
    s.lastWallMillis = 8;
    s.silentAlerted = true;
    s.stillSinceMicros = 9;
    s.previous = new float[] {0.5f, -0.25f};
    s.stallAlerted = true;
    s.unknownRun = 3;
    s.unknownAlerted = true;
    s.costs.addLast(0.1);
    s.costs.addLast(0.2);
    s.lastPhase = "press";
    s.lastProgress = 0.75;
    s.runningCost = 0.05;
    s.lastIndex = 42;
    s.cycleEnded = true;
    s.noteAnomaly("stall cam1-3");
    s.profile = new PhaseProfile(3);
    s.profile.add(new double[] {0.25, Double.NaN, 0.5});
    s.profile.addStill(new double[] {0, 1.5, 0.25});
    s.live = new LiveCycle(3);
    s.live.add(0, 1_000_000, 70, 5);
    s.live.add(1, 1_100_000, 71, 6);
    s.live.still(1, 0.75);
    s.heldStart = 400;
    s.heldEnd = 431;
    s.heldCost = 0.125;
    byte[] b = CameraStateSerde.write(s, null);
    CameraStateSerde.Decoded d = CameraStateSerde.read(b);
    assertEquals(5, d.version());
    assertTrue(d.legacyTrack().isEmpty());
    // Every field back: written again, the bytes are the same.
    assertArrayEquals(b, CameraStateSerde.write(d.state(), null));
    CameraState r = d.state();
    assertEquals("file:/models/m-1", r.modelUri());
    assertEquals(1_764_400_000_123_456L, r.session());
    assertEquals(List.of(17L), new ArrayList<>(r.pastSessions));
    assertArrayEquals(new float[] {0.5f, -0.25f}, r.previous);
    assertEquals(List.of("stall cam1-3"), r.recentAnomalies());
    assertEquals(0.5, r.profile.median(2), 0.0);
    assertEquals(0, r.profile.cycles(1));
    assertEquals(1, r.profile.stillCycles());
    assertEquals(1.5, r.profile.stillLimit(1, 5), 1.5 * 5 * PhaseProfile.MAD_FLOOR + 1e-6);
    assertEquals(List.of(0.0, 0.75, 0.0), java.util.Arrays.stream(r.live.stillSpells()).boxed()
        .toList());
    assertEquals(List.of("done", "current", "todo"), r.checklist(List.of("a", "b", "c"),
        List.of(1.0, 2.0, 3.0)).stream().map(LiveCycle.Step::status).toList());
    assertEquals(431, r.heldEnd);
    assertEquals(0.125, r.heldCost);
  }

  /**
   * Format 4 (written by the code of commit ae2152d, before held cycles; the state
   * formatFiveRoundTrips builds, less what is held): every field read, nothing held, and
   * written back as format 5.
   */
  @Test
  void formatFourStateIsRead() throws Exception {
    byte[] v4;
    try (InputStream in = CameraStateSerdeTest.class.getResourceAsStream(
        "/io/lavmonitor/engine/camera-state-v4.bin")) {
      v4 = in.readAllBytes();
    }
    CameraStateSerde.Decoded d = CameraStateSerde.read(v4);
    assertEquals(4, d.version());
    CameraState r = d.state();
    assertEquals("file:/models/m-1", r.modelUri());
    assertEquals(1234, r.lastSequence());
    assertEquals(List.of("stall cam1-3"), r.recentAnomalies());
    assertEquals(0.5, r.profile.median(2), 0.0);
    assertEquals(List.of(0.0, 0.75, 0.0), java.util.Arrays.stream(r.live.stillSpells()).boxed()
        .toList());
    assertEquals(-1, r.heldEnd);
    assertEquals(5, CameraStateSerde.read(CameraStateSerde.write(r, null)).version());
  }

  /**
   * Format 3 (written by the code of commit 6e20e6f, before still spells and the live view):
   * the profile's costs, shares and worst runs read, no still spells (learnt again), no live
   * view, and written back as format 5.
   */
  @Test
  void formatThreeStateIsRead() throws Exception {
    byte[] v3;
    try (InputStream in = CameraStateSerdeTest.class.getResourceAsStream(
        "/io/lavmonitor/engine/camera-state-v3.bin")) {
      v3 = in.readAllBytes();
    }
    CameraStateSerde.Decoded d = CameraStateSerde.read(v3);
    assertEquals(3, d.version());
    CameraState s = d.state();
    assertEquals("st9", s.station());
    assertEquals(1234, s.lastSequence());
    assertEquals(7, s.cycleCounter);
    assertEquals(List.of("phase_cost cam1-6"), s.recentAnomalies());
    PhaseProfile p = s.profile;
    assertEquals(2, p.phases());
    assertEquals(2, p.cycles(0));
    assertEquals(1, p.cycles(1)); // the second cycle did not show phase 1
    assertEquals((0.25 + 0.125) / 2, p.median(0), 1e-9);
    assertEquals((0.375 + 1.0) / 2, p.share(0), 1e-9);
    assertEquals(2, p.unknownCycles());
    assertEquals(0, p.stillCycles());
    assertNull(s.live);
    assertEquals(5, CameraStateSerde.read(CameraStateSerde.write(s, null)).version());
  }

  /**
   * Format 2 (written by the code of commit a3bae26, before the phase profile): every field
   * read, no profile (learnt again from the next cycles), and written back as format 5.
   */
  @Test
  void formatTwoStateIsRead() throws Exception {
    byte[] v2;
    try (InputStream in = CameraStateSerdeTest.class.getResourceAsStream(
        "/io/lavmonitor/engine/camera-state-v2.bin")) {
      v2 = in.readAllBytes();
    }
    CameraStateSerde.Decoded d = CameraStateSerde.read(v2);
    assertEquals(2, d.version());
    CameraState s = d.state();
    assertEquals("st9", s.station());
    assertEquals("file:/models/m-1", s.modelUri());
    assertEquals(1234, s.lastSequence());
    assertEquals(99_999, s.frames());
    assertEquals(7, s.cycleCounter);
    assertEquals(List.of(0.1, 0.2), new ArrayList<>(s.costs));
    assertEquals("press", s.lastPhase());
    assertEquals(42, s.lastIndex);
    assertEquals(List.of("stall cam1-3"), s.recentAnomalies());
    assertNull(s.profile);
    assertEquals(5, CameraStateSerde.read(CameraStateSerde.write(s, null)).version());
  }

  @Test
  void theStateIsSmallWhateverTheBackbone() {
    // m = 200 reference frames, d = 128: the aligner snapshot and a 128-d previous embedding.
    Random rnd = new Random(1);
    double[][] f = new double[200][128];
    for (double[] row : f) {
      for (int k = 0; k < row.length; k++) {
        row[k] = rnd.nextGaussian();
      }
    }
    StationReference ref = new StationReference("st1", "m", Reference.unlabelled(f), 10);
    CameraEngine e = new CameraEngine("cam1", new CameraState(), Thresholds.defaults(),
        new Track.InMemory());
    e.attach(ref);
    for (int i = 0; i < 50; i++) {
      e.admit(1, i + 1);
      e.onEmbedded(i + 1, i * 100_000L, f[i % 200], 0, 0);
    }
    int bytes = e.stateBytes().length;
    assertTrue(bytes < 16 * 1024, bytes + " bytes");
    TrackEntry t = new TrackEntry(3, 4, 5, 6, TrackEntry.quantise(f[0]));
    assertTrue(t.toBytes().length + bytes < 16 * 1024);
    assertNotNull(TrackEntry.fromBytes(t.toBytes()));
  }

  @Test
  void corruptOrNewerStatesAreRefusedWithTheReason() throws Exception {
    byte[] g = golden();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CameraStateSerde.read(
        java.util.Arrays.copyOf(g, g.length / 2))).getMessage().contains("corrupt"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CameraStateSerde.read(
        new byte[] {1, 2, 3, 4, 5, 6})).getMessage().contains("bad magic"));
    byte[] newer = CameraStateSerde.write(new CameraState(), null);
    newer[4] = CameraStateSerde.VERSION + 1;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CameraStateSerde.read(newer))
        .getMessage().contains("newer than this monitor"));
  }
}
