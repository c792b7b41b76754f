package io.lavmonitor.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test-only writer of files in {@code torch.save}'s zip layout, for shapes too large to ship
 * as fixtures (a whole torchvision resnet50) and for hand-made broken or hostile pickles. It
 * writes what torch 1.13 writes for a state dict (pickle protocol 2, stored entries); the
 * golden files made by real PyTorch are in the test resources.
 */
public final class TorchZipWriter {
  private record Entry(String name, String key, long offset, long[] shape, long[] stride) {}

  private final Map<String, byte[]> storages = new LinkedHashMap<>();
  private final Map<String, String> storageTypes = new LinkedHashMap<>();
  private final Map<String, Long> numels = new LinkedHashMap<>();
  private final List<Entry> entries = new ArrayList<>();

  /** A float32 storage. */
  public TorchZipWriter storage(String key, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return raw(key, "FloatStorage", values.length, b.array());
  }

  /** An int64 storage. */
  public TorchZipWriter longStorage(String key, long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return raw(key, "LongStorage", values.length, b.array());
  }

  /** A storage of any class with the given bytes (which may disagree with numel, on purpose). */
  public TorchZipWriter raw(String key, String storageClass, long numel, byte[] bytes) {
    storages.put(key, bytes);
    storageTypes.put(key, storageClass);
    numels.put(key, numel);
    return this;
  }

  /** A tensor viewing a storage. */
  public TorchZipWriter view(String name, String key, long offset, long[] shape, long[] stride) {
    entries.add(new Entry(name, key, offset, shape.clone(), stride.clone()));
    return this;
  }

  /** A contiguous view from offset 0. */
  public TorchZipWriter view(String name, String key, long[] shape) {
    return view(name, key, 0, shape, contiguous(shape));
  }

  /** A float32 tensor with a storage of its own. */
  public TorchZipWriter tensor(String name, long[] shape, float[] values) {
    String key = String.valueOf(storages.size());
    storage(key, values);
    return view(name, key, shape);
  }

  /** Row-major strides of a shape. */
  public static long[] contiguous(long[] shape) {
    long[] stride = new long[shape.length];
    long s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      stride[d] = s;
      s *= shape[d];
    }
    return stride;
  }

  /** Writes the state dict as {@code archive/data.pkl} and {@code archive/data/<key>}. */
  public void write(Path file) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("archive/data.pkl", pickle());
    files.put("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    storages.forEach((k, v) -> files.put("archive/data/" + k, v));
    files.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    zip(file, files);
  }

  /** A zip of stored entries, as torch writes them. */
  public static void zip(Path file, Map<String, byte[]> files) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
         ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        ZipEntry e = new ZipEntry(f.getKey());
        e.setMethod(ZipEntry.STORED);
        e.setSize(f.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(f.getValue());
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(f.getValue());
        zip.closeEntry();
      }
    }
  }

  /** The pickle: OrderedDict of _rebuild_tensor_v2 calls, protocol 2, no memo. */
  public byte[] pickle() {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80);
    p.write(2);
    global(p, "collections", "OrderedDict");
    p.write(')');
    p.write('R');
    p.write('(');
    for (Entry e : entries) {
      string(p, e.name());
      global(p, "torch._utils", "_rebuild_tensor_v2");
      p.write('(');
      p.write('(');
      string(p, "storage");
      global(p, "torch", storageTypes.get(e.key()));
      string(p, e.key());
      string(p, "cpu");
      integer(p, numels.get(e.key()));
      p.write('t');
      p.write('Q');
      integer(p, e.offset());
      tuple(p, e.shape());
      tuple(p, e.stride());
      p.write(0x89);
      global(p, "collections", "OrderedDict");
      p.write(')');
      p.write('R');
      p.write('t');
      p.write('R');
    }
    p.write('u');
    p.write('.');
    return p.toByteArray();
  }

  private static void global(ByteArrayOutputStream p, String module, String name) {
    p.write('c');
    p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** BINUNICODE. */
  public static void string(ByteArrayOutputStream p, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.write('X');
    p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    p.writeBytes(b);
  }

  /** BININT1, BININT or LONG1, as pickle picks. */
  private static void integer(ByteArrayOutputStream p, long v) {
    if (v >= 0 && v < 256) {
      p.write('K');
      p.write((int) v);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      p.write('J');
      p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v)
          .array());
    } else {
      p.write(0x8a);
      p.write(8);
      p.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }
  }

  private static void tuple(ByteArrayOutputStream p, long[] v) {
    p.write('(');
    for (long x : v) {
      integer(p, x);
    }
    p.write('t');
  }
}
