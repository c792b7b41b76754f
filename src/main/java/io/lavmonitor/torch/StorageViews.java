package io.lavmonitor.torch;

import io.lavmonitor.io.InvalidInputException;
import java.nio.ByteBuffer;

/**
 * Materialises a tensor from its storage: torch tensors are views (storage offset, size,
 * stride) into flat storages that several tensors may share, so every view is bounds-checked
 * against its storage and gathered into a row-major float array.
 */
final class StorageViews {
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private StorageViews() {}

  /** The elements of {@code t} from {@code data}, the bytes of its storage. */
  static Tensor materialise(String name, TensorRef t, ByteBuffer data) {
    long[] size = t.size();
    long[] stride = t.stride();
    if (size.length != stride.length) {
      throw bad(name, "size " + dims(size) + " and stride " + dims(stride) + " differ in rank");
    }
    StorageRef s = t.storage();
    long numel = 1;
    long last = t.offset();
    try {
      for (int d = 0; d < size.length; d++) {
        if (size[d] < 0 || stride[d] < 0) {
          throw bad(name, "negative size or stride " + dims(size) + " / " + dims(stride));
        }
        numel = Math.multiplyExact(numel, size[d]);
        if (size[d] > 0) {
          last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
        }
      }
    } catch (ArithmeticException e) {
      throw bad(name, "size " + dims(size) + " overflows");
    }
    if (numel > MAX_ELEMENTS) {
      throw bad(name, numel + " elements, more than one array holds");
    }
    float[] values = new float[(int) numel];
    if (numel == 0) {
      return new Tensor(s.dtype(), size.clone(), values);
    }
    if (t.offset() < 0 || last >= s.numel()
        || (last + 1) * s.dtype().bytes() > data.capacity()) {
      throw bad(name, "view (offset " + t.offset() + ", size " + dims(size) + ", stride "
          + dims(stride) + ") reaches past its storage data/" + s.key() + " of " + s.numel()
          + " elements (" + data.capacity() + " bytes)");
    }
    gather(s.dtype(), data, t.offset(), size, stride, values);
    return new Tensor(s.dtype(), size.clone(), values);
  }

  /** Row-major walk over the view, carrying the storage index along. */
  private static void gather(DType dtype, ByteBuffer data, long offset, long[] size,
                             long[] stride, float[] out) {
    int rank = size.length;
    long[] idx = new long[rank];
    long at = offset;
    for (int i = 0; i < out.length; i++) {
      out[i] = dtype.read(data, (int) at);
      for (int d = rank - 1; d >= 0; d--) {
        idx[d]++;
        at += stride[d];
        if (idx[d] < size[d]) {
          break;
        }
        at -= stride[d] * size[d];
        idx[d] = 0;
      }
    }
  }

  private static String dims(long[] v) {
    return java.util.Arrays.toString(v);
  }

  private static InvalidInputException bad(String name, String what) {
    return new InvalidInputException("tensor '" + name + "': " + what);
  }
}
