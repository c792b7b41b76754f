package io.lavmonitor.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.io.InvalidInputException;
import io.lavmonitor.wire.ReferenceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps that may be left out or done in any order: declared in a reference's label file,
 * checked against its phases, carried by the reference record, absent from older files.
 */
class StepRulesTest {
  static final List<String> PHASES = List.of("a", "b", "c", "d");

  @TempDir
  Path dir;

  @Test
  void rulesAreCheckedAgainstThePhases() {
    assertNull(new StepRules(List.of("b"), List.of(List.of("c", "d"))).problem(PHASES));
    assertEquals(8, new StepRules(List.of("a", "b"), List.of(List.of("c", "d"))).orders());
    assertTrue(new StepRules(List.of("x"), null).problem(PHASES).contains("'x'"));
    assertTrue(new StepRules(List.of("b", "b"), null).problem(PHASES).contains("twice"));
    assertTrue(new StepRules(null, List.of(List.of("c"))).problem(PHASES).contains("two"));
    assertTrue(new StepRules(null, List.of(List.of("a", "b"), List.of("b", "c")))
        .problem(PHASES).contains("more than one"));
    assertTrue(new StepRules(null, List.of(List.of("a", "z"))).problem(PHASES)
        .contains("'z'"));
    // An unordered step must be one run of frames in the reference; an optional one need not.
    int[] twice = {0, 1, 1, 2, 1, 3};
    assertTrue(new StepRules(null, List.of(List.of("b", "c"))).problem(PHASES, twice)
        .contains("2 runs"));
    assertNull(new StepRules(List.of("b"), null).problem(PHASES, twice));
    assertTrue(new StepRules(List.of("b"), null).problem(null, null).contains("labelled"));
    List<String> many = List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6");
    assertTrue(new StepRules(many, null).problem(many).contains("64 orders"));
    assertTrue(new StepRules(null, List.of(List.of("p0", "p1", "p2", "p3", "p4")))
        .problem(many).contains("64 orders"), "5! = 120 orders");
  }

  @Test
  void labelFilesCarryTheRulesAndOlderFilesHaveNone() throws Exception {
    Path f = dir.resolve("ref.json");
    Files.writeString(f, "{\"video\": \"ref.mp4\", \"fps\": 10, \"num_frames\": 4, "
        + "\"phases\": [\"a\", \"b\", \"c\", \"d\"], \"frame_labels\": [0, 1, 2, 3], "
        + "\"steps\": {\"optional\": [\"b\"], \"unordered\": [[\"c\", \"d\"]]}}");
    VideoLabels l = VideoLabels.read(f);
    assertEquals(List.of("b"), l.stepRules().optional());
    assertEquals(List.of(List.of("c", "d")), l.stepRules().unordered());
    Path back = dir.resolve("back.json");
    l.write(back);
    assertEquals(l.stepRules(), VideoLabels.read(back).stepRules());
    // A file without steps, as earlier versions wrote: none, and none written.
    VideoLabels plain = l.withSteps(null);
    plain.write(back);
    assertTrue(plain.stepRules().isEmpty());
    assertTrue(!Files.readString(back).contains("steps"), Files.readString(back));
    // A rule naming no phase is refused, with the file and the reason.
    Files.writeString(f, Files.readString(f).replace("[\"b\"]", "[\"e\"]"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> VideoLabels.read(f));
    assertTrue(e.getMessage().contains("'e'"), e.getMessage());
  }

  @Test
  void theReferenceRecordCarriesTheRules() {
    StepRules rules = new StepRules(List.of("b"), List.of(List.of("c", "d")));
    double[][] emb = {{1, 0}, {0, 1}, {1, 0}, {0, 1}};
    ReferenceRecord r = ReferenceRecord.of("st1", "m1", 10, PHASES, new int[] {0, 1, 2, 3},
        emb, List.of(), rules);
    assertEquals(rules, ReferenceRecord.parse(r.toBytes()).stepRules());
    ReferenceRecord plain = ReferenceRecord.of("st1", "m1", 10, PHASES,
        new int[] {0, 1, 2, 3}, emb, List.of());
    assertTrue(!new String(plain.toBytes()).contains("steps"));
    assertTrue(ReferenceRecord.parse(plain.toBytes()).stepRules().isEmpty());
    String bad = new String(r.toBytes()).replace("[[\"c\"", "[[\"x\"");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReferenceRecord.parse(bad.getBytes()));
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
  }
}
