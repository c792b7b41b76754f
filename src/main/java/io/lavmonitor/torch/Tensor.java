package io.lavmonitor.torch;

import java.util.Arrays;

/**
 * One tensor of a state dict, materialised: its element type in the file, its shape, and its
 * elements in row-major order converted to float (integer tensors too, for they are only ever
 * checked or ignored).
 */
public record Tensor(DType dtype, long[] shape, float[] values) {
  /** The shape as torch prints it, {@code [64, 3, 7, 7]}. */
  public String shapeString() {
    return Arrays.toString(shape);
  }
}
