package io.lavmonitor.cli;

import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.embed.Encoders;
import io.lavmonitor.model.ModelStore;
import io.lavmonitor.station.ModelRegistry;
import io.lavmonitor.station.ReferenceBuilder;
import io.lavmonitor.wire.ReferenceRecord;
import java.nio.file.Path;
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

  @Option(names = "--video", required = true, paramLabel = "V", description = "Reference video.")
  String video;

  @Option(names = "--labels", required = true, paramLabel = "L", description = "Its labels JSON.")
  Path labels;

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
      ReferenceRecord r = ReferenceBuilder.build(video, VideoLabels.read(labels), station,
          reg.get(v.card().id(), v.dir().toAbsolutePath().toUri().toString()), dev);
      ReferenceBuilder.publish(client, r);
      spec.commandLine().getOut().printf("published the reference of %s: %d frames, %d phases, "
          + "model %s%n", station, r.frameLabels().length, r.phases().size(), r.modelId());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
