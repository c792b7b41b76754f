package io.lavmonitor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.loss.LavLoss;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The training methods {@code lav train --method} offers: LAV and the paper's baselines, all on
 * the same encoder, data and sampler.
 */
public enum Method {
  LAV("lav", "soft-DTW alignment + temporal regulariser (this paper)"),
  LAV_TCC("lav+tcc", "the LAV loss plus TCC's cycle-back regression"),
  TCC("tcc", "temporal cycle-consistency, cycle-back regression (Dwibedi et al. 2019)"),
  TCN("tcn", "single-view time-contrastive network, n-pairs loss (Sermanet et al. 2018)"),
  SAL("sal", "shuffle and learn: frame-triplet order classification (Misra et al. 2016)"),
  SUPERVISED("supervised", "encoder + 1-layer phase classifier on labels (upper reference)"),
  RANDOM("random", "the untrained encoder (random initialisation), no training"),
  PIXELS("pixels", "raw downscaled grey frames, no encoder and no learning (the floor; "
      + "lav experiment only)");

  /** Shuffle-and-learn triplets per video and step. */
  static final int SAL_TRIPLETS = 20;

  private final String id;
  private final String description;

  Method(String id, String description) {
    this.id = id;
    this.description = description;
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** Whether the method trains on phase labels. */
  public boolean needsLabels() {
    return this == SUPERVISED;
  }

  /** Whether the method trains at all. */
  public boolean trains() {
    return this != RANDOM && this != PIXELS;
  }

  /** Whether the method yields an encoder (every method but the pixel baseline). */
  public boolean encodes() {
    return this != PIXELS;
  }

  public static Method parse(String s) {
    String k = s.toLowerCase(Locale.ROOT).replace(" ", "");
    for (Method m : values()) {
      if (m.id.equals(k)) {
        return m;
      }
    }
    throw new InvalidInputException("unknown method '" + s + "' (expected one of "
        + String.join(", ", java.util.Arrays.stream(values()).map(Method::id).toList()) + ")");
  }

  /**
   * The method's objective.
   *
   * @param lav the LAV loss (for LAV and LAV+TCC)
   * @param phases number of phase classes (supervised only)
   * @param seed fixes the heads' initial weights
   */
  public Objective objective(LavLoss lav, int dim, int phases, NDManager manager, long seed) {
    Random init = new Random(seed ^ 0x4A11L);
    return switch (this) {
      case LAV -> lavObjective(lav);
      case TCC -> new TccLoss();
      case LAV_TCC -> sum(lavObjective(lav), new TccLoss());
      case TCN -> new TcnLoss();
      case SAL -> new SalLoss(manager, dim, SAL_TRIPLETS, init, DataType.FLOAT32);
      case SUPERVISED -> {
        if (phases < 2) {
          throw new InvalidInputException("supervised training needs at least 2 phases");
        }
        yield new SupervisedLoss(manager, dim, phases, init, DataType.FLOAT32);
      }
      case RANDOM, PIXELS -> (x, y, rnd) -> {
        throw new IllegalStateException("the " + id + " method takes no training steps");
      };
    };
  }

  /** LAV's loss on the frames' positions in their videos. */
  static Objective lavObjective(LavLoss spec) {
    DjlLavLoss loss = new DjlLavLoss(spec);
    return (x, y, rnd) -> loss.loss(x.embeddings(), times(spec, x), x.length(), y.embeddings(),
        times(spec, y), y.length());
  }

  /**
   * The indices the regulariser weighs gaps with. The paper's Eq. 7 indexes the p sampled frames
   * 1..p (raw frame gaps of hundreds would give weights of 10^4 and drown the alignment term);
   * the authors' code uses the frames' positions in the video, divided by its length.
   */
  static double[] times(LavLoss spec, Objective.Sampled s) {
    boolean official = spec.regularizer() != null
        && spec.regularizer().form() == io.lavmonitor.loss.TemporalRegularizer.Form.OFFICIAL;
    double[] out = new double[s.frames().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = official ? s.frames()[i] : i;
    }
    return out;
  }

  /** The sum of two objectives that sample frames the default way. */
  static Objective sum(Objective a, Objective b) {
    return new Objective() {
      @Override
      public NDArray loss(Sampled x, Sampled y, Random rnd) {
        return a.loss(x, y, rnd).add(b.loss(x, y, rnd));
      }

      @Override
      public Map<String, NDArray> heads() {
        Map<String, NDArray> h = new LinkedHashMap<>(a.heads());
        h.putAll(b.heads());
        return h;
      }
    };
  }
}
