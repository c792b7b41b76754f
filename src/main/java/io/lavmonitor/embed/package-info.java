/**
 * The LAV encoder (backbone, context frames, 3D convolutions, 128-d unit embeddings) as DJL
 * blocks, its backbones and weights, and embedding of whole videos and of live streams.
 */
package io.lavmonitor.embed;
