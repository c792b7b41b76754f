package io.lavmonitor.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real camera footage from Debian's opencv-doc package, fetched by {@code .ci/fetch-test-media}.
 * Skips, saying why, when the clips are absent.
 */
class RealClipsTest {
  static Path media() {
    String env = System.getenv("LAV_TEST_MEDIA");
    return env != null ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "lav-monitor", "test-media");
  }

  @ParameterizedTest
  @ValueSource(strings = {"vtest.avi", "box.mp4", "cup.mp4"})
  void decodesRealCameraClips(String name) {
    Path clip = media().resolve(name);
    assumeTrue(Files.exists(clip), "real clip " + clip + " absent: run .ci/fetch-test-media");
    try (VideoSource s = VideoSources.open(clip.toString())) {
      VideoInfo info = s.info();
      assertTrue(info.width() >= 320 && info.height() >= 240, info.toString());
      assertTrue(info.fps() > 5 && info.fps() < 61, info.toString());
      long n = 0;
      VideoFrame prev = null;
      long changed = 0;
      for (VideoFrame f = s.next(); f != null; f = s.next()) {
        assertEquals(info.width(), f.width());
        if (prev != null && !java.util.Arrays.equals(prev.rgb(), f.rgb())) {
          changed++;
        }
        prev = f;
        n++;
      }
      assertEquals(0, s.skippedFrames(), "a clean clip has no skipped frames");
      if (info.frameCount() > 0) {
        assertEquals(info.frameCount(), n, 2.0, "decoded frames against the container's count");
      }
      assertTrue(n > 50, n + " frames");
      assertTrue(changed > n / 2, "a camera clip changes from frame to frame: " + changed);
      // Preprocessing to the encoder's input keeps values in the ImageNet-normalised range.
      float[] chw = Preprocessor.defaults().toChw(prev);
      assertEquals(3 * 224 * 224, chw.length);
      for (float v : chw) {
        assertTrue(v >= -2.2f && v <= 2.7f, "normalised value " + v);
      }
    }
  }
}
