/**
 * Video in: sources (files, image folders, streams, cameras), resampling, safe image decoding,
 * preprocessing and frame sampling.
 */
package io.lavmonitor.video;
