/**
 * Benchmark harnesses behind {@code lav bench}: the alignment core, the encoder, the monitor
 * under load, and fault injection against a real broker. They report ratios against baselines
 * measured in the same run.
 */
package io.lavmonitor.bench;
