/**
 * One camera's engine, free of Kafka: the order contract of its agent, the live aligner and
 * its reference, the cycle tracker and anomaly rules, the normal-cycle profile it shares with
 * its station's cameras, the running cycle's live view, and the small, versioned state it keeps
 * between frames. The monitor runs it per camera; a replay can run it over a recording.
 */
package io.lavmonitor.engine;
