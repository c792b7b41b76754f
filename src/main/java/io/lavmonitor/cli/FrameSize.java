package io.lavmonitor.cli;

import io.lavmonitor.io.InvalidInputException;

/** Parses a frame size given as {@code WxH} (or one number for a square). */
final class FrameSize {
  private FrameSize() {}

  static int[] parse(String s, String option) {
    String[] parts = s.trim().toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      int w = Integer.parseInt(parts[0]);
      int h = parts.length == 1 ? w : Integer.parseInt(parts[1]);
      if (parts.length > 2 || w < 1 || h < 1 || (long) w * h > 100_000_000L) {
        throw new NumberFormatException();
      }
      return new int[] {w, h};
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new InvalidInputException(option + " " + s + ": expected WIDTHxHEIGHT, e.g. 640x480");
    }
  }
}
