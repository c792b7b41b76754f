package io.lavmonitor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lavmonitor.cli.LavCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deploy files agree with the application: the compose file parses, every lav service runs
 * a command with options the command line accepts, and mounted files exist. Where the Docker
 * compose plugin exists, {@code docker compose config} must accept the file too.
 */
class DeployFilesTest {
  static final Path COMPOSE = Path.of("deploy/docker-compose.yml");

  @Test
  void composeServicesRunRealCommands() throws Exception {
    JsonNode c = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
    List<String> checked = new ArrayList<>();
    for (var it = c.get("services").fields(); it.hasNext(); ) {
      var svc = it.next();
      JsonNode cmd = svc.getValue().get("command");
      if (svc.getValue().path("image").asText("").startsWith("lav-monitor")
          || svc.getKey().startsWith("camera") || svc.getKey().equals("trainer")
          || svc.getKey().equals("monitor")) {
        assertTrue(cmd != null && cmd.isArray(), svc.getKey() + " has a command");
        List<String> args = new ArrayList<>();
        cmd.forEach(a -> args.add(a.asText().replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1")));
        CommandLine cl = LavCommand.newCommandLine();
        // Parsing only: the options and their values are what the command line accepts.
        cl.parseArgs(args.toArray(new String[0]));
        checked.add(svc.getKey());
      }
    }
    assertTrue(checked.containsAll(List.of("monitor", "camera-cam1", "trainer")), "" + checked);
    assertTrue(Files.exists(Path.of("deploy/prometheus.yml")));
    assertTrue(Files.exists(Path.of("grafana/dashboards/line-overview.json")));
    assertTrue(Files.exists(Path.of("topology/line.properties")));
  }

  @Test
  void dockerComposeConfigAcceptsTheFileWhereThePluginExists() throws Exception {
    Process v;
    try {
      v = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("no docker client here");
      return;
    }
    v.waitFor(30, TimeUnit.SECONDS);
    org.junit.jupiter.api.Assumptions.assumeTrue(v.exitValue() == 0,
        "the docker compose plugin is not installed here");
    Process p = new ProcessBuilder("docker", "compose", "-f", COMPOSE.toString(), "config",
        "--quiet").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), out);
  }
}
