/** The synthetic workstation recordings with exact labels and injected anomalies. */
package io.lavmonitor.synth;
