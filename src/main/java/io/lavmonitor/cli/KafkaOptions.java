package io.lavmonitor.cli;

import io.lavmonitor.io.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Kafka client options shared by the commands that talk to a broker. */
final class KafkaOptions {
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
      description = "Kafka brokers (env KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties (security and such).")
  Path config;

  /** The client properties; one-line error without brokers. */
  Properties client() {
    Properties p = clientOrNull();
    if (p == null) {
      throw new InvalidInputException("no Kafka brokers: give --bootstrap-servers or set "
          + "KAFKA_BOOTSTRAP_SERVERS");
    }
    return p;
  }

  /** Clients of the given brokers; one-line error without brokers. */
  io.lavmonitor.kafka.KafkaClients clients() {
    return new io.lavmonitor.kafka.KafkaClients(client());
  }

  /** The client properties, or null when no brokers are given. */
  Properties clientOrNull() {
    Properties p = new Properties();
    if (config != null) {
      try (InputStream in = Files.newInputStream(config)) {
        p.load(in);
      } catch (IOException e) {
        throw new InvalidInputException(config + ": " + e.getMessage());
      }
    }
    if (bootstrap != null && !bootstrap.isBlank()) {
      p.put("bootstrap.servers", bootstrap);
    }
    return p.containsKey("bootstrap.servers") ? p : null;
  }
}
