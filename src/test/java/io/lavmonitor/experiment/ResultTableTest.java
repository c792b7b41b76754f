package io.lavmonitor.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void marksTheBestInBoldAndTheSecondUnderlinedLeavingReferencesUnranked() {
    ResultTable t = new ResultTable("T");
    ResultTable.Column tau = new ResultTable.Column("ds", "kendall_tau", "tau");
    ResultTable.Column dist = new ResultTable.Column("ds", "mean_distance", "distance", false);
    t.column(tau);
    t.column(dist);
    t.add("A", tau, 0.5);
    t.add("A", tau, 0.7); // mean 0.6, sd 0.1414
    t.add("B", tau, 0.8);
    t.add("B", tau, 0.6); // mean 0.7: best
    t.add("C", tau, 0.1);
    t.add("C", tau, 0.3);
    t.add("Sup", tau, 0.99);
    t.add("A", dist, 1.0);
    t.reference("Sup");
    assertEquals(0.7, t.mean("B", tau), 1e-12);
    assertEquals(Math.sqrt(0.02), t.sd("A", tau), 1e-12);
    assertEquals(List.of("B", "A", "C"), t.ranking(tau));
    String md = t.markdown();
    assertTrue(md.contains("| B | **0.700 ± 0.141** |"), md);
    assertTrue(md.contains("| A | <u>0.600 ± 0.141</u> | 1.000 (1 of 2) |"), md);
    assertTrue(md.contains("| C | 0.200 ± 0.141 | - |"), md);
    assertTrue(md.contains("| Sup (reference) | 0.990 (1 of 2) | - |"), md);
    assertTrue(t.ranking(dist).isEmpty(), "a diagnostic column is not ranked");
  }

  @Test
  void aDivergedRunsStoredNanMeasuresReadBack(@org.junit.jupiter.api.io.TempDir
                                              java.nio.file.Path dir) throws Exception {
    ExperimentSettings s = new ExperimentSettings(io.lavmonitor.train.TrainingSpec.builder()
        .backbone("small").size(32).dim(8).framesPerVideo(6).stride(3).lr(1e-3)
        .cidmForm(io.lavmonitor.loss.TemporalRegularizer.Form.OFFICIAL).build(), 2, dir);
    RunExecutor exec = new RunExecutor(s);
    RunSpec spec = RunSpec.of("ds", io.lavmonitor.train.Method.TCC, 1);
    java.nio.file.Path f = exec.dir(spec, 5).resolve("result.json");
    java.nio.file.Files.createDirectories(f.getParent());
    java.nio.file.Files.writeString(f, "{\"steps\": 5, \"train_seconds\": 1.0, \"measures\": "
        + "{\"kendall_tau\": \"NaN\", \"cls@1.0\": 0.25}}");
    RunExecutor.Result r = exec.stored(spec, 5);
    assertTrue(Double.isNaN(r.measures().get("kendall_tau")));
    assertEquals(0.25, r.measures().get("cls@1.0"));
  }
}
