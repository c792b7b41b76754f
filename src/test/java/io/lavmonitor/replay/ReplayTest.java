package io.lavmonitor.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.cli.LavCommand;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.demo.Demo;
import io.lavmonitor.engine.StationReference;
import io.lavmonitor.engine.Thresholds;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lav replay} on a real recording (FFmpeg), with the shipped model (libtorch through
 * DJL): the records a topic would carry, and the same records from cached embeddings as from
 * the video (the detection benchmark replays from the cache).
 */
class ReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static Path model;
  static VideoLabels streamLabels;

  @BeforeAll
  static void line() throws Exception {
    model = Demo.installShippedModel(dir.resolve("models"));
    SynthGenerator.generate(dir.resolve("ref"), new SynthGenerator.Options(Task.ASSEMBLY, 1, 5,
        0, 0, 112, 10, false, 1), n -> { });
    SynthGenerator.generate(dir.resolve("stream"), new SynthGenerator.Options(Task.ASSEMBLY, 1,
        6, 0, 0, 112, 10, true, 3), n -> { });
    streamLabels = VideoLabels.read(dir.resolve("stream/labels/assembly_stream_0000.json"));
  }

  @Test
  void printsTheTopicsRecordsAndFindsTheCycles() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = LavCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    int rc = cl.execute("replay", "--model", model.toString(),
        "--reference", dir.resolve("ref/videos/assembly_0000.mp4").toString(),
        "--reference-labels", dir.resolve("ref/labels/assembly_0000.json").toString(),
        "--video", dir.resolve("stream/videos/assembly_stream_0000.mp4").toString(),
        "--camera", "cam7", "--station", "st3", "--json");
    assertEquals(0, rc);
    List<JsonNode> records = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      records.add(JSON.readTree(line));
    }
    long progress = records.stream().filter(r -> r.get("topic").asText()
        .equals("lav.phase-progress")).count();
    List<JsonNode> cycles = records.stream().filter(r -> r.get("topic").asText()
        .equals("lav.cycles")).map(r -> r.get("value")).toList();
    assertEquals(streamLabels.numFrames(), progress, "one progress record per frame");
    assertEquals(3, cycles.size(), "the recording's three cycles");
    for (JsonNode c : cycles) {
      assertEquals("cam7", c.get("camera").asText());
      assertEquals("st3", c.get("station").asText());
    }
    // Each reported cycle ends within a second of a true cycle's end.
    for (int i = 0; i < 3; i++) {
      long end = cycles.get(i).get("end_sequence").asLong() - 1;
      assertTrue(Math.abs(end - streamLabels.cycles().get(i).end()) <= 10,
          "cycle " + i + " ends at frame " + end + ", truth "
              + streamLabels.cycles().get(i).end());
    }
  }

  @Test
  void cachedEmbeddingsReplayTheSameRecords() throws Exception {
    Device cpu = Device.cpu();
    try (ModelRegistry reg = new ModelRegistry(model.getParent(), cpu)) {
      ModelRegistry.Model m = reg.get(model.getFileName().toString(), null);
      StationReference ref = Replay.reference(m, dir.resolve("ref/videos/assembly_0000.mp4")
          .toString(), VideoLabels.read(dir.resolve("ref/labels/assembly_0000.json")), "st1",
          cpu);
      Replay.Settings s = Replay.Settings.defaults(Thresholds.defaults());
      String video = dir.resolve("stream/videos/assembly_stream_0000.mp4").toString();
      List<String> live = new ArrayList<>();
      List<String> cached = new ArrayList<>();
      try (Replay replay = new Replay(m, ref, cpu)) {
        Replay.Summary a = replay.run(video, s, o -> live.add(json(o)), Replay.Listener.NONE);
        Replay.Embedded e = replay.embed(video, s, Replay.Listener.NONE);
        Replay.Summary b = Replay.run(ref, e, s, o -> cached.add(json(o)));
        assertEquals(a, b);
      }
      assertEquals(live, cached);
      assertTrue(live.size() > streamLabels.numFrames());
    }
  }

  private static String json(Replay.Output o) {
    try {
      return o.topic() + " " + JSON.writeValueAsString(o.value());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
