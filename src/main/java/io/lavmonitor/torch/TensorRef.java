package io.lavmonitor.torch;

/** A tensor as the pickle describes it: a view (offset, size, stride) of a storage. */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}
