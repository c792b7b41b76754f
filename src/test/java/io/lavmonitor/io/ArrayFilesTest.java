package io.lavmonitor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrayFilesTest {
  @TempDir
  Path dir;

  /** Writes a .npy file the way NumPy does, independently of ArrayFiles' writer. */
  static byte[] npy(String descr, String shape, ByteOrder order, Object values) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int pad = 64 - (10 + dict.length() + 1) % 64;
    String header = dict + " ".repeat(pad % 64) + "\n";
    ByteBuffer data;
    if (values instanceof float[] f) {
      data = ByteBuffer.allocate(f.length * 4).order(order);
      for (float v : f) {
        data.putFloat(v);
      }
    } else if (values instanceof long[] l) {
      data = ByteBuffer.allocate(l.length * 8).order(order);
      for (long v : l) {
        data.putLong(v);
      }
    } else {
      double[] d = (double[]) values;
      data = ByteBuffer.allocate(d.length * 8).order(order);
      for (double v : d) {
        data.putDouble(v);
      }
    }
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.capacity())
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
    b.put(data.array());
    return b.array();
  }

  @Test
  void readsFloat32AndFloat64AndIntegerNpy() throws Exception {
    Path f4 = dir.resolve("a.npy");
    Files.write(f4, npy("<f4", "(2, 3)", ByteOrder.LITTLE_ENDIAN,
        new float[] {1.5f, -2f, 3f, 4f, 5f, 6.25f}));
    assertArrayEquals(new double[][] {{1.5, -2, 3}, {4, 5, 6.25}}, ArrayFiles.read(f4));

    Path f8be = dir.resolve("b.npy");
    Files.write(f8be, npy(">f8", "(1, 2)", ByteOrder.BIG_ENDIAN, new double[] {0.1, -7}));
    assertArrayEquals(new double[][] {{0.1, -7}}, ArrayFiles.read(f8be));

    Path i8 = dir.resolve("c.npy");
    Files.write(i8, npy("<i8", "(3,)", ByteOrder.LITTLE_ENDIAN, new long[] {0, 2, 1}));
    assertArrayEquals(new double[][] {{0}, {2}, {1}}, ArrayFiles.read(i8));
  }

  @Test
  void writesNpyAndCsvThatReadBack() {
    double[][] a = {{1.0, 2.5e-7, -3.0}, {Math.PI, 0, 1e10}};
    for (String name : new String[] {"x.npy", "x.csv"}) {
      Path p = dir.resolve(name);
      ArrayFiles.write(p, a);
      double[][] back = ArrayFiles.read(p);
      for (int i = 0; i < a.length; i++) {
        assertArrayEquals(a[i], back[i], 0.0, name);
      }
    }
  }

  @Test
  void readsCsvWithoutHeaderAndSkipsBlankLines() throws Exception {
    Path p = dir.resolve("s.csv");
    Files.writeString(p, "1, 2\n\n3,4.5\n");
    assertArrayEquals(new double[][] {{1, 2}, {3, 4.5}}, ArrayFiles.read(p));
  }

  @Test
  void errorsNameTheFileAndTheProblem() throws Exception {
    Path ragged = dir.resolve("ragged.csv");
    Files.writeString(ragged, "1,2\n3\n");
    assertMessage(ragged, "line 2 has 1 values, expected 2");

    Path header = dir.resolve("header.csv");
    Files.writeString(header, "a,b\n1,2\n");
    assertMessage(header, "line 1, column 1: 'a' is not a number");

    Path bad = dir.resolve("bad.npy");
    Files.writeString(bad, "not numpy");
    assertMessage(bad, "not a NumPy .npy file");

    Path truncated = dir.resolve("trunc.npy");
    byte[] full = npy("<f8", "(4, 4)", ByteOrder.LITTLE_ENDIAN, new double[16]);
    Files.write(truncated, Arrays.copyOf(full, full.length - 8));
    assertMessage(truncated, "truncated data");

    Path cube = dir.resolve("cube.npy");
    Files.write(cube, npy("<f8", "(1, 1, 2)", ByteOrder.LITTLE_ENDIAN, new double[2]));
    assertMessage(cube, "expected a 2-D array");

    Path complex = dir.resolve("complex.npy");
    Files.write(complex, npy("<c16", "(1, 1)", ByteOrder.LITTLE_ENDIAN, new double[2]));
    assertMessage(complex, "unsupported dtype '<c16'");

    assertMessage(dir.resolve("missing.npy"), "no such file");
    assertMessage(dir.resolve("x.txt"), "unsupported file type");

    Path nan = dir.resolve("nan.csv");
    Files.writeString(nan, "1,NaN\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ArrayFiles.readSequence(nan));
    assertTrue(e.getMessage().contains("non-finite value NaN at row 0, column 1"), e.getMessage());
  }

  private static void assertMessage(Path p, String expected) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ArrayFiles.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void labelsFromJsonArraysObjectsAndNpy() throws Exception {
    Path ints = dir.resolve("l1.json");
    Files.writeString(ints, "[0, 0, 1, 2]");
    assertArrayEquals(new int[] {0, 0, 1, 2}, PhaseLabels.read(ints).labels());

    Path names = dir.resolve("l2.json");
    Files.writeString(names, "[\"pick\", \"pick\", \"fasten\", \"pick\"]");
    PhaseLabels p = PhaseLabels.read(names);
    assertArrayEquals(new int[] {0, 0, 1, 0}, p.labels());
    assertEquals(java.util.List.of("pick", "fasten"), p.names());

    Path file = dir.resolve("l3.json");
    Files.writeString(file, "{\"video\": \"v1\", \"phases\": [\"a\", \"b\"], "
        + "\"frame_labels\": [0, 1, 1]}");
    PhaseLabels f = PhaseLabels.read(file);
    assertArrayEquals(new int[] {0, 1, 1}, f.labels());
    assertEquals(java.util.List.of("a", "b"), f.names());

    Path npy = dir.resolve("l4.npy");
    Files.write(npy, npy("<i8", "(2,)", ByteOrder.LITTLE_ENDIAN, new long[] {3, 1}));
    assertArrayEquals(new int[] {3, 1}, PhaseLabels.read(npy).labels());

    Path broken = dir.resolve("l5.json");
    Files.writeString(broken, "[0, -1]");
    assertThrows(InvalidInputException.class, () -> PhaseLabels.read(broken));
    Path notJson = dir.resolve("l6.json");
    Files.writeString(notJson, "{oops");
    assertThrows(InvalidInputException.class, () -> PhaseLabels.read(notJson));
  }
}
