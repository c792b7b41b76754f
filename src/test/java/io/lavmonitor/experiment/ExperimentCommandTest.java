package io.lavmonitor.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.lavmonitor.cli.LavCommandTest.lav;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lavmonitor.cli.LavCommandTest.Run;
import io.lavmonitor.synth.SynthGenerator;
import io.lavmonitor.synth.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lav experiment} end to end on a small synthetic dataset with real libtorch: every
 * method trains and is measured, the tables and figures are written, and a second invocation
 * (or another experiment sharing runs) reuses finished runs instead of training again.
 */
class ExperimentCommandTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void generate() throws Exception {
    SynthGenerator.generate(dir.resolve("press"), new SynthGenerator.Options(Task.PRESS, 6, 3,
        0.34, 0, 32, 8, false, 1), n -> { });
  }

  static String[] args(String kind, String... more) {
    List<String> a = new ArrayList<>(List.of("experiment", kind, "--data",
        dir.resolve("press").toString(), "--seeds", "0", "--size", "32", "--frames", "6",
        "--stride", "3", "--episodes", "2", "--work", dir.resolve("work").toString(), "--out",
        dir.resolve("out").toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void compareTrainsEveryMethodWritesTablesAndResumes() throws Exception {
    Run r = lav(args("compare", "--steps", "2"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("11 runs (0 finished earlier), 2 training steps"), r.out());
    Path folder = dir.resolve("out/compare").resolve(Experiment.today());
    String md = Files.readString(folder.resolve("results.md"));
    for (String row : new String[] {"| LAV |", "| LAV + TCC |", "| TCC |", "| TCN |", "| SAL |",
        "| Supervised (reference) |", "| Random features |", "| Raw pixels |"}) {
      assertEquals(3, md.split(java.util.regex.Pattern.quote(row), -1).length - 1,
          row + " in tables 2, 3 and 4:\n" + md);
    }
    assertTrue(md.contains("**"), "a best value is marked");
    for (String png : new String[] {"distance-matrix-sdtw.png", "distance-matrix-sdtw_cidm.png",
        "few-shot-press.png"}) {
      assertTrue(Files.size(folder.resolve(png)) > 1000, png);
    }
    JsonNode json = new ObjectMapper().readTree(folder.resolve("results.json").toFile());
    assertEquals(11, json.get("runs").size());
    assertEquals(2, json.get("steps_per_run").asInt());
    assertTrue(json.get("environment").has("cores"));
    for (JsonNode run : json.get("runs")) {
      String method = run.get("method").asText();
      boolean trains = !method.equals("random") && !method.equals("pixels");
      assertEquals(trains ? 2 : 0, run.get("steps").asInt(), run.toString());
      double tau = run.get("measures").get("kendall_tau").asDouble();
      assertTrue(tau >= -1 && tau <= 1, run.toString());
    }
    // The supervised reference is trained once per label fraction.
    assertEquals(3, countRuns(json, "supervised"));

    List<FileTime> before = resultTimes();
    Run again = lav(args("compare", "--steps", "2"));
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("11 runs (11 finished earlier)"), again.out());
    assertEquals(before, resultTimes(), "no run was redone");

    Run few = lav(args("few-shot", "--steps", "2"));
    assertEquals(0, few.code(), few.err());
    assertTrue(few.out().contains("8 runs (8 finished earlier)"), few.out());
    String fmd = Files.readString(dir.resolve("out/few-shot").resolve(Experiment.today())
        .resolve("results.md"));
    assertTrue(fmd.contains("| TCN |") && !fmd.contains("Supervised"), fmd);

    // One method alone: its runs only (here finished earlier), and a table with its rows.
    Run floor = lav(args("compare", "--steps", "2", "--methods", "pixels"));
    assertEquals(0, floor.code(), floor.err());
    assertTrue(floor.out().contains("1 runs (1 finished earlier)"), floor.out());
    assertNotEquals(0, lav(args("compare", "--steps", "2", "--methods", "simclr")).code());

    // Another step count is another experiment: only random features and pixels (no steps)
    // carry over.
    Run other = lav(args("compare", "--steps", "3"));
    assertEquals(0, other.code(), other.err());
    assertTrue(other.out().contains("11 runs (2 finished earlier), 3 training steps"),
        other.out());
  }

  private static int countRuns(JsonNode json, String method) {
    int n = 0;
    for (JsonNode run : json.get("runs")) {
      n += run.get("method").asText().equals(method) ? 1 : 0;
    }
    return n;
  }

  private static List<FileTime> resultTimes() throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("work"))) {
      List<FileTime> out = new ArrayList<>();
      for (Path p : s.filter(p -> p.getFileName().toString().equals("result.json")).sorted()
          .toList()) {
        out.add(Files.getLastModifiedTime(p));
      }
      return out;
    }
  }

  @Test
  void aBudgetTooSmallForTheRunsIsAClearError() {
    Run r = lav(args("ablation", "--budget-minutes", "0.05"));
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("budget of 0.1 minutes leaves fewer than 10 steps"), r.err());
  }
}
