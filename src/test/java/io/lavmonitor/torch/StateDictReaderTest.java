package io.lavmonitor.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.io.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on state dicts written by real PyTorch 1.13 (make-fixtures.py next to them says
 * how; every value is by formula and recomputed here), and on broken or hostile files.
 */
class StateDictReaderTest {
  @TempDir
  Path dir;

  private Path resource(String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/io/lavmonitor/torch/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  private static float[] formula(int n, java.util.function.IntToDoubleFunction f) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) f.applyAsDouble(i);
    }
    return v;
  }

  private static void check(Map<String, Tensor> sd, String name, DType dtype, long[] shape,
                            float[] values) {
    Tensor t = sd.get(name);
    assertEquals(dtype, t.dtype(), name);
    assertArrayEquals(shape, t.shape(), name);
    assertArrayEquals(values, t.values(), 0f, name);
  }

  @Test
  void readsWhatTorchSaveWroteWithProtocol2And4() throws Exception {
    for (String file : List.of("state-dict.pth", "state-dict-p4.pth")) {
      Path p = resource(file);
      assertTrue(StateDictReader.looksLikeTorchSave(p), file);
      Map<String, Tensor> sd = StateDictReader.read(p);
      assertEquals(List.of("float32.contiguous", "shared.base", "shared.offset",
          "shared.transposed", "half", "bfloat16", "double", "int32", "uint8",
          "bn.num_batches_tracked", "scalar", "empty", "deep.nested.module.weight", "parameter",
          "nested.inner.weight"), List.copyOf(sd.keySet()), file);
      check(sd, "float32.contiguous", DType.FLOAT32, new long[] {2, 3, 4},
          formula(24, i -> i * 0.25 - 1));
      check(sd, "shared.base", DType.FLOAT32, new long[] {12}, formula(12, i -> 100 + i));
      // base[5:11].view(2, 3): storage offset 5 into base's storage.
      check(sd, "shared.offset", DType.FLOAT32, new long[] {2, 3}, formula(6, i -> 105 + i));
      // base[:6].view(2, 3).t(): strides (1, 3), element [r][c] = base[c * 3 + r].
      check(sd, "shared.transposed", DType.FLOAT32, new long[] {3, 2},
          formula(6, i -> 100 + (i % 2) * 3 + i / 2));
      check(sd, "half", DType.FLOAT16, new long[] {2, 4}, formula(8, i -> i / 8.0));
      check(sd, "bfloat16", DType.BFLOAT16, new long[] {4}, formula(4, i -> 2 * i));
      check(sd, "double", DType.FLOAT64, new long[] {5}, formula(5, i -> i / 3.0));
      check(sd, "int32", DType.INT32, new long[] {3}, new float[] {-1, 0, 1});
      check(sd, "uint8", DType.UINT8, new long[] {3}, new float[] {0, 200, 255});
      check(sd, "bn.num_batches_tracked", DType.INT64, new long[0], new float[] {7});
      check(sd, "scalar", DType.FLOAT32, new long[0], new float[] {2.5f});
      check(sd, "empty", DType.FLOAT32, new long[] {0, 3}, new float[0]);
      check(sd, "deep.nested.module.weight", DType.FLOAT32, new long[] {1, 2, 2},
          formula(4, i -> i - 2));
      check(sd, "parameter", DType.FLOAT32, new long[] {2}, new float[] {0.75f, 0.75f});
      check(sd, "nested.inner.weight", DType.FLOAT32, new long[] {3}, formula(3, i -> -i));
      assertFalse(DType.INT64.isFloatingPoint());
    }
  }

  @Test
  void halfPrecisionConvertsExactly() {
    assertEquals(1f, DType.halfToFloat((short) 0x3c00));
    assertEquals(-2f, DType.halfToFloat((short) 0xc000));
    assertEquals(65504f, DType.halfToFloat((short) 0x7bff));
    assertEquals(0x1p-24f, DType.halfToFloat((short) 0x0001)); // smallest subnormal
    assertEquals(-0f, DType.halfToFloat((short) 0x8000));
    assertEquals(Float.POSITIVE_INFINITY, DType.halfToFloat((short) 0x7c00));
    assertTrue(Float.isNaN(DType.halfToFloat((short) 0x7e00)));
  }

  /** A torch zip whose data.pkl is the given bytes. */
  private Path withPickle(String name, byte[] pickle) throws Exception {
    Path p = dir.resolve(name);
    TorchZipWriter.zip(p, Map.of("archive/data.pkl", pickle));
    return p;
  }

  private static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String refusal(Path p) {
    return assertThrows(InvalidInputException.class, () -> StateDictReader.read(p))
        .getMessage();
  }

  @Test
  void refusesGlobalsAndOpcodesItDoesNotKnowAndRunsNothing() throws Exception {
    Path marker = dir.resolve("pwned");
    String cmd = "touch " + marker;
    ByteArrayOutputStream os = new ByteArrayOutputStream();
    os.writeBytes(bytes("\u0080\u0002cos\nsystem\n"));
    TorchZipWriter.string(os, cmd);
    os.writeBytes(bytes("\u0085R."));
    String m = refusal(withPickle("os-system.pth", os.toByteArray()));
    assertTrue(m.contains("refusing global os.system"), m);
    assertTrue(m.startsWith(dir.resolve("os-system.pth").toString()), m);
    assertFalse(Files.exists(marker));

    // Protocol 4's STACK_GLOBAL with builtins.eval.
    ByteArrayOutputStream eval = new ByteArrayOutputStream();
    eval.writeBytes(bytes("\u0080\u0004\u008c\u0008builtins\u0094\u008c\u0004eval\u0094\u0093"));
    TorchZipWriter.string(eval, "__import__('os').system('" + cmd + "')");
    eval.writeBytes(bytes("\u0085R."));
    m = refusal(withPickle("eval.pth", eval.toByteArray()));
    assertTrue(m.contains("refusing global builtins.eval"), m);
    assertFalse(Files.exists(marker));

    // torch's own unpickling helpers that run code or other unpicklers are refused too.
    m = refusal(withPickle("bytes.pth",
        bytes("\u0080\u0002ctorch.storage\n_load_from_bytes\nC\u0001x\u0085R.")));
    assertTrue(m.contains("refusing global torch.storage._load_from_bytes"), m);
    m = refusal(withPickle("module.pth", bytes("\u0080\u0002ctorchvision.models.resnet\n"
        + "ResNet\n)\u0081.")));
    assertTrue(m.contains("refusing global torchvision.models.resnet.ResNet"), m);
    m = refusal(withPickle("short.pth", bytes("\u0080\u0002ctorch\nShortStorage\n.")));
    assertTrue(m.contains("torch.ShortStorage is not supported"), m);

    // Opcodes outside the list: INST, OBJ, NEWOBJ, protocol 0's INT.
    m = refusal(withPickle("inst.pth", bytes("\u0080\u0002(ios\nsystem\n.")));
    assertTrue(m.contains("unsupported pickle opcode 0x69 ('i') at byte 3"), m);
    m = refusal(withPickle("int.pth", bytes("\u0080\u0002I42\n.")));
    assertTrue(m.contains("opcode 0x49 ('I')"), m);
    m = refusal(withPickle("newobj.pth", bytes("\u0080\u0002ccollections\nOrderedDict\n)"
        + "\u0081.")));
    assertTrue(m.contains("opcode 0x81 at byte"), m);
    // An allowed global may still not be called with anything.
    m = refusal(withPickle("call-storage.pth", bytes("\u0080\u0002ctorch\nFloatStorage\n)R.")));
    assertTrue(m.contains("REDUCE on torch.FloatStorage, which cannot be called"), m);
    assertFalse(Files.exists(marker));
  }

  @Test
  void refusesTruncatedGarbageAndLegacyFilesClearly() throws Exception {
    byte[] good;
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(
        resource("state-dict.pth").toFile())) {
      good = z.getInputStream(z.getEntry("state-dict/data.pkl")).readAllBytes();
    }
    String m = refusal(withPickle("truncated.pth", Arrays.copyOf(good, good.length / 2)));
    assertTrue(m.contains("truncated pickle"), m);
    m = refusal(withPickle("underflow.pth", bytes("\u0080\u0002R.")));
    assertTrue(m.contains("stack underflow"), m);
    m = refusal(withPickle("list.pth", bytes("\u0080\u0002].")));
    assertTrue(m.contains("holds no dict of tensors"), m);

    Path zipJunk = dir.resolve("junk.pth");
    Files.write(zipJunk, bytes("PK\u0003\u0004 this is not really a zip file at all"));
    m = refusal(zipJunk);
    assertTrue(m.contains("not a readable zip"), m);
    assertFalse(StateDictReader.looksLikeTorchSave(zipJunk));
    Path text = dir.resolve("text.pth");
    Files.writeString(text, "hello");
    assertTrue(refusal(text).contains("not a torch.save file (not a zip archive)"));
    Path other = dir.resolve("other.zip");
    TorchZipWriter.zip(other, Map.of("a/readme.txt", bytes("x")));
    assertFalse(StateDictReader.looksLikeTorchSave(other));
    assertTrue(refusal(other).contains("without <archive>/data.pkl"));
    Path script = dir.resolve("script.pt");
    TorchZipWriter.zip(script, Map.of("archive/data.pkl", bytes("\u0080\u0002}."),
        "archive/constants.pkl", bytes("\u0080\u0002)."), "archive/code/x.py", bytes("")));
    assertTrue(refusal(script).contains("a TorchScript archive"), refusal(script));

    // The legacy format starts with a pickled magic number.
    Path legacy = dir.resolve("old.pth");
    Files.write(legacy, bytes("\u0080\u0002\u008a\nl\u00fc\u009cF\u00f9 j\u00a8P\u0019.\u0080"
        + "\u0002M\u00e9\u0003."));
    assertTrue(StateDictReader.looksLikeTorchSave(legacy));
    m = refusal(legacy);
    assertTrue(m.contains("legacy format") && m.contains("torch.save(torch.load('old.pth'"), m);
    assertTrue(refusal(dir.resolve("absent.pth")).contains("no such weights file"));
  }

  @Test
  void checksEveryViewAgainstItsStorage() throws Exception {
    Path past = dir.resolve("past.pth");
    new TorchZipWriter().storage("0", new float[6])
        .view("w", "0", 2, new long[] {2, 3}, new long[] {3, 1}).write(past);
    String m = refusal(past);
    assertTrue(m.contains("tensor 'w': view (offset 2, size [2, 3], stride [3, 1]) reaches past "
        + "its storage data/0 of 6 elements"), m);
    // A storage entry shorter than the pickle says.
    Path shortData = dir.resolve("short-data.pth");
    new TorchZipWriter().raw("0", "FloatStorage", 6, new byte[8])
        .view("w", "0", new long[] {6}).write(shortData);
    assertTrue(refusal(shortData).contains("reaches past"), refusal(shortData));
    Path missing = dir.resolve("missing.pth");
    TorchZipWriter w = new TorchZipWriter().storage("0", new float[1]);
    w.view("w", "0", new long[] {1});
    TorchZipWriter.zip(missing, Map.of("archive/data.pkl", w.pickle()));
    assertTrue(refusal(missing).contains("entry archive/data/0 is missing"));
    // Non-contiguous views are gathered, and a big-endian file is read as such.
    Path big = dir.resolve("big.pth");
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24);
    for (int i = 0; i < 6; i++) {
      b.putFloat(i + 0.5f);
    }
    w = new TorchZipWriter().raw("0", "FloatStorage", 6, b.array())
        .view("t", "0", 1, new long[] {2, 2}, new long[] {1, 3});
    TorchZipWriter.zip(big, Map.of("archive/data.pkl", w.pickle(), "archive/data/0", b.array(),
        "archive/byteorder", bytes("big")));
    assertArrayEquals(new float[] {1.5f, 4.5f, 2.5f, 5.5f},
        StateDictReader.read(big).get("t").values());
  }
}
