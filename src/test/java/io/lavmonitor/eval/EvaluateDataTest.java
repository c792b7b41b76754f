package io.lavmonitor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lavmonitor.data.Dataset;
import io.lavmonitor.data.VideoLabels;
import io.lavmonitor.io.ArrayFiles;
import io.lavmonitor.io.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateDataTest {
  @TempDir
  Path dir;

  private void video(String name, int frames, int embRows, int phases) {
    int[] l = new int[frames];
    for (int t = 0; t < frames; t++) {
      l[t] = Math.min(phases - 1, phases * t / frames);
    }
    VideoLabels.fromFrameLabels(name, 15, l, null).write(dir.resolve("labels/" + name + ".json"));
    ArrayFiles.write(dir.resolve("emb/" + name + ".npy"), new double[embRows][4]);
  }

  private InvalidInputException load() {
    return assertThrows(InvalidInputException.class,
        () -> EvalData.load(dir.resolve("emb"), dir.resolve("labels"), null));
  }

  @Test
  void loadsTheSplitAndRefusesBrokenInputsNamingTheVideo() throws Exception {
    video("a", 20, 20, 3);
    video("b", 20, 20, 3);
    Dataset.writeSplits(dir, new Dataset.Splits(List.of("a"), List.of("b")));
    EvalData d = EvalData.load(dir.resolve("emb"), dir.resolve("labels"), null);
    assertEquals(1, d.train().size());
    assertEquals("b", d.val().get(0).name());

    ArrayFiles.write(dir.resolve("emb/stray.csv"), new double[][] {{1}});
    assertTrue(load().getMessage().contains("'stray' has embeddings"));
    Files.delete(dir.resolve("emb/stray.csv"));

    video("c", 20, 19, 3);
    Dataset.writeSplits(dir, new Dataset.Splits(List.of("a", "c"), List.of("b")));
    assertTrue(load().getMessage().contains("video 'c': 19 embedding rows but 20 labelled"));

    Dataset.writeSplits(dir, new Dataset.Splits(List.of("a", "zzz"), List.of("b")));
    assertTrue(load().getMessage().contains("names video 'zzz'"));

    video("mono", 20, 20, 1);
    Dataset.writeSplits(dir, new Dataset.Splits(List.of("a"), List.of("mono")));
    assertTrue(load().getMessage().contains("val split has only one phase class"),
        load().getMessage());
  }
}
