package io.lavmonitor.cli;

import io.lavmonitor.model.ModelCard;
import io.lavmonitor.model.ModelStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lav models}: the model store. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "List, inspect, promote and verify the versions in a model store.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class,
        ModelsCommand.Promote.class, ModelsCommand.Verify.class})
final class ModelsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a subcommand is required: list, show, promote or verify");
  }

  /** Options every subcommand shares. */
  static class StoreOption {
    @Option(names = "--store", required = true, paramLabel = "MODELS",
        description = "Model store folder.")
    Path store;

    ModelStore open() {
      if (!java.nio.file.Files.isDirectory(store)) {
        throw new io.lavmonitor.model.ModelException(store + ": no such model store");
      }
      return ModelStore.open(store);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "One line per version, oldest first; * marks promoted versions.")
  static final class ListModels implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    StoreOption opt = new StoreOption();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      ModelStore s = opt.open();
      List<ModelCard> all = s.list();
      Map<String, String> promoted = s.promotions();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.write(Map.of("models", all, "promoted", promoted)));
      } else if (all.isEmpty()) {
        out.println("no models in " + opt.store);
      } else {
        out.printf(Locale.ROOT, "%-34s %-20s %-16s %6s %6s %6s  %s%n", "id", "created",
            "backbone", "tau", "cls", "R^2", "promoted for");
        for (ModelCard c : all) {
          List<String> for_ = promoted.entrySet().stream()
              .filter(e -> e.getValue().equals(c.id())).map(Map.Entry::getKey).toList();
          Map<String, Double> m = c.metrics() == null ? Map.of() : c.metrics();
          out.printf(Locale.ROOT, "%-34s %-20s %-16s %6s %6s %6s  %s%n", c.id(), c.created(),
              c.backbone(), num(m.get("kendall_tau")), num(m.get("classification")),
              num(m.get("progression")), for_.isEmpty() ? "" : "* " + String.join(", ", for_));
        }
      }
      out.flush();
      return 0;
    }

    private static String num(Double v) {
      return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Print a version's model.json.")
  static final class Show implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    StoreOption opt = new StoreOption();

    @Parameters(paramLabel = "ID", description = "Model id.")
    String id;

    @Override
    public Integer call() throws Exception {
      ModelCard c = opt.open().card(id);
      spec.commandLine().getOut().println(
          new com.fasterxml.jackson.databind.ObjectMapper()
              .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(c));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Make a version the one a station (or, without --station, every station "
          + "without its own) runs. The weights are verified first.")
  static final class Promote implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    StoreOption opt = new StoreOption();

    @Parameters(paramLabel = "ID", description = "Model id.")
    String id;

    @Option(names = "--station", paramLabel = "S", description = "Station (default: all).")
    String station;

    @Override
    public Integer call() {
      opt.open().promote(id, station);
      spec.commandLine().getOut().println("promoted " + id + " for "
          + (station == null ? ModelStore.DEFAULT : "station " + station));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check every version's (or one version's) weights against its sha256. "
          + "Exit code 1 when any fails.")
  static final class Verify implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    StoreOption opt = new StoreOption();

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Model id (default: all).")
    String id;

    @Override
    public Integer call() throws Exception {
      ModelStore s = opt.open();
      List<String> ids = id != null ? List.of(id) : versionFolders(s);
      int bad = 0;
      PrintWriter out = spec.commandLine().getOut();
      for (String v : ids) {
        List<String> problems = s.verify(v);
        if (problems.isEmpty()) {
          out.println("ok      " + v);
        } else {
          bad++;
          out.println("FAILED  " + v + ": " + String.join("; ", problems));
        }
      }
      out.println(ids.size() - bad + " of " + ids.size() + " verified");
      out.flush();
      return bad == 0 ? 0 : 1;
    }

    /** Every version folder, readable card or not, so a broken one is reported. */
    private static List<String> versionFolders(ModelStore s) throws java.io.IOException {
      try (var st = java.nio.file.Files.list(s.root())) {
        return st.filter(java.nio.file.Files::isDirectory)
            .map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
            .sorted().toList();
      }
    }
  }
}
