/** Measures on frozen embeddings: phase classification, progression, Kendall's tau, AP@K. */
package io.lavmonitor.eval;
