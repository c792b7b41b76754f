package io.lavmonitor.torch;

/** A storage a pickle refers to: {@code <archive>/data/<key>}, numel elements of dtype. */
record StorageRef(DType dtype, String key, String location, long numel) {}
