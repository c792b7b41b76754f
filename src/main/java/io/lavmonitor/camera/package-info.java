/** The camera agent: frames from a file, stream or device, as JPEG envelopes to Kafka. */
package io.lavmonitor.camera;
