/**
 * Benchmarks from real footage: a real clip re-timed into recordings whose truth is exact, for
 * measuring alignment, cycle detection and the learned embedding outside the synthetic world.
 */
package io.lavmonitor.footage;
