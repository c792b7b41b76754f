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
 * Remembers, in a small file beside a task's state, which record the task is processing and how
 * many times the process has already ended while processing it. A process that is killed from
 * outside (an operator, the machine going down) dies on some innocent record, which the next
 * run processes again. A record on which the process dies twice in a row (a native crash in a
 * decoder, the JVM killed for memory each time) is dead-lettered and skipped the third time it
 * comes: no record can put the monitor into a crash loop. The marker is written without fsync:
 * it must survive the process, not the machine.
 */
final class PoisonGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PoisonGuard.class);
  static final String FILE = "lav-in-flight";
  /** Process deaths on one record after which it is skipped. */
  static final int DEATHS = 2;

  private final FileChannel file;
  private String died; // the record in flight when the last process ended, if any
  private int deaths; // how many process deaths it has been in flight for

  private PoisonGuard(FileChannel file, String died, int deaths) {
    this.file = file;
    this.died = died;
    this.deaths = deaths;
  }

  static PoisonGuard open(File taskDir) {
    Path p = taskDir.toPath().resolve(FILE);
    try {
      FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
      ch.read(b, 0);
      String left = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
      String died = null;
      int deaths = 0;
      int cut = left.lastIndexOf(' ');
      if (!left.isEmpty() && cut > 0) {
        try {
          deaths = Integer.parseInt(left.substring(cut + 1)) + 1;
          died = left.substring(0, cut);
          LOG.warn("the last run of this task ended while processing {} ({} time(s) so far)",
              died, deaths);
        } catch (NumberFormatException e) {
          died = null; // not ours
        }
      }
      return new PoisonGuard(ch, died, deaths);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + p + ": " + e.getMessage(), e);
    }
  }

  static String marker(String topic, int partition, long offset) {
    return topic + " " + partition + " " + offset;
  }

  /**
   * Marks the record as in flight; false when the process has already died on this very record
   * {@link #DEATHS} times (it is then the caller's to dead-letter and skip).
   */
  boolean enter(String topic, int partition, long offset) {
    String m = marker(topic, partition, offset);
    int before = 0;
    if (m.equals(died)) {
      before = deaths;
      died = null;
      if (before >= DEATHS) {
        return false;
      }
    }
    try {
      file.truncate(0);
      file.write(ByteBuffer.wrap((m + " " + before).getBytes(StandardCharsets.UTF_8)), 0);
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
