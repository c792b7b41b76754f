package io.lavmonitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lavmonitor.align.SoftDtw;
import io.lavmonitor.bench.SyntheticStreams;
import io.lavmonitor.io.ArrayFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the command line in-process, as a user would, and checks outputs and exit codes. */
public class LavCommandTest {
  @TempDir
  Path dir;

  /** What a command printed and returned. */
  public record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return Json.MAPPER.readTree(out);
    }
  }

  /** Runs {@code lav args} in this JVM, capturing its output. */
  public static Run lav(String... args) {
    CommandLine cl = LavCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelpThatRendersCleanly() {
    List<List<String>> commands = new ArrayList<>();
    collectCommands(LavCommand.newCommandLine(), new ArrayList<>(), commands);
    assertTrue(commands.size() > 20, "commands found: " + commands);
    PrintStream stderr = System.err;
    ByteArrayOutputStream traced = new ByteArrayOutputStream();
    try {
      // picocli reports a description it cannot format (a bare %) on System.err, not on the
      // command line's writer.
      System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
      for (List<String> cmd : commands) {
        List<String> args = new ArrayList<>(cmd);
        args.add("--help");
        Run r = lav(args.toArray(String[]::new));
        String name = String.join(" ", args);
        assertEquals(0, r.code(), name);
        assertTrue(r.out().contains("Usage: lav " + String.join(" ", cmd)), name + ": " + r.out());
        assertFalse(r.out().contains("${DEFAULT-VALUE}"), name);
        String warnings = traced.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), name + ": " + warnings);
      }
    } finally {
      System.setErr(stderr);
    }
  }

  /** Every command under {@code cl}, as the words a user types to reach it. */
  private static void collectCommands(CommandLine cl, List<String> path,
      List<List<String>> into) {
    into.add(List.copyOf(path));
    for (var sub : new TreeMap<>(cl.getSubcommands()).entrySet()) {
      if (sub.getValue().getCommandSpec().name().equals(sub.getKey())) {
        path.add(sub.getKey());
        collectCommands(sub.getValue(), path, into);
        path.remove(path.size() - 1);
      }
    }
  }

  @Test
  void usageErrorsExitWithTwoAndOneLine() {
    Run r = lav("sdtw", "--x", "a.npy", "--y", "b.npy", "--bogus");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("lav sdtw: Unknown option: '--bogus'"), r.err());
    assertEquals(2, r.err().lines().count(), "message and a hint: " + r.err());
    assertEquals(2, lav("nosuchcommand").code());
    assertEquals(2, lav().code());
  }

  @Test
  void runtimeErrorsExitWithOneAndNoStackTraceUnlessVerbose() {
    Run r = lav("sdtw", "--x", dir.resolve("missing.npy").toString(), "--y", "b.csv");
    assertEquals(1, r.code());
    assertEquals("lav sdtw: error: " + dir.resolve("missing.npy") + ": no such file",
        r.err().strip());
    Run v = lav("--verbose", "sdtw", "--x", dir.resolve("missing.npy").toString(), "--y", "b");
    assertEquals(1, v.code());
    assertTrue(v.err().contains("at io.lavmonitor.io.ArrayFiles"), v.err());
  }

  @Test
  void sdtwPrintsPublishedValueForNpyAndCsvInputs() throws Exception {
    Path x = dir.resolve("x.npy");
    Path y = dir.resolve("y.csv");
    ArrayFiles.write(x, new double[10][8]);
    double[][] ones = new double[12][8];
    for (double[] row : ones) {
      java.util.Arrays.fill(row, 1.0);
    }
    ArrayFiles.write(y, ones);
    Run r = lav("sdtw", "--x", x.toString(), "--y", y.toString(), "--gamma", "1");
    assertEquals(0, r.code(), r.err());
    JsonNode j = r.json();
    assertEquals(91.9806137, j.get("value").asDouble(), 5e-6);
    assertEquals(96.0, j.get("dtw").asDouble(), 1e-12); // 12 path cells at cost 8
    assertEquals(12, j.get("path").size());
    assertFalse(j.has("gradX"));
  }

  @Test
  void sdtwGradientsHaveTheInputShapesAndMatchTheLibrary() throws Exception {
    Random rnd = new Random(1);
    double[][] xs = new double[4][3];
    double[][] ys = new double[5][3];
    for (double[][] a : new double[][][] {xs, ys}) {
      for (double[] row : a) {
        for (int k = 0; k < 3; k++) {
          row[k] = rnd.nextGaussian();
        }
      }
    }
    Path x = dir.resolve("gx.csv");
    Path y = dir.resolve("gy.npy");
    ArrayFiles.write(x, xs);
    ArrayFiles.write(y, ys);
    Run r = lav("sdtw", "--x", x.toString(), "--y", y.toString(), "--gamma", "0.5", "--grad",
        "--band", "2", "--cost", "cosine");
    assertEquals(0, r.code(), r.err());
    JsonNode j = r.json();
    assertEquals(4, j.get("gradX").size());
    assertEquals(3, j.get("gradX").get(0).size());
    assertEquals(5, j.get("gradY").size());
    SoftDtw.Gradient g = new SoftDtw(0.5, new io.lavmonitor.align.Band(2))
        .gradient(xs, ys, io.lavmonitor.align.Cost.COSINE);
    assertEquals(g.value(), j.get("value").asDouble(), 1e-12);
    assertEquals(g.gradY()[4][2], j.get("gradY").get(4).get(2).asDouble(), 1e-12);
  }

  @Test
  void alignWritesCsvJsonAndPlot() throws Exception {
    SyntheticStreams synth = new SyntheticStreams(8, 2);
    Path ref = dir.resolve("ref.npy");
    ArrayFiles.write(ref, synth.reference(20));
    Path labels = dir.resolve("labels.json");
    Files.writeString(labels, "{\"phases\": [\"pick\", \"place\"], \"frame_labels\": "
        + "[0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,1]}");
    Path q = dir.resolve("q.csv");
    ArrayFiles.write(q, synth.cycle(30, u -> u, 0.01, new Random(3)).toArray(new double[0][]));
    Path csv = dir.resolve("frames.csv");
    Path png = dir.resolve("align.png");
    Run r = lav("align", "--reference", ref.toString(), "--query", q.toString(),
        "--reference-labels", labels.toString(), "--out", csv.toString(), "--plot",
        png.toString());
    assertEquals(0, r.code(), r.err());
    List<String> rows = Files.readAllLines(csv);
    assertEquals("frame,position,progress,phase,local_cost,cost,confidence", rows.get(0));
    assertEquals(31, rows.size());
    assertTrue(rows.get(1).startsWith("0,") && rows.get(1).contains(",pick,"), rows.get(1));
    assertTrue(rows.get(30).startsWith("29,") && rows.get(30).contains(",place,"), rows.get(30));
    BufferedImage img = ImageIO.read(png.toFile());
    assertTrue(img.getWidth() > 500 && img.getHeight() > 300);

    Run j = lav("align", "--reference", ref.toString(), "--query", q.toString(), "--json");
    assertEquals(0, j.code(), j.err());
    JsonNode frames = j.json().get("frames");
    assertEquals(30, frames.size());
    assertEquals(1.0, frames.get(29).get("progress").asDouble(), 0.05);
    assertTrue(frames.get(0).get("phase").isNull());
    assertFalse(j.json().has("cycles"));
  }

  @Test
  void alignListsCyclesInContinuousMode() throws Exception {
    SyntheticStreams synth = new SyntheticStreams(8, 2);
    Random rnd = new Random(4);
    List<double[]> stream = new ArrayList<>(synth.idle(10, 0.01, rnd));
    stream.addAll(synth.cycle(25, u -> u, 0.01, rnd));
    stream.addAll(synth.idle(12, 0.01, rnd));
    stream.addAll(synth.cycle(30, u -> u * u, 0.01, rnd));
    stream.addAll(synth.idle(30, 0.01, rnd));
    Path ref = dir.resolve("ref.csv");
    ArrayFiles.write(ref, synth.reference(20));
    Path q = dir.resolve("stream.npy");
    ArrayFiles.write(q, stream.toArray(new double[0][]));
    Run r = lav("align", "--reference", ref.toString(), "--query", q.toString(), "--mode",
        "continuous", "--threshold", "0.2", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode cycles = r.json().get("cycles");
    assertEquals(2, cycles.size(), cycles.toString());
    assertEquals(10, cycles.get(0).get("start").asInt(), 1);
    assertEquals(34, cycles.get(0).get("end").asInt(), 1);
    // The second cycle begins at rest (progress u^2): its first frames all show the reference's
    // first frame, and the slope pattern starts a cycle at the last of them.
    int start = cycles.get(1).get("start").asInt();
    assertTrue(start >= 46 && start <= 53, "start " + start);
    assertEquals(76, cycles.get(1).get("end").asInt(), 1);

    // With no threshold given, the calibrated one finds the same two cycles.
    Run auto = lav("align", "--reference", ref.toString(), "--query", q.toString(), "--mode",
        "continuous", "--json");
    assertEquals(0, auto.code(), auto.err());
    JsonNode found = auto.json().get("cycles");
    assertEquals(2, found.size(), found.toString());
    assertEquals(10, found.get(0).get("start").asInt(), 3);
    assertEquals(34, found.get(0).get("end").asInt(), 3);
    assertEquals(76, found.get(1).get("end").asInt(), 3);

    Run bad = lav("align", "--reference", ref.toString(), "--query", q.toString(), "--mode",
        "sideways");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("unknown mode 'sideways'"), bad.err());
  }

  @Test
  void alignRejectsMismatchedDimensions() throws Exception {
    Path ref = dir.resolve("r.csv");
    Path q = dir.resolve("q.csv");
    ArrayFiles.write(ref, new double[][] {{1, 2}, {3, 4}});
    ArrayFiles.write(q, new double[][] {{1, 2, 3}});
    Run r = lav("align", "--reference", ref.toString(), "--query", q.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("dimension mismatch"), r.err());
  }

  @Test
  void benchCommandsPrintTheirFigures() throws Exception {
    Run s = lav("bench", "sdtw", "--n", "32", "--m", "24", "--d", "8", "--repeat", "3", "--json");
    assertEquals(0, s.code(), s.err());
    assertTrue(s.json().get("ns_per_cell").asDouble() > 0);
    assertEquals(1e9 / s.json().get("ns_per_cell").asDouble(),
        s.json().get("cells_per_s").asDouble(), 1e-3);
    Run t = lav("bench", "stream", "--m", "16", "--d", "8", "--frames", "200",
        "--recompute-frames", "20", "--json");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.json().get("us_per_frame").asDouble() > 0);
    assertTrue(t.json().get("speedup_vs_recompute").asDouble() > 0);
    Run e = lav("bench", "embed", "--size", "32", "--batch", "4", "--frames", "8", "--json");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.json().get("frames_per_s").asDouble() > 0);
  }

  @Test
  void synthInfoAndSheetWorkTogether() throws Exception {
    Path ds = dir.resolve("ds");
    Run synth = lav("synth", "--out", ds.toString(), "--task", "pour", "--videos", "2",
        "--seed", "3", "--size", "64", "--fps", "10", "--anomaly-rate", "1", "--json");
    assertEquals(0, synth.code(), synth.err());
    assertEquals(2, synth.json().get("videos").asInt());
    assertTrue(synth.json().get("frames_per_s").asDouble() > 0);
    String video = ds.resolve("videos/pour_0000.mp4").toString();
    Run info = lav("info", video, "--count", "--json");
    assertEquals(0, info.code(), info.err());
    JsonNode labels = Json.MAPPER.readTree(ds.resolve("labels/pour_0000.json").toFile());
    assertEquals(labels.get("num_frames").asInt(), info.json().get("decoded").asInt());
    assertEquals(labels.get("num_frames").asInt(), info.json().get("frames").asInt());
    assertEquals("mpeg4", info.json().get("codec").asText());
    Path png = dir.resolve("sheet.png");
    Run sheet = lav("sheet", video, "--labels", ds.resolve("labels/pour_0000.json").toString(),
        "--out", png.toString(), "--frames", "8", "--columns", "4");
    assertEquals(0, sheet.code(), sheet.err());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(800, img.getWidth());

    Run missing = lav("info", dir.resolve("nope.mp4").toString());
    assertEquals(1, missing.code());
    assertEquals("lav info: error: " + dir.resolve("nope.mp4") + ": no such file",
        missing.err().strip());
    Run badTask = lav("synth", "--out", ds.toString(), "--task", "weld");
    assertEquals(1, badTask.code());
    assertTrue(badTask.err().contains("unknown task 'weld'"), badTask.err());
  }

  @Test
  void evaluateRandomEmbeddingsOfASynthDatasetAtChanceLevel() throws Exception {
    Path ds = dir.resolve("ds");
    assertEquals(0, lav("synth", "--out", ds.toString(), "--task", "press", "--videos", "8",
        "--seed", "1", "--size", "48", "--fps", "10").code());
    // Random 8-d embeddings for every video: the measures must sit at chance.
    Random rnd = new Random(2);
    for (String name : new String[] {"press_0000", "press_0001", "press_0002", "press_0003",
        "press_0004", "press_0005", "press_0006", "press_0007"}) {
      int n = Json.MAPPER.readTree(ds.resolve("labels/" + name + ".json").toFile())
          .get("num_frames").asInt();
      double[][] emb = new double[n][8];
      for (double[] row : emb) {
        for (int k = 0; k < 8; k++) {
          row[k] = rnd.nextGaussian();
        }
      }
      ArrayFiles.write(dir.resolve("emb/" + name + ".npy"), emb);
    }
    Path report = dir.resolve("report.md");
    Path plots = dir.resolve("plots");
    Run r = lav("evaluate", "--embeddings", dir.resolve("emb").toString(), "--labels",
        ds.resolve("labels").toString(), "--episodes", "5", "--plots", plots.toString(),
        "--report", report.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = r.json();
    assertEquals(6, j.get("videos").get("train").asInt());
    assertEquals(2, j.get("videos").get("val").asInt());
    assertEquals(0.0, j.get("kendall_tau").asDouble(), 0.15);
    assertTrue(j.get("classification").get("1.0").asDouble() < 0.6);
    assertTrue(j.get("few_shot").has("5") && !j.get("few_shot").has("10"), j.toString());
    assertTrue(Files.readString(report).contains("| Kendall's tau |"));
    for (String png : new String[] {"few_shot.png", "self_distance.png", "cross_distance.png"}) {
      assertTrue(ImageIO.read(plots.resolve(png).toFile()).getWidth() > 400, png);
    }
  }

  @Test
  void embedWritesFilesThatEvaluateReads() throws Exception {
    Path ds = dir.resolve("ds");
    assertEquals(0, lav("synth", "--out", ds.toString(), "--task", "assembly", "--videos", "4",
        "--seed", "2", "--size", "48", "--fps", "8").code());
    Path emb = dir.resolve("emb");
    Run e = lav("embed", "--data", ds.toString(), "--out", emb.toString(), "--size", "48",
        "--dim", "16", "--batch", "8");
    assertEquals(0, e.code(), e.err());
    JsonNode labels = Json.MAPPER.readTree(ds.resolve("labels/assembly_0000.json").toFile());
    double[][] rows = ArrayFiles.read(emb.resolve("assembly_0000.npy"));
    assertEquals(labels.get("num_frames").asInt(), rows.length);
    assertEquals(16, rows[0].length);
    Run ev = lav("evaluate", "--embeddings", emb.toString(), "--labels",
        ds.resolve("labels").toString(), "--episodes", "2", "--plots",
        dir.resolve("p").toString(), "--json");
    assertEquals(0, ev.code(), ev.err());
    Run one = lav("embed", "--video", ds.resolve("videos/assembly_0001.mp4").toString(), "--out",
        dir.resolve("one.csv").toString(), "--size", "48", "--dim", "16");
    assertEquals(0, one.code(), one.err());
    assertEquals(1, lav("embed", "--out", "x").code(), "needs --video or --data");
  }

  @Test
  void trainAddsAModelThatModelsAndEmbedUse() throws Exception {
    Path ds = dir.resolve("ds");
    assertEquals(0, lav("synth", "--out", ds.toString(), "--task", "pour", "--videos", "5",
        "--seed", "2", "--size", "32", "--fps", "8", "--val-fraction", "0.4").code());
    Path store = dir.resolve("models");
    Run t = lav("train", "--data", ds.toString(), "--out", store.toString(), "--steps", "3",
        "--size", "32", "--dim", "8", "--frames", "6", "--stride", "3", "--promote");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().contains("promoted"), t.out());

    Run list = lav("models", "list", "--store", store.toString(), "--json");
    assertEquals(0, list.code(), list.err());
    JsonNode models = list.json().get("models");
    assertEquals(1, models.size());
    String id = models.get(0).get("id").asText();
    assertEquals(id, list.json().get("promoted").get("default").asText());
    JsonNode card = models.get(0);
    assertEquals("small", card.get("backbone").asText());
    assertEquals(32, card.get("input_size").asInt());
    assertEquals(8, card.get("embedding_dim").asInt());
    assertEquals(3, card.get("training").get("steps").asInt());
    // The C-IDM window comes from the data when not given, and the card says why.
    JsonNode tr = card.get("training");
    String why = tr.get("sigma_reason").asText();
    int median = Integer.parseInt(why.replaceAll(".*\\((\\d+) frames\\).*", "$1"));
    assertEquals(Math.max(1, Math.round(0.05 * median)), tr.get("sigma").asDouble(), 1e-9, why);
    assertTrue(tr.get("context_stride_reason").asText().startsWith("given"), tr.toString());
    assertEquals(64, card.get("data").get("fingerprint").asText().length());
    // Two validation videos: the measures are in the card.
    assertTrue(card.get("metrics").has("kendall_tau"), card.toString());
    // And both floors, measured on the same videos; each one the model is below is said.
    JsonNode floors = card.get("training").get("floors");
    assertTrue(floors.get("pixels").has("kendall_tau"), floors.toString());
    assertTrue(floors.get("untrained").has("kendall_tau"), floors.toString());
    for (JsonNode w : floors.get("warnings")) {
      assertTrue(t.out().contains("WARNING: this model is " + w.asText()), t.out());
    }
    Path version = store.resolve(id);
    List<String> log = Files.readAllLines(version.resolve("training.csv"));
    assertEquals("step,loss,seconds", log.get(0));
    assertEquals(4, log.size());
    assertTrue(ImageIO.read(version.resolve("loss.png").toFile()).getWidth() >= 700);

    // Baselines go through the same command into the same store, saying what they are.
    Run sup = lav("train", "--data", ds.toString(), "--out", store.toString(), "--steps", "2",
        "--size", "32", "--dim", "8", "--frames", "6", "--stride", "3", "--method", "supervised",
        "--label-fraction", "0.5");
    assertEquals(0, sup.code(), sup.err());
    Run rnd = lav("train", "--data", ds.toString(), "--out", store.toString(), "--size", "32",
        "--dim", "8", "--method", "random");
    assertEquals(0, rnd.code(), rnd.err());
    JsonNode all = lav("models", "list", "--store", store.toString(), "--json").json()
        .get("models");
    assertEquals(3, all.size());
    java.util.Map<String, JsonNode> byMethod = new java.util.HashMap<>();
    all.forEach(m -> byMethod.put(m.get("training").get("method").asText(), m.get("training")));
    assertEquals(0.5, byMethod.get("supervised").get("label_fraction").asDouble());
    assertEquals(2, byMethod.get("supervised").get("steps").asInt());
    assertEquals(0, byMethod.get("random").get("steps").asInt());
    // The untrained network is its own floor: never below it.
    for (JsonNode w : byMethod.get("random").get("floors").get("warnings")) {
      assertFalse(w.asText().contains("untrained"), w.asText());
    }
    assertEquals(3, byMethod.get("lav").get("steps").asInt());

    Run show = lav("models", "show", "--store", store.toString(), id);
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("\"weights_sha256\""), show.out());
    assertEquals(0, lav("models", "verify", "--store", store.toString()).code());

    // The store (its promoted default) and the version folder both embed, with the card's size.
    Run e = lav("embed", "--video", ds.resolve("videos/pour_0000.mp4").toString(), "--out",
        dir.resolve("e.npy").toString(), "--model", store.toString());
    assertEquals(0, e.code(), e.err());
    assertEquals(8, ArrayFiles.read(dir.resolve("e.npy"))[0].length);

    // A damaged weights file is refused by verify, embed and promote, naming the problem.
    byte[] w = Files.readAllBytes(version.resolve("encoder.params"));
    w[w.length - 3] ^= 0x55;
    Files.write(version.resolve("encoder.params"), w);
    Run verify = lav("models", "verify", "--store", store.toString());
    assertEquals(1, verify.code());
    assertTrue(verify.out().contains("FAILED") && verify.out().contains("sha256"), verify.out());
    Run bad = lav("embed", "--video", ds.resolve("videos/pour_0000.mp4").toString(), "--out",
        dir.resolve("e2.npy").toString(), "--model", version.toString());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("failed verification"), bad.err());
    assertEquals(1, lav("models", "promote", "--store", store.toString(), id).code());
    assertEquals(1, lav("models", "show", "--store", store.toString(), "nope").code());
  }

  @Test
  void trainRefusesBadOptionsWithOneLine() throws Exception {
    Path ds = dir.resolve("ds");
    assertEquals(0, lav("synth", "--out", ds.toString(), "--task", "pour", "--videos", "2",
        "--seed", "2", "--size", "32", "--fps", "8", "--val-fraction", "0").code());
    Run both = lav("train", "--data", ds.toString(), "--out", "m", "--steps", "2", "--epochs",
        "1");
    assertEquals(1, both.code());
    assertTrue(both.err().contains("not both"), both.err());
    Run method = lav("train", "--data", ds.toString(), "--out", "m", "--method", "simclr");
    assertEquals(1, method.code());
    assertTrue(method.err().contains("unknown method 'simclr'"), method.err());
    Run fraction = lav("train", "--data", ds.toString(), "--out", "m", "--method", "supervised",
        "--label-fraction", "0");
    assertEquals(1, fraction.code());
    assertTrue(fraction.err().contains("--label-fraction must be in (0, 1]"), fraction.err());
    Run device = lav("train", "--data", ds.toString(), "--out", "m", "--device", "tpu");
    assertEquals(1, device.code());
    assertTrue(device.err().contains("unknown device 'tpu'"), device.err());
    Run resume = lav("train", "--data", ds.toString(), "--out", dir.resolve("m").toString(),
        "--resume", "--size", "32");
    assertEquals(1, resume.code());
    assertTrue(resume.err().contains("no checkpoint to resume"), resume.err());
  }

  @Test
  void trainerReportsBadSchedulesAndArchivesInOneLine() throws Exception {
    Run every = lav("trainer", "--models", dir.resolve("m").toString(), "--archive",
        dir.toString(), "--every", "5x");
    assertEquals(1, every.code());
    assertTrue(every.err().contains("expected a period such as 90s"), every.err());
    Run both = lav("trainer", "--models", dir.resolve("m").toString(), "--archive",
        dir.toString(), "--archive-topic");
    assertEquals(1, both.code());
    assertTrue(both.err().contains("give one archive"), both.err());
    // A missing archive is a failed round, reported as JSON, and exit code 1.
    Run missing = lav("trainer", "--models", dir.resolve("m").toString(), "--archive",
        dir.resolve("nope").toString(), "--once");
    assertEquals(1, missing.code());
    JsonNode report = missing.json();
    assertEquals("failed", report.get("status").asText());
    assertTrue(report.get("reason").asText().contains("nope"), report.toString());
  }
}
