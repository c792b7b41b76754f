package io.lavmonitor.io;

/**
 * Something the user gave us is wrong: a missing file, a malformed array, a bad parameter.
 * The message is written for the user and names the offending input; the command line prints it
 * as one line without a stack trace.
 */
public class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }
}
