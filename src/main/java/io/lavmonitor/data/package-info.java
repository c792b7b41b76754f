/** Labelled datasets: videos, per-frame phase labels, splits, and label formats. */
package io.lavmonitor.data;
