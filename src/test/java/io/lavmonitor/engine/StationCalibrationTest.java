package io.lavmonitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The station's calibration records and their pool. */
class StationCalibrationTest {
  private static CameraState camera(String model, double... costs) {
    CameraState s = new CameraState();
    s.modelId = model;
    for (double c : costs) {
      s.costs.addLast(c);
    }
    s.profile = new PhaseProfile(2);
    s.profile.add(new double[] {costs[0], 2 * costs[0]}, new double[] {0.5, 0.5}, costs[0]);
    return s;
  }

  @Test
  void aRecordRoundTripsAndANewerOneIsRefusedWithTheReason() {
    byte[] b = StationCalibration.write("cam2", camera("m1", 0.25, 0.5));
    StationCalibration.Peer p = StationCalibration.read(b);
    assertEquals("cam2", p.camera());
    assertEquals("m1", p.modelId());
    assertEquals(List.of(0.25, 0.5), p.costs());
    assertEquals(0.5, p.profile().median(1), 1e-6);
    b[4] = StationCalibration.VERSION + 1;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> StationCalibration.read(b))
        .getMessage().contains("newer than this monitor"));
    assertThrows(IllegalArgumentException.class, () -> StationCalibration.read(new byte[3]));
  }

  @Test
  void thePoolTakesPeersOfTheSameModelOnlyAndNotTheCameraItself() {
    CameraState own = camera("m1", 0.1);
    List<StationCalibration.Peer> peers = List.of(
        StationCalibration.read(StationCalibration.write("cam2", camera("m1", 0.3, 0.5))),
        StationCalibration.read(StationCalibration.write("cam3", camera("m0", 9.0))),
        StationCalibration.read(StationCalibration.write("cam1", camera("m1", 7.0))));
    StationCalibration.Pool pool = StationCalibration.pool("cam1", own, peers);
    assertEquals(2, pool.cameras());
    assertEquals(List.of(0.1, 0.3, 0.5), pool.costs());
    // Phase 0's costs pooled: 0.1 (own) and 0.3 (cam2): the median of both.
    assertEquals(0.2, pool.profile().median(0), 1e-6);
    assertEquals(2, pool.profile().cycles(0));
    assertEquals(1, own.profile.cycles(0), "the camera's own profile is not changed");
  }

  @Test
  void aCameraWithoutAProfileOfItsOwnReadsTheStations() {
    CameraState fresh = new CameraState();
    fresh.modelId = "m1";
    StationCalibration.Pool pool = StationCalibration.pool("cam9", fresh, List.of(
        StationCalibration.read(StationCalibration.write("cam2", camera("m1", 0.3)))));
    assertEquals(List.of(0.3), pool.costs());
    assertEquals(0.3, pool.profile().median(0), 1e-6);
    assertNull(fresh.profile);
  }
}
