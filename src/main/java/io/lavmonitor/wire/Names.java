package io.lavmonitor.wire;

/**
 * Ids that travel as keys and in file names (cameras, stations, models): 1 to 255 characters,
 * letters, digits and {@code . _ -}. Anything else is refused before it can reach a state
 * store, a topic key or a path.
 */
public final class Names {
  public static final int MAX_LENGTH = 255;

  private Names() {}

  /** Whether s is a usable id. */
  public static boolean valid(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_LENGTH || s.startsWith(".")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** s, or IllegalArgumentException naming what it is and why it is refused. */
  public static String check(String s, String what) {
    if (!valid(s)) {
      throw new IllegalArgumentException(what + " id " + Names.shown(s) + " is not 1 to "
          + MAX_LENGTH + " letters, digits, '.', '_' or '-' (not starting with '.')");
    }
    return s;
  }

  /** A printable, bounded form of an untrusted string for messages. */
  public static String shown(String s) {
    if (s == null) {
      return "(none)";
    }
    String t = s.length() > 40 ? s.substring(0, 40) + "... (" + s.length() + " characters)" : s;
    return "'" + t.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }
}
