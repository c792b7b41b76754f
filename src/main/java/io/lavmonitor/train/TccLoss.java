package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/**
 * Temporal cycle-consistency with the cycle-back regression loss (Dwibedi et al., CVPR 2019,
 * Sec. 3.3, the variant with their best results). For each frame u_i of U: the soft nearest
 * neighbour in V, {@code v~ = sum_j softmax_j(-||u_i - v_j||^2 / T) v_j}; then the soft
 * distribution beta over U's frames around v~, its mean mu and variance sigma^2 of frame
 * positions; the loss {@code (t_i - mu)^2 / sigma^2 + lambda log sigma^2}. Averaged over the
 * frames of U (to V and back) and of V (to U and back).
 *
 * <p>Positions are frame indices divided by the video length, as TCC's code does by default.
 */
public final class TccLoss implements Objective {
  /** TCC's defaults: softmax temperature 0.1, variance weight 0.001. */
  public static final double TEMPERATURE = 0.1;
  public static final double VARIANCE_LAMBDA = 0.001;
  /** Keeps log sigma^2 finite when beta puts all its mass on one frame. */
  static final double MIN_VARIANCE = 1e-6;

  private final double temperature;
  private final double lambda;

  public TccLoss() {
    this(TEMPERATURE, VARIANCE_LAMBDA);
  }

  public TccLoss(double temperature, double lambda) {
    this.temperature = temperature;
    this.lambda = lambda;
  }

  @Override
  public NDArray loss(Sampled x, Sampled y, Random rnd) {
    NDArray tx = positions(x);
    NDArray ty = positions(y);
    return cycleBack(x.embeddings(), tx, y.embeddings())
        .add(cycleBack(y.embeddings(), ty, x.embeddings())).div(2);
  }

  /** The mean cycle-back regression loss of u's frames (at positions t) through v. */
  NDArray cycleBack(NDArray u, NDArray t, NDArray v) {
    NDArray alpha = SoftDtwLoss.costMatrix(u, v).div(-temperature).softmax(1);
    NDArray soft = alpha.matMul(v);                                      // (n, d)
    NDArray beta = SoftDtwLoss.costMatrix(soft, u).div(-temperature).softmax(1); // (n, n)
    NDArray mu = beta.matMul(t.reshape(-1, 1)).reshape(-1);             // (n)
    NDArray spread = t.reshape(1, -1).sub(mu.reshape(-1, 1)).pow(2);     // (t_k - mu_i)^2
    NDArray variance = beta.mul(spread).sum(new int[] {1}).maximum(MIN_VARIANCE);
    NDArray err = t.sub(mu).pow(2);
    return err.div(variance).add(variance.log().mul(lambda)).mean();
  }

  private static NDArray positions(Sampled s) {
    NDManager m = s.embeddings().getManager();
    double[] p = new double[s.frames().length];
    for (int i = 0; i < p.length; i++) {
      p[i] = s.frames()[i] / (double) Math.max(1, s.length());
    }
    return Heads.owned(m, p, s.embeddings().getDataType());
  }
}
