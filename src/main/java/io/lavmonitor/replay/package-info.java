/**
 * The monitor's per-camera engine run offline over a recording ({@code lav replay}): the same
 * code path as the topology, its output records as JSON lines, for tuning on one's own footage
 * and for the detection benchmark.
 */
package io.lavmonitor.replay;
