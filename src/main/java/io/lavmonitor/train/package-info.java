/**
 * Training: the pair sampler and step, LAV's and the baselines' objectives, runs with
 * checkpoints and validation, and retraining rounds on archived cycles.
 */
package io.lavmonitor.train;
