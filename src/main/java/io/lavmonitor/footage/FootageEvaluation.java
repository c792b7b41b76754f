package io.lavmonitor.footage;

import io.lavmonitor.align.Cost;
import io.lavmonitor.align.Dtw;
import io.lavmonitor.align.Reference;
import io.lavmonitor.align.StreamingAligner;
import io.lavmonitor.data.Dataset;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.eval.EmbeddedVideo;
import io.lavmonitor.eval.Measures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The measures of one set of features on a footage benchmark, as a user of the monitor meets
 * them: each validation recording aligned against the reference in cycle mode (mean position
 * error in reference frames, of the soft and of the hard position, and of offline hard
 * open-end DTW on the same features), the stream's cycles found in continuous mode (boundary
 * precision and recall within a tolerance), and Kendall's tau and AP@5 on the validation split.
 */
public final class FootageEvaluation {
  /** Frames a detected cycle boundary may be off and still count. */
  public static final int TOLERANCE = 3;

  private FootageEvaluation() {}

  /**
   * Runs every measure.
   *
   * @param cycle the aligner settings for cycle mode
   * @param continuous the aligner settings for the stream; null to skip the stream
   */
  public static Map<String, Object> run(Path data, Features f, StreamingAligner.Config cycle,
                                        StreamingAligner.Config continuous) throws Exception {
    Dataset ds = Dataset.open(data);
    Path refVideo = only(data.resolve("reference"), ".mp4");
    double[][] ref = f.reference(refVideo.toString());
    int m = ref.length;
    Reference reference = Reference.unlabelled(ref);
    double soft = 0;
    double hard = 0;
    double offline = 0;
    long frames = 0;
    List<EmbeddedVideo> val = new ArrayList<>();
    for (Dataset.Entry e : ds.val()) {
      double[][] q = f.recording(e.video().toString());
      FootageGenerator.Truth truth = FootageGenerator.Truth.read(data.resolve("truth/"
          + e.name() + ".json"));
      StreamingAligner a = new StreamingAligner(reference, cycle);
      int[] dtw = Dtw.openEndPositions(Cost.SQEUCLIDEAN.matrix(q, ref), q.length, m);
      for (int t = 0; t < q.length; t++) {
        StreamingAligner.Step s = a.push(q[t]);
        double truthPos = truth.positions()[t];
        soft += Math.abs(s.position() - truthPos);
        hard += Math.abs(s.index() - truthPos);
        offline += Math.abs(dtw[t] - truthPos);
        frames++;
      }
      val.add(new EmbeddedVideo(e.name(), q, e.labels()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("features", f.name());
    out.put("reference_frames", m);
    out.put("position_error_soft", soft / frames);
    out.put("position_error_hard", hard / frames);
    out.put("position_error_offline_dtw", offline / frames);
    if (continuous != null) {
      out.putAll(stream(data, f, reference, continuous));
    }
    out.put("kendalls_tau", Measures.kendallsTau(val, 1));
    out.put("ap_at_5", Measures.apAtK(val, 5, false));
    return out;
  }

  /** Continuous mode over the stream: its cycles against the truth's. */
  static Map<String, Object> stream(Path data, Features f, Reference reference,
                                    StreamingAligner.Config config) throws Exception {
    Path video = only(data.resolve("stream"), ".mp4");
    String name = video.getFileName().toString().replace(".mp4", "");
    FootageGenerator.Truth truth = FootageGenerator.Truth.read(data.resolve("truth/" + name
        + ".json"));
    double[][] q = f.recording(video.toString());
    StreamingAligner a = new StreamingAligner(reference, config);
    List<int[]> found = new ArrayList<>();
    for (double[] row : q) {
      StreamingAligner.Step s = a.push(row);
      if (s.completed() != null) {
        found.add(new int[] {(int) s.completed().start(), (int) s.completed().end()});
      }
    }
    int matched = 0;
    boolean[] used = new boolean[found.size()];
    for (VideoLabels.Span c : truth.cycles()) {
      for (int i = 0; i < found.size(); i++) {
        if (!used[i] && Math.abs(found.get(i)[0] - c.start()) <= TOLERANCE
            && Math.abs(found.get(i)[1] - c.end()) <= TOLERANCE) {
          used[i] = true;
          matched++;
          break;
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stream_cycles", truth.cycles().size());
    out.put("stream_cycles_reported", found.size());
    out.put("stream_cycles_within_tolerance", matched);
    out.put("boundary_precision", found.isEmpty() ? 0.0 : (double) matched / found.size());
    out.put("boundary_recall", (double) matched / truth.cycles().size());
    return out;
  }

  static Path only(Path dir, String ext) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(ext)).findFirst().orElseThrow(
          () -> new IllegalStateException("no " + ext + " in " + dir));
    }
  }
}
