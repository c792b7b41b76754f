package io.lavmonitor.cli;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.station.ReferenceBuilder;
import io.lavmonitor.wire.ReferenceRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lav reference}: embed a station's reference cycle and publish it. */
@Command(name = "reference", mixinStandardHelpOptions = true,
    description = "Embed a station's labelled reference cycle with a model and publish it to "
        + "lav.references (compacted, keyed by station), with its frames for re-embedding "
        + "under later models.")
final class ReferenceCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--video", required = true, paramLabel = "V",
      description = "Reference cycle video. Repeat it (with one --labels each) to record "
          + "several normal cycles: the most typical one, the DTW medoid, is published.")
  List<String> videos;

  @Option(names = "--labels", required = true, paramLabel = "L",
      description = "Its labels JSON (one per --video, in the same order).")
  List<Path> labels;

  @Option(names = "--station", required = true, paramLabel = "S", description = "Station id.")
  String station;

  @Option(names = "--model", required = true, paramLabel = "M",
      description = "Model: version folder, or store (its promoted default).")
  Path model;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Override
  public Integer call() {
    var client = kafka.clients();
    ModelStore.Version v = ModelStore.resolve(model);
    ai.djl.Device dev = Encoders.device(device);
    try (ModelRegistry reg = new ModelRegistry(v.dir().toAbsolutePath().getParent(), dev)) {
      List<VideoLabels> ls = new java.util.ArrayList<>();
      for (Path l : labels) {
        ls.add(VideoLabels.read(l));
      }
      ReferenceBuilder.Chosen chosen = ReferenceBuilder.buildMedoid(videos, ls, station,
          reg.get(v.card().id(), v.dir().toAbsolutePath().toUri().toString()), dev);
      ReferenceRecord r = chosen.reference();
      if (videos.size() > 1) {
        double[] totals = chosen.choice().totals();
        for (int i = 0; i < videos.size(); i++) {
          spec.commandLine().getOut().printf(java.util.Locale.ROOT,
              "%s %s  total alignment cost to the others %.3f%n",
              i == chosen.choice().index() ? "*" : " ", videos.get(i), totals[i]);
        }
      }
      ReferenceBuilder.publish(client, r);
      spec.commandLine().getOut().printf("published the reference of %s: %d frames, %d phases, "
          + "model %s%n", station, r.frameLabels().length, r.phases().size(), r.modelId());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
