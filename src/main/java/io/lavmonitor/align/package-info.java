/**
 * The alignment core: frame costs, Soft-DTW with its gradients, hard DTW, the Sakoe-Chiba
 * band, and the streaming aligner that follows a live camera through a reference cycle one
 * frame at a time.
 */
package io.lavmonitor.align;
