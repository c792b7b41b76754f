package io.lavmonitor.torch;

import io.lavmonitor.io.InvalidInputException;
import java.nio.ByteBuffer;

/**
 * The element types of torch storages that state dicts hold, named after the storage classes
 * {@code torch.save} pickles ({@code torch.FloatStorage} ...), read as float.
 */
public enum DType {
  FLOAT32("FloatStorage", 4, true),
  FLOAT16("HalfStorage", 2, true),
  BFLOAT16("BFloat16Storage", 2, true),
  FLOAT64("DoubleStorage", 8, true),
  INT64("LongStorage", 8, false),
  INT32("IntStorage", 4, false),
  UINT8("ByteStorage", 1, false);

  private final String storage;
  private final int bytes;
  private final boolean floatingPoint;

  DType(String storage, int bytes, boolean floatingPoint) {
    this.storage = storage;
    this.bytes = bytes;
    this.floatingPoint = floatingPoint;
  }

  /** The type of a storage class of module {@code torch}, or null for one this reader lacks. */
  static DType ofStorage(String className) {
    for (DType t : values()) {
      if (t.storage.equals(className)) {
        return t;
      }
    }
    return null;
  }

  /** The storage class's name in module {@code torch}. */
  String storageClass() {
    return storage;
  }

  /** Bytes an element takes. */
  public int bytes() {
    return bytes;
  }

  /** Whether weights can be of this type (integer tensors such as counters are not). */
  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** Element {@code index} of a storage (the buffer's byte order is the file's). */
  float read(ByteBuffer b, int index) {
    int at = index * bytes;
    return switch (this) {
      case FLOAT32 -> b.getFloat(at);
      case FLOAT16 -> halfToFloat(b.getShort(at));
      case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
      case FLOAT64 -> (float) b.getDouble(at);
      case INT64 -> (float) b.getLong(at);
      case INT32 -> (float) b.getInt(at);
      case UINT8 -> (float) (b.get(at) & 0xff);
    };
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      // Zero or subnormal: mant * 2^-24.
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  static InvalidInputException unknown(String className) {
    return new InvalidInputException("storage type torch." + className + " is not supported "
        + "(supported: float32, float16, bfloat16, float64, int64, int32, uint8)");
  }
}
