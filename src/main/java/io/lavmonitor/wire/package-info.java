/**
 * Every format on the wire, each with one owner: the topics with their serdes and settings,
 * the frame envelope, references, model updates, signals, the output events, archive frames
 * and dead letters.
 */
package io.lavmonitor.wire;
