/**
 * What the monitor knows about each station: the validated catalog of references and model
 * updates, the loaded models, references built and re-embedded, and model preparation off the
 * stream threads.
 */
package io.lavmonitor.station;
