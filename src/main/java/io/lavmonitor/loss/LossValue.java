package io.lavmonitor.loss;

/** A loss value and its gradient with respect to one embedded sequence (rows = frames). */
public record LossValue(double value, double[][] grad) {}
