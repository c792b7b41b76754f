/**
 * The monitor as a Kafka Streams application: the topology, the camera processor (frames and
 * signals per camera, over the engine), the station catalog's validator, dead letters, the
 * exception handlers, configuration and metrics.
 */
package io.lavmonitor.monitor;
