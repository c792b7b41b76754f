package io.lavmonitor.cli;

import io.lavmonitor.io.InvalidInputException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code lav} command line. Exit codes: 0 success, 1 runtime error, 2 usage error. Errors are
 * one line naming what was wrong; {@code --verbose} adds the stack trace.
 */
@Command(name = "lav",
    mixinStandardHelpOptions = true,
    versionProvider = LavCommand.Version.class,
    description = "lav-monitor: align assembly-line video to a reference cycle with LAV "
        + "embeddings.",
    subcommands = {SdtwCommand.class, AlignCommand.class, SynthCommand.class, InfoCommand.class,
        SheetCommand.class, TrainCommand.class, ModelsCommand.class, TrainerCommand.class,
        EmbedCommand.class, ReferenceCommand.class, CameraCommand.class, MonitorCommand.class,
        DemoCommand.class, ReplayCommand.class,
        EvaluateCommand.class, ExperimentCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class LavCommand implements Runnable {

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine newCommandLine() {
    LavCommand root = new LavCommand();
    CommandLine cl = new CommandLine(root);
    // Usage errors: one line naming the problem and where to find help, exit code 2.
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      String name = cmd.getCommandSpec().qualifiedName();
      err.println(name + ": " + ex.getMessage());
      err.println("Try '" + name + " --help' for more information.");
      err.flush();
      return CommandLine.ExitCode.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      err.println(cmd.getCommandSpec().qualifiedName() + ": error: " + message(ex));
      if (root.verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return cl;
  }

  private static String message(Throwable ex) {
    if (ex instanceof InvalidInputException || ex instanceof UncheckedIOException) {
      return ex.getMessage();
    }
    if (ex instanceof OutOfMemoryError) {
      return "out of memory (raise the heap with JAVA_OPTS=-Xmx...): " + ex.getMessage();
    }
    String msg = ex.getMessage();
    return ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }

  /** Version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LavCommand.class.getPackage().getImplementationVersion();
      return new String[] {"lav-monitor " + (v == null ? "dev" : v)};
    }
  }
}
