package io.lavmonitor.torch;

import io.lavmonitor.io.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a state dict written by {@code torch.save} (the zip format of PyTorch 1.6 and later:
 * {@code <archive>/data.pkl}, {@code <archive>/data/<key>} raw storages, optional
 * {@code <archive>/byteorder}) into named float tensors, so that users' torchvision weights
 * load without Python. The pickle goes through {@link Unpickler}, which runs no code.
 */
public final class StateDictReader {
  private static final int MAX_PICKLE = 256 << 20;
  /** The magic number the legacy (pre-1.6) format pickles first, as LONG1 bytes. */
  private static final byte[] LEGACY_MAGIC = {(byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc,
      (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

  private StateDictReader() {}

  /**
   * Whether a file is a {@code torch.save} file rather than, say, DJL parameters: a zip with a
   * {@code data.pkl} entry, or the legacy format (which {@link #read} then refuses clearly).
   */
  public static boolean looksLikeTorchSave(Path file) {
    byte[] head = head(file);
    if (isLegacy(head)) {
      return true;
    }
    if (!isZip(head)) {
      return false;
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.stream().anyMatch(e -> e.getName().endsWith("data.pkl"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The tensors of a state dict by name, in the file's order. Nested dicts (a checkpoint's
   * {@code "state_dict"}) are flattened with dotted names; values that are not tensors (numbers,
   * strings, a state dict's {@code _metadata}) are left out.
   */
  public static Map<String, Tensor> read(Path file) {
    byte[] head = head(file);
    if (isLegacy(head)) {
      throw new InvalidInputException(file + ": a torch.save file in the legacy format of "
          + "PyTorch before 1.6, which is not read here; re-save it with a recent torch: "
          + "python3 -c \"import torch; torch.save(torch.load('" + file.getFileName()
          + "', map_location='cpu'), 'resaved.pth')\"");
    }
    if (!isZip(head)) {
      throw new InvalidInputException(file + ": not a torch.save file (not a zip archive)");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      String prefix = archivePrefix(zip);
      ByteOrder order = byteOrder(zip, prefix);
      Object root = Unpickler.load(bytes(zip, prefix + "data.pkl", MAX_PICKLE));
      if (!(root instanceof Map<?, ?> dict)) {
        throw new InvalidInputException("data.pkl holds no dict of tensors");
      }
      Map<String, TensorRef> refs = new LinkedHashMap<>();
      flatten("", dict, refs);
      return materialise(zip, prefix, order, refs);
    } catch (ZipException e) {
      throw new InvalidInputException(file + ": not a readable zip (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")");
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ": " + e.getMessage());
    }
  }

  private static void flatten(String prefix, Map<?, ?> dict, Map<String, TensorRef> out) {
    for (Map.Entry<?, ?> e : dict.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        continue;
      }
      String name = prefix + key;
      if (e.getValue() instanceof TensorRef t) {
        if (out.put(name, t) != null) {
          throw new InvalidInputException("tensor name '" + name + "' appears twice");
        }
      } else if (e.getValue() instanceof Map<?, ?> inner) {
        flatten(name + ".", inner, out);
      }
    }
  }

  private static Map<String, Tensor> materialise(ZipFile zip, String prefix, ByteOrder order,
                                                 Map<String, TensorRef> refs)
      throws IOException {
    // Read each storage once, and let it go after its last view.
    Map<String, Integer> views = new HashMap<>();
    refs.values().forEach(t -> views.merge(t.storage().key(), 1, Integer::sum));
    Map<String, ByteBuffer> open = new HashMap<>();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
      String key = e.getValue().storage().key();
      ByteBuffer data = open.get(key);
      if (data == null) {
        data = ByteBuffer.wrap(bytes(zip, prefix + "data/" + key, Integer.MAX_VALUE - 8))
            .order(order);
        open.put(key, data);
      }
      out.put(e.getKey(), StorageViews.materialise(e.getKey(), e.getValue(), data));
      if (views.merge(key, -1, Integer::sum) == 0) {
        open.remove(key);
      }
    }
    return out;
  }

  /** The archive folder, {@code name/}, that holds data.pkl; a TorchScript file is told apart. */
  private static String archivePrefix(ZipFile zip) {
    String found = null;
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      String n = en.nextElement().getName();
      int slash = n.indexOf('/');
      if (n.endsWith("/data.pkl") && slash == n.length() - "/data.pkl".length()) {
        if (found != null) {
          throw new InvalidInputException("more than one data.pkl (" + found + "data.pkl, "
              + n + ")");
        }
        found = n.substring(0, slash + 1);
      }
    }
    if (found == null) {
      throw new InvalidInputException("a zip without <archive>/data.pkl: not a torch.save file");
    }
    if (zip.getEntry(found + "constants.pkl") != null) {
      throw new InvalidInputException("a TorchScript archive (torch.jit.save), not a state "
          + "dict: save the weights with torch.save(model.state_dict(), 'weights.pth')");
    }
    return found;
  }

  private static ByteOrder byteOrder(ZipFile zip, String prefix) throws IOException {
    if (zip.getEntry(prefix + "byteorder") == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    String s = new String(bytes(zip, prefix + "byteorder", 16), StandardCharsets.US_ASCII)
        .trim();
    return switch (s) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default -> throw new InvalidInputException("byteorder '" + s + "' (expected little or big)");
    };
  }

  private static byte[] bytes(ZipFile zip, String name, int max) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new InvalidInputException("entry " + name + " is missing");
    }
    if (e.getSize() > max) {
      throw new InvalidInputException("entry " + name + " is " + e.getSize()
          + " bytes, more than " + max);
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] b = in.readNBytes(max);
      if (in.read() != -1) {
        throw new InvalidInputException("entry " + name + " is more than " + max + " bytes");
      }
      return b;
    }
  }

  private static byte[] head(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(16);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": no such weights file");
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  private static boolean isZip(byte[] head) {
    return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
  }

  private static boolean isLegacy(byte[] head) {
    return head.length >= 2 + LEGACY_MAGIC.length && (head[0] & 0xff) == 0x80
        && Arrays.equals(head, 2, 2 + LEGACY_MAGIC.length, LEGACY_MAGIC, 0, LEGACY_MAGIC.length);
  }
}
