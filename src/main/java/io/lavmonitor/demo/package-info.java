/** {@code lav demo}: a synthetic line with broker, cameras and monitor in one process. */
package io.lavmonitor.demo;
