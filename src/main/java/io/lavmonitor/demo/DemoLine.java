package io.lavmonitor.demo;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's synthetic line: two assembly stations, three cameras. Each station has a normal
 * reference cycle; each camera films a continuous recording of several cycles with anomalies
 * injected at cycles the labels name.
 */
public final class DemoLine {
  /** A camera of the line and the recording it plays. */
  public record Camera(String id, String station, Path video, VideoLabels labels) {}

  /** A station and its reference cycle. */
  public record Station(String id, Path video, VideoLabels labels) {}

  public final List<Station> stations = new ArrayList<>();
  public final List<Camera> cameras = new ArrayList<>();
  public final double fps;

  private DemoLine(double fps) {
    this.fps = fps;
  }

  /** Embeds every station's reference cycle with the model and publishes it. */
  public void publishReferences(io.lavmonitor.kafka.KafkaClients client,
                                io.lavmonitor.model.ModelStore.Version model) {
    try (io.lavmonitor.station.ModelRegistry reg = new io.lavmonitor.station.ModelRegistry(
        model.dir().toAbsolutePath().getParent(), ai.djl.Device.cpu())) {
      io.lavmonitor.station.ModelRegistry.Model m = reg.get(model.card().id(),
          model.dir().toAbsolutePath().toUri().toString());
      for (Station st : stations) {
        io.lavmonitor.station.ReferenceBuilder.publish(client,
            io.lavmonitor.station.ReferenceBuilder.build(st.video().toString(), st.labels(),
                st.id(), m, ai.djl.Device.cpu()));
      }
    }
  }

  /** Generates the line's videos under {@code dir} (deterministic for a seed). */
  public static DemoLine generate(Path dir, int size, double fps, int cycles, long seed)
      throws Exception {
    DemoLine line = new DemoLine(fps);
    String[][] layout = {{"st1", "cam1"}, {"st1", "cam2"}, {"st2", "cam3"}};
    for (String st : new String[] {"st1", "st2"}) {
      Path d = dir.resolve("reference-" + st);
      long s = seed + st.hashCode();
      SynthGenerator.generate(d, new SynthGenerator.Options(Task.ASSEMBLY, 1, s, 0, 0, size, fps,
          false, 1), n -> { });
      line.stations.add(new Station(st, d.resolve("videos/assembly_0000.mp4"),
          VideoLabels.read(d.resolve("labels/assembly_0000.json"))));
    }
    for (String[] sc : layout) {
      Path d = dir.resolve("camera-" + sc[1]);
      long s = seed * 31 + sc[1].hashCode();
      SynthGenerator.generate(d, new SynthGenerator.Options(Task.ASSEMBLY, 1, s, 0, 0.35, size,
          fps, true, cycles), n -> { });
      line.cameras.add(new Camera(sc[1], sc[0], d.resolve("videos/assembly_stream_0000.mp4"),
          VideoLabels.read(d.resolve("labels/assembly_stream_0000.json"))));
    }
    return line;
  }
}
