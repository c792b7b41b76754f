package io.lavmonitor.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The {@code model.json} of one model version: what the encoder is, what it was trained on and
 * how, how well it did on held-out videos, and the sha256 of its weights.
 *
 * @param parent the model this one was warm-started from, or null
 * @param station the station it was trained for, or null for a general model
 * @param data fingerprint (sha256 over the training videos' names and bytes), video count, tasks
 * @param training loss name, steps, seed and hyperparameters
 * @param metrics validation measures (classification, progression, kendall_tau, ...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
    @JsonProperty("id") String id,
    @JsonProperty("created") String created,
    @JsonProperty("backbone") String backbone,
    @JsonProperty("input_size") int inputSize,
    @JsonProperty("context_frames") int contextFrames,
    @JsonProperty("context_stride") int contextStride,
    @JsonProperty("embedding_dim") int embeddingDim,
    @JsonProperty("weights") String weights,
    @JsonProperty("weights_sha256") String weightsSha256,
    @JsonProperty("parent") String parent,
    @JsonProperty("station") String station,
    @JsonProperty("data") Map<String, Object> data,
    @JsonProperty("training") Map<String, Object> training,
    @JsonProperty("metrics") Map<String, Double> metrics) {

  /** The weights file name inside a version folder. */
  public static final String WEIGHTS_FILE = "encoder.params";

  /** A copy with the store's fields (id, creation time, weights file and digest) filled in. */
  public ModelCard sealed(String newId, String createdAt, String sha256) {
    return new ModelCard(newId, createdAt, backbone, inputSize, contextFrames, contextStride,
        embeddingDim, WEIGHTS_FILE, sha256, parent, station, data, training, metrics);
  }

  /** A copy with other metrics. */
  public ModelCard withMetrics(Map<String, Double> newMetrics) {
    return new ModelCard(id, created, backbone, inputSize, contextFrames, contextStride,
        embeddingDim, weights, weightsSha256, parent, station, data, training, newMetrics);
  }

  /** A draft: the fields a trainer knows before the store seals it. */
  public static ModelCard draft(String backbone, int inputSize, int k, int stride, int dim,
                                String parent, String station, Map<String, Object> data,
                                Map<String, Object> training, Map<String, Double> metrics) {
    return new ModelCard(null, null, backbone, inputSize, k, stride, dim, null, null, parent,
        station, data, training, metrics);
  }
}
