package io.lavmonitor.video;

import io.lavmonitor.io.InvalidInputException;

/** A video that cannot be opened or read; the message names the source and the problem. */
public class VideoException extends InvalidInputException {
  public VideoException(String message) {
    super(message);
  }
}
