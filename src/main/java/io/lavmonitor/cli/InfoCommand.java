package io.lavmonitor.cli;

import io.lavmonitor.video.VideoInfo;
import io.lavmonitor.video.VideoSource;
import io.lavmonitor.video.VideoSources;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lav info}: what a video is. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Print a video's frame rate, frame count, size and codec. VIDEO is a file, a "
        + "folder of numbered images, a stream URL or a /dev/videoN device.")
final class InfoCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "VIDEO", description = "The video.")
  String video;

  @Option(names = "--count", description = "Decode every frame to count them, and report "
      + "frames skipped as undecodable.")
  boolean count;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    Map<String, Object> out = new LinkedHashMap<>();
    try (VideoSource s = VideoSources.open(video)) {
      VideoInfo i = s.info();
      out.put("video", video);
      out.put("fps", i.fps());
      out.put("frames", i.frameCount());
      out.put("width", i.width());
      out.put("height", i.height());
      out.put("codec", i.codec());
      out.put("format", i.format());
      if (count) {
        long n = 0;
        while (s.next() != null) {
          n++;
        }
        out.put("decoded", n);
        out.put("skipped", s.skippedFrames());
      }
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(Json.write(out));
    } else {
      out.forEach((k, v) -> w.printf(Locale.ROOT, "%-8s %s%n", k, v));
    }
    w.flush();
    return 0;
  }
}
