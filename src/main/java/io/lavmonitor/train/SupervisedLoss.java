package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.lavmonitor.io.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The paper's supervised reference: the encoder with a one-layer phase classifier on top,
 * trained with cross-entropy on the sampled frames' phase labels. Only labelled videos are
 * trained on; which videos carry labels (the label fraction) is the caller's choice.
 */
public final class SupervisedLoss implements Objective {
  private final NDArray weight;
  private final NDArray bias;

  public SupervisedLoss(NDManager manager, int dim, int phases, Random rnd, DataType type) {
    this.weight = Heads.weight(manager, phases, dim, rnd, type);
    this.bias = Heads.bias(manager, phases, type);
  }

  @Override
  public Map<String, NDArray> heads() {
    Map<String, NDArray> h = new LinkedHashMap<>();
    h.put("supervised.weight", weight);
    h.put("supervised.bias", bias);
    return h;
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  @Override
  public NDArray loss(Sampled x, Sampled y, Random rnd) {
    return video(x).add(video(y)).div(2);
  }

  NDArray video(Sampled s) {
    if (s.labels() == null) {
      throw new InvalidInputException("supervised training got a video without labels");
    }
    int[] targets = new int[s.frames().length];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = s.labels()[s.frames()[i]];
    }
    NDArray logits = s.embeddings().matMul(weight.transpose()).add(bias);
    return Heads.crossEntropy(logits, targets);
  }
}
