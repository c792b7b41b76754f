package io.lavmonitor.cli;

import io.lavmonitor.camera.CameraAgent;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav camera}: the camera agent. */
@Command(name = "camera", mixinStandardHelpOptions = true,
    description = {"Publish a camera's frames to lav.frames as JPEG envelopes keyed by camera "
        + "id. Sources: a video file, rtsp://... or http://... streams (reconnected when they "
        + "drop), /dev/videoN, or a folder of images.",
        "When the broker falls behind, frames are dropped and counted rather than buffered."})
final class CameraCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--source", required = true, paramLabel = "SRC", description = "Video source.")
  String source;

  @Option(names = "--camera-id", required = true, paramLabel = "C", description = "Camera id.")
  String camera;

  @Option(names = "--station", required = true, paramLabel = "S", description = "Station id.")
  String station;

  @Option(names = "--fps", defaultValue = "10", description = "Frame-rate limit (default: ${DEFAULT-VALUE}).")
  double fps;

  @Option(names = "--jpeg-quality", defaultValue = "0.85", description = "JPEG quality 0..1 (default: ${DEFAULT-VALUE}).")
  float quality;

  @Option(names = "--max-in-flight", defaultValue = "8", paramLabel = "N",
      description = "Frames waiting for the broker before new ones are dropped (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(names = "--loop", description = "Start a file over at its end.")
  boolean loop;

  @Option(names = "--as-fast-as-possible", description = "Do not pace a file at --fps.")
  boolean fast;

  @Option(names = "--resize", paramLabel = "WxH",
      description = "Scale frames to W x H pixels before sending, e.g. 640x480 for a 1080p camera "
          + "(default: the source size).")
  String resize;

  @Option(names = "--max-frames", defaultValue = "0", description = "Stop after N frames (default: no limit).")
  long maxFrames;

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Override
  public Integer call() {
    AtomicBoolean stop = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true)));
    CameraAgent.Settings s = new CameraAgent.Settings(source, camera, station, fps, quality,
        maxInFlight, !fast, loop, io.lavmonitor.wire.Topics.FRAMES.name());
    if (resize != null) {
      int[] wh = FrameSize.parse(resize, "--resize");
      s = s.resized(wh[0], wh[1]);
    }
    try (CameraAgent agent = new CameraAgent(s, kafka.clients())) {
      agent.run(stop, maxFrames);
      agent.flush();
      spec.commandLine().getOut().printf(Locale.ROOT,
          "camera %s: %d frames sent, %d dropped (broker behind), %d failed%n", camera,
          agent.sent(), agent.dropped(), agent.failed());
      spec.commandLine().getOut().flush();
      return agent.failed() == 0 ? 0 : 1;
    }
  }
}
