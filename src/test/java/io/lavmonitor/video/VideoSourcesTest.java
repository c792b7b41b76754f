package io.lavmonitor.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every source type that can run here, on real files decoded by FFmpeg. */
class VideoSourcesTest {
  @TempDir
  Path dir;

  static List<VideoFrame> readAll(VideoSource s) {
    List<VideoFrame> out = new ArrayList<>();
    for (VideoFrame f = s.next(); f != null; f = s.next()) {
      out.add(f);
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({
      "a.mp4, mp4, mpeg4", "b.mp4, mp4, libopenh264", "c.avi, avi, mjpeg", "d.mkv, matroska, mpeg4",
      "e.webm, webm, libvpx", "f.gif, gif, gif", "g.mjpeg, mjpeg, mjpeg"})
  void decodesEveryContainerFrameByFrame(String name, String format, String codec)
      throws Exception {
    Path file = TestVideos.write(dir.resolve(name), format, codec, 20, 10);
    try (VideoSource s = VideoSources.open(file.toString())) {
      assertEquals(TestVideos.WIDTH, s.info().width());
      assertEquals(TestVideos.HEIGHT, s.info().height());
      List<VideoFrame> frames = readAll(s);
      assertEquals(20, frames.size(), name);
      for (int i = 0; i < 20; i++) {
        VideoFrame f = frames.get(i);
        assertEquals(i, f.sequence());
        TestVideos.assertBar(i, f, name + " frame " + i);
        if (i > 0) {
          assertTrue(f.timestampMicros() > frames.get(i - 1).timestampMicros(), name);
        }
      }
      assertEquals(0, s.skippedFrames());
    }
  }

  @Test
  void fileInfoGivesFpsFrameCountAndCodec() throws Exception {
    Path file = TestVideos.write(dir.resolve("info.mp4"), "mp4", "mpeg4", 30, 15);
    try (VideoSource s = VideoSources.open(file.toString())) {
      assertEquals(15.0, s.info().fps(), 1e-6);
      assertEquals(30, s.info().frameCount());
      assertEquals("mpeg4", s.info().codec());
      // Presentation timestamps at 15 fps: frame 15 is one second in.
      List<VideoFrame> frames = readAll(s);
      assertEquals(1_000_000, frames.get(15).timestampMicros(), 1000);
    }
  }

  @Test
  void readsAFolderOfNumberedImagesInNumericOrderAndSkipsCorruptOnes() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("frames"));
    for (int i = 1; i <= 12; i++) {
      ImageIO.write(TestVideos.barFrame(i), "png", folder.resolve("frame_" + i + ".png").toFile());
    }
    Files.writeString(folder.resolve("frame_13.png"), "not a png");
    Files.writeString(folder.resolve("notes.txt"), "ignored");
    VideoOptions opts = VideoOptions.defaults().withImageFps(5);
    try (VideoSource s = VideoSources.open(folder.toString(), opts, g -> { })) {
      assertEquals(13, s.info().frameCount());
      List<VideoFrame> frames = readAll(s);
      assertEquals(12, frames.size());
      assertEquals(1, s.skippedFrames());
      for (int i = 0; i < 12; i++) {
        TestVideos.assertBar(i + 1, frames.get(i), "image " + (i + 1));
        assertEquals(i * 200_000L, frames.get(i).timestampMicros());
      }
    }
  }

  @Test
  void badFilesGiveAClearErrorNamingTheFile() throws Exception {
    Path missing = dir.resolve("missing.mp4");
    assertError(missing, "no such file");
    Path text = dir.resolve("notes.mp4");
    Files.writeString(text, "this is not a video at all");
    assertError(text, "cannot open as video");
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    assertError(empty, "empty file");
    // An mp4 whose index (written last) was cut off.
    Path full = TestVideos.write(dir.resolve("full.mp4"), "mp4", "mpeg4", 30, 15);
    byte[] bytes = Files.readAllBytes(full);
    Path truncated = dir.resolve("truncated.mp4");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertError(truncated, "cannot open as video");
    Path image = dir.resolve("still.png");
    ImageIO.write(TestVideos.barFrame(0), "png", image.toFile());
    try (VideoSource s = VideoSources.open(image.toString())) {
      assertEquals(1, readAll(s).size(), "FFmpeg reads a single image as a one-frame video");
    }
  }

