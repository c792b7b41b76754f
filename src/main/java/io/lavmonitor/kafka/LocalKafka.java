package io.lavmonitor.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), started in this
 * process on free loopback ports. {@code lav demo} runs on it, and the integration tests use it
 * where no Docker engine exists. Closing it stops the broker and deletes its log folder.
 */
public final class LocalKafka implements AutoCloseable {
  private final KafkaRaftServer server;
  private final Path logDir;
  private final String bootstrap;

  private LocalKafka(KafkaRaftServer server, Path logDir, String bootstrap) {
    this.server = server;
    this.logDir = logDir;
    this.bootstrap = bootstrap;
  }

  /** Starts a broker and waits until it answers. */
  public static LocalKafka start() {
    try {
      Path dir = Files.createTempDirectory("lav-kafka-");
      int port = freePort();
      int controllerPort = freePort();
      Properties p = new Properties();
      p.put("process.roles", "broker,controller");
      p.put("node.id", "1");
      p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
      p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:"
          + controllerPort);
      p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
      p.put("controller.listener.names", "CONTROLLER");
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("log.dirs", dir.resolve("logs").toString());
      // One node: every internal topic has one replica.
      for (String t : new String[] {"offsets.topic", "transaction.state.log",
          "share.coordinator.state.topic"}) {
        p.put(t + ".replication.factor", "1");
        p.put(t + ".min.isr", "1");
      }
      p.put("offsets.topic.num.partitions", "3");
      p.put("transaction.state.log.num.partitions", "3");
      p.put("group.initial.rebalance.delay.ms", "0");
      p.put("auto.create.topics.enable", "false");
      Path cfg = dir.resolve("server.properties");
      try (OutputStream out = Files.newOutputStream(cfg)) {
        p.store(out, "lav-monitor local broker");
      }
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
          "-c", cfg.toString(), "--ignore-formatted"}, quiet);
      if (rc != 0) {
        throw new IllegalStateException("formatting the broker's storage failed (" + rc + ")");
      }
      KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false),
          Time.SYSTEM);
      server.startup();
      LocalKafka k = new LocalKafka(server, dir, "localhost:" + port);
      k.awaitReady(Duration.ofSeconds(60));
      return k;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a local Kafka broker: " + e.getMessage(), e);
    }
  }

  /** {@code bootstrap.servers} for clients. */
  public String bootstrapServers() {
    return bootstrap;
  }

  /** Creates topics (one replica) with the given partitions; config may be empty. */
  public void createTopic(String name, int partitions, Map<String, String> config) {
    try (Admin admin = admin()) {
      admin.createTopics(java.util.List.of(new NewTopic(name, partitions, (short) 1)
          .configs(config))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
    }
  }

  /** Kafka clients of this broker. */
  public KafkaClients clients() {
    return KafkaClients.of(bootstrap);
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private void awaitReady(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < end) {
      try (Admin admin = admin()) {
        if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException("the local Kafka broker did not become ready"
        + (last == null ? "" : ": " + last.getMessage()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    try (Stream<Path> s = Files.walk(logDir)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }
}
