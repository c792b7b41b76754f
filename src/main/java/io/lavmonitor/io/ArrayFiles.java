package io.lavmonitor.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the numeric files every command accepts: 2-D arrays with one row per frame,
 * as NumPy {@code .npy} (float32/float64, also integer types, C order) or headerless CSV.
 *
 * <p>Errors are {@link InvalidInputException}s whose message names the file and what is wrong,
 * so the command line can print them as one line.
 */
public final class ArrayFiles {
  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private ArrayFiles() {}

  /** Reads a 2-D array (rows = frames). A 1-D array is read as one column. */
  public static double[][] read(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npy")) {
      return readNpy(path);
    }
    if (name.endsWith(".csv")) {
      return readCsv(path);
    }
    throw new InvalidInputException(path + ": unsupported file type (expected .npy or .csv)");
  }

  /** Reads a 2-D array and checks it has at least one row, equal row lengths and finite values. */
  public static double[][] readSequence(Path path) {
    double[][] a = read(path);
    if (a.length == 0 || a[0].length == 0) {
      throw new InvalidInputException(path + ": the array is empty");
    }
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[i].length; k++) {
        if (!Double.isFinite(a[i][k])) {
          throw new InvalidInputException(
              path + ": non-finite value " + a[i][k] + " at row " + i + ", column " + k);
        }
      }
    }
    return a;
  }

  static double[][] readCsv(Path path) {
    List<String> lines = readLines(path);
    List<double[]> rows = new ArrayList<>();
    int width = -1;
    for (int ln = 0; ln < lines.size(); ln++) {
      String line = lines.get(ln).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (width >= 0 && cells.length != width) {
        throw new InvalidInputException(String.format(
            "%s: line %d has %d values, expected %d like the lines before it",
            path, ln + 1, cells.length, width));
      }
      width = cells.length;
      double[] row = new double[width];
      for (int k = 0; k < width; k++) {
        try {
          row[k] = Double.parseDouble(cells[k].strip());
        } catch (NumberFormatException e) {
          throw new InvalidInputException(String.format(
              "%s: line %d, column %d: '%s' is not a number (CSV files have no header)",
              path, ln + 1, k + 1, cells[k].strip()));
        }
      }
      rows.add(row);
    }
    return rows.toArray(new double[0][]);
  }

  static double[][] readNpy(Path path) {
    byte[] bytes = readBytes(path);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (byte b : NPY_MAGIC) {
      if (buf.remaining() == 0 || buf.get() != b) {
        throw new InvalidInputException(path + ": not a NumPy .npy file (bad magic bytes)");
      }
    }
    if (buf.remaining() < 4) {
      throw new InvalidInputException(path + ": truncated .npy header");
    }
    int major = buf.get() & 0xff;
    buf.get(); // minor version carries no information we need
    long headerLen = major == 1 ? (buf.getShort() & 0xffff) : (buf.getInt() & 0xffffffffL);
    if (major < 1 || major > 3 || headerLen > buf.remaining()) {
      throw new InvalidInputException(path + ": truncated or unsupported .npy header (version "
          + major + ")");
    }
    byte[] headerBytes = new byte[(int) headerLen];
    buf.get(headerBytes);
    String header = new String(headerBytes,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, path, "descr");
    if ("True".equals(group(FORTRAN, header, path, "fortran_order"))) {
      throw new InvalidInputException(path + ": Fortran-order arrays are not supported; "
          + "save with numpy.ascontiguousarray");
    }
    int[] shape = parseShape(group(SHAPE, header, path, "shape"), path);
    int rows;
    int cols;
    if (shape.length == 1) {
      rows = shape[0];
      cols = 1;
    } else if (shape.length == 2) {
      rows = shape[0];
      cols = shape[1];
    } else {
      throw new InvalidInputException(path + ": expected a 2-D array (frames x features), got "
          + shape.length + "-D");
    }
    ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String type = descr.replaceFirst("^[<>|=]", "");
    int itemSize = switch (type) {
      case "f8", "i8", "u8" -> 8;
      case "f4", "i4", "u4" -> 4;
      case "i2", "u2" -> 2;
      case "i1", "u1", "b1" -> 1;
      default -> throw new InvalidInputException(path + ": unsupported dtype '" + descr
          + "' (expected float32, float64 or an integer type)");
    };
    long needed = (long) rows * cols * itemSize;
    if (needed > buf.remaining()) {
      throw new InvalidInputException(String.format(
          "%s: truncated data: shape (%d, %d) of %s needs %d bytes, file has %d",
          path, rows, cols, descr, needed, buf.remaining()));
    }
    buf.order(order);
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < cols; k++) {
        out[i][k] = switch (type) {
          case "f8" -> buf.getDouble();
          case "f4" -> buf.getFloat();
          case "i8", "u8" -> buf.getLong();
          case "i4" -> buf.getInt();
          case "u4" -> buf.getInt() & 0xffffffffL;
          case "i2" -> buf.getShort();
          case "u2" -> buf.getShort() & 0xffff;
          case "i1" -> buf.get();
          default -> buf.get() & 0xff;
        };
      }
    }
    return out;
  }

  /** Writes a float64 .npy or a CSV file, chosen by the file extension. */
  public static void write(Path path, double[][] a) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      if (name.endsWith(".npy")) {
        Files.write(path, npyBytes(a));
      } else if (name.endsWith(".csv")) {
        StringBuilder sb = new StringBuilder();
        for (double[] row : a) {
          for (int k = 0; k < row.length; k++) {
            if (k > 0) {
              sb.append(',');
            }
            sb.append(row[k]);
          }
          sb.append('\n');
        }
        Files.writeString(path, sb);
      } else {
        throw new InvalidInputException(path + ": unsupported file type (expected .npy or .csv)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  static byte[] npyBytes(double[][] a) {
    int rows = a.length;
    int cols = rows == 0 ? 0 : a[0].length;
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols
        + "), }";
    // Header (magic + version + length + dict + newline) is padded to a multiple of 64 bytes.
    int unpadded = 10 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + rows * cols * 8)
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (double[] row : a) {
      if (row.length != cols) {
        throw new IllegalArgumentException("ragged array cannot be written as .npy");
      }
      for (double v : row) {
        buf.putDouble(v);
      }
    }
    return buf.array();
  }

  private static int[] parseShape(String s, Path path) {
    String[] parts = s.split(",");
    List<Integer> dims = new ArrayList<>();
    for (String p : parts) {
      if (!p.isBlank()) {
        try {
          dims.add(Integer.parseInt(p.strip()));
        } catch (NumberFormatException e) {
          throw new InvalidInputException(path + ": bad shape '(" + s + ")' in .npy header");
        }
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String group(Pattern p, String header, Path path, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new InvalidInputException(path + ": .npy header has no '" + key + "'");
    }
    return m.group(1);
  }

  private static byte[] readBytes(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(path + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException(path + ": cannot read (" + e.getMessage() + ")");
    }
  }

  private static List<String> readLines(Path path) {
    try {
      return Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(path + ": no such file");
    } catch (IOException e) {
      throw new InvalidInputException(path + ": cannot read (" + e.getMessage() + ")");
    }
  }
}