  private static void assertError(Path file, String expected) {
    VideoException e = assertThrows(VideoException.class,
        () -> VideoSources.open(file.toString()).close());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void corruptFramesInTheMiddleAreSkippedNotFatal() throws Exception {
    // MJPEG in AVI: every frame is its own JPEG, so damage stays inside the frames it hits.
    Path file = TestVideos.write(dir.resolve("clean.avi"), "avi", "mjpeg", 40, 10);
    byte[] bytes = Files.readAllBytes(file);
    int hits = 0;
    // Wipe five JPEG frames in the middle, leaving the AVI chunk headers between them intact.
    List<Integer> soi = new ArrayList<>();
    for (int p = 0; p + 1 < bytes.length; p++) {
      if ((bytes[p] & 0xff) == 0xFF && (bytes[p + 1] & 0xff) == 0xD8) {
        soi.add(p);
      }
    }
    for (int f = 15; f < 20; f++) {
      Arrays.fill(bytes, soi.get(f), soi.get(f + 1) - 8, (byte) 0x00);
      hits++;
    }
    assertTrue(hits > 0);
    Path damaged = dir.resolve("damaged.avi");
    Files.write(damaged, bytes);
    try (VideoSource s = VideoSources.open(damaged.toString())) {
      List<VideoFrame> frames = readAll(s);
      assertEquals(40, frames.size() + s.skippedFrames(), "every frame decoded or counted");
      assertTrue(s.skippedFrames() >= 1 && frames.size() >= 35,
          frames.size() + " decoded, " + s.skippedFrames() + " skipped");
      // The undamaged last frame is intact.
      VideoFrame last = frames.get(frames.size() - 1);
      TestVideos.assertBar(39, last, "last frame");
    }
  }

  @Test
  void framesOverTheSizeLimitAreRefusedBeforeDecoding() throws Exception {
    Path file = TestVideos.write(dir.resolve("big.mp4"), "mp4", "mpeg4", 5, 10);
    VideoOptions small = VideoOptions.defaults().withMaxPixels(64L * 47);
    VideoException e = assertThrows(VideoException.class,
        () -> VideoSources.open(file.toString(), small, g -> { }));
    assertTrue(e.getMessage().contains("frame size 64x48 exceeds the limit of 3008 pixels"),
        e.getMessage());
    Path folder = Files.createDirectory(dir.resolve("big-images"));
    ImageIO.write(TestVideos.barFrame(0), "png", folder.resolve("1.png").toFile());
    assertThrows(VideoException.class,
        () -> VideoSources.open(folder.toString(), small, g -> { }).next());
  }

  /** A localhost HTTP server for one file; the first {@code cutFirst} responses stop halfway. */
  static HttpServer serve(Path file, int cutFirst, AtomicInteger requests) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      int n = requests.incrementAndGet();
      boolean cut = n <= cutFirst;
      ex.getResponseHeaders().add("Content-Type", "video/mp2t");
      ex.sendResponseHeaders(200, cut ? 0 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes, 0, cut ? bytes.length / 2 : bytes.length);
      } catch (java.io.IOException e) {
        // client went away
      }
    });
    server.start();
    return server;
  }

  @Test
  void readsAStreamOverHttp() throws Exception {
    Path ts = TestVideos.write(dir.resolve("live.ts"), "mpegts", "mpeg4", 30, 15);
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = serve(ts, 0, requests);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
      VideoOptions once = VideoOptions.defaults().withReconnect(false, Duration.ZERO,
          Duration.ZERO, 1);
      try (VideoSource s = VideoSources.open(url, once, g -> { })) {
        List<VideoFrame> frames = readAll(s);
        assertEquals(30, frames.size());
        TestVideos.assertBar(29, frames.get(29), "frame 29 over HTTP");
        // Live frames carry the wall-clock capture time.
        long now = System.currentTimeMillis() * 1000;
        assertTrue(Math.abs(frames.get(0).timestampMicros() - now) < 60_000_000L);
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aDroppedStreamReconnectsWithBackoffAndReportsTheGap() throws Exception {
    Path ts = TestVideos.write(dir.resolve("drop.ts"), "mpegts", "mpeg4", 40, 15);
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = serve(ts, 1, requests);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/drop.ts";
      VideoOptions opts = VideoOptions.defaults().withReconnect(true, Duration.ofMillis(40),
          Duration.ofMillis(200), 3);
      List<ReconnectingSource.Gap> gaps = new ArrayList<>();
      List<Duration> waits = new ArrayList<>();
      ReconnectingSource s = new ReconnectingSource(url,
          () -> new FfmpegVideoSource(url, FfmpegVideoSource.Kind.NETWORK, opts), opts, gaps::add,
          d -> {
            waits.add(d);
            Thread.sleep(d.toMillis());
          });
      List<VideoFrame> frames = new ArrayList<>();
      // The second response is complete; after it the server is stopped, and reconnecting fails.
      VideoException end = null;
      try {
        for (VideoFrame f = s.next(); f != null; f = s.next()) {
          frames.add(f);
          if (requests.get() >= 2 && frames.size() >= 40 && server != null) {
            server.stop(0);
          }
        }
      } catch (VideoException e) {
        end = e;
      }
      assertEquals(1, gaps.size(), "one gap reported: " + gaps);
      ReconnectingSource.Gap gap = gaps.get(0);
      assertTrue(gap.toMicros() >= gap.fromMicros() && gap.attempts() >= 1, gap.toString());
      assertTrue(frames.size() >= 40, "frames " + frames.size());
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(i, frames.get(i).sequence(), "numbering continues across the gap");
      }
      assertNotNull(end, "gives up after the attempts run out");
      assertTrue(end.getMessage().contains("gave up after 3 attempts"), end.getMessage());
      // Exponential backoff, capped: 40, 80, 160 ms for the final three attempts.
      assertEquals(List.of(Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(160)),
          waits.subList(waits.size() - 3, waits.size()));
      s.close();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void resamplesByTimestampsDroppingAndRepeatingFrames() throws Exception {
    Path file = TestVideos.write(dir.resolve("r.mp4"), "mp4", "mpeg4", 20, 10);
    try (VideoSource s = new FpsResampler(VideoSources.open(file.toString()), 5)) {
      List<VideoFrame> frames = readAll(s);
      assertEquals(10, frames.size());
      for (int k = 0; k < 10; k++) {
        TestVideos.assertBar(2 * k, frames.get(k), "5 fps slot " + k);
        assertEquals(k * 200_000L, frames.get(k).timestampMicros());
      }
    }
    try (VideoSource s = new FpsResampler(VideoSources.open(file.toString()), 30)) {
      List<VideoFrame> frames = readAll(s);
      assertEquals(60, frames.size());
      for (int k = 0; k < 60; k++) {
        TestVideos.assertBar(k / 3, frames.get(k), "30 fps slot " + k);
      }
    }
  }

  @Test
  void anEmptyImageFolderIsAnError() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("none"));
    VideoException e = assertThrows(VideoException.class,
        () -> VideoSources.open(folder.toString()));
    assertTrue(e.getMessage().contains("no images"));
  }
}
