/**
 * Benchmarks from real footage: a real clip re-timed into recordings whose truth is exact, for
 * measuring alignment, cycle detection and the learned embedding outside the synthetic world,
 * and into detection recordings with anomalies made from the footage itself.
 */
package io.lavmonitor.footage;
