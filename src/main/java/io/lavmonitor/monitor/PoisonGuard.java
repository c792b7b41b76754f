package io.lavmonitor.monitor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, in a small file beside a task's state, which record the task is processing. If the
 * process dies on a record (a native crash in a decoder, the JVM killed for memory), the marker
 * survives, and when the restarted task meets the same record again it is dead-lettered and
 * skipped instead of killing the process a second time: no record can put the monitor into a
 * crash loop. The marker is written without fsync: it must survive the process, not the machine.
 */
final class PoisonGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PoisonGuard.class);
  static final String FILE = "lav-in-flight";

  private final FileChannel file;
  private String died; // the record in flight when the last process ended, if any

  private PoisonGuard(FileChannel file, String died) {
    this.file = file;
    this.died = died;
  }

  static PoisonGuard open(File taskDir) {
    Path p = taskDir.toPath().resolve(FILE);
    try {
      FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
      ch.read(b, 0);
      String left = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
      if (!left.isEmpty()) {
        LOG.warn("the last run of this task ended while processing {}: it will be "
            + "dead-lettered if it comes again", left);
      }
      return new PoisonGuard(ch, left.isEmpty() ? null : left);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + p + ": " + e.getMessage(), e);
    }
  }

  static String marker(String topic, int partition, long offset) {
    return topic + " " + partition + " " + offset;
  }

  /**
   * Marks the record as in flight; false when the last process died on this very record (it is
   * then the caller's to dead-letter and skip).
   */
  boolean enter(String topic, int partition, long offset) {
    String m = marker(topic, partition, offset);
    if (m.equals(died)) {
      died = null;
      return false;
    }
    try {
      file.truncate(0);
      file.write(ByteBuffer.wrap(m.getBytes(StandardCharsets.UTF_8)), 0);
    } catch (IOException e) {
      LOG.warn("cannot write the in-flight marker: {}", e.getMessage());
    }
    return true;
  }

  /** The record is done (processed or dead-lettered). */
  void exit() {
    try {
      file.truncate(0);
    } catch (IOException e) {
      LOG.warn("cannot clear the in-flight marker: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      file.truncate(0);
      file.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
  }
}
