package io.lavmonitor.engine;

import io.lavmonitor.data.StepRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The orders of the reference's frames that a station's step rules allow: every choice of
 * optional steps left out, times every order of each unordered group. Each order is a list of
 * reference frame indices (the reference's own order first), so a finished cycle can be aligned
 * against each without re-embedding anything: its cost matrix is the reference's, columns
 * picked and moved.
 */
final class StepOrders {
  private StepOrders() {}

  /**
   * The allowed orders of a reference of m frames; just the reference's own when the rules
   * allow no variation (or the reference is unlabelled). A group whose steps do not each show
   * as one run of frames (refused when the reference is made) is kept in order.
   */
  static List<int[]> of(int m, int[] labels, List<String> phases, StepRules rules) {
    List<int[]> out = new ArrayList<>();
    out.add(identity(m));
    if (rules.isEmpty() || labels == null || phases == null) {
      return out;
    }
    List<int[]> runs = runs(labels); // {phase, first frame, last frame}
    List<Integer> optional = rules.optionalIndices(phases);
    List<int[]> groups = new ArrayList<>();
    for (List<Integer> g : rules.unorderedIndices(phases)) {
      if (g.stream().allMatch(p -> runs.stream().filter(r -> r[0] == p).count() == 1)) {
        groups.add(g.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    List<List<int[]>> perGroup = groups.stream().map(StepOrders::permutations).toList();
    int[] choice = new int[groups.size()];
    for (int left = 0; left < 1 << optional.size(); left++) {
      for (boolean more = true; more; more = next(choice, perGroup)) {
        List<Integer> cols = new ArrayList<>();
        int[] used = new int[groups.size()];
        for (int[] run : runs) {
          int p = run[0];
          int g = groupOf(groups, p);
          if (g >= 0) { // this group's next place takes the next step of the chosen order
            int q = perGroup.get(g).get(choice[g])[used[g]++];
            run = runs.stream().filter(r -> r[0] == q).findFirst().orElseThrow();
            p = q;
          }
          int o = optional.indexOf(p);
          if (o >= 0 && (left >> o & 1) == 1) {
            continue; // left out in this order
          }
          for (int j = run[1]; j <= run[2]; j++) {
            cols.add(j);
          }
        }
        int[] c = cols.stream().mapToInt(Integer::intValue).toArray();
        if (c.length >= 2 && out.stream().noneMatch(x -> java.util.Arrays.equals(x, c))) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** Runs of equal labels: {phase, first frame, last frame}. */
  private static List<int[]> runs(int[] labels) {
    List<int[]> out = new ArrayList<>();
    for (int j = 0; j < labels.length; j++) {
      if (j == 0 || labels[j] != labels[j - 1]) {
        out.add(new int[] {labels[j], j, j});
      } else {
        out.get(out.size() - 1)[2] = j;
      }
    }
    return out;
  }

  private static int groupOf(List<int[]> groups, int p) {
    for (int g = 0; g < groups.size(); g++) {
      for (int q : groups.get(g)) {
        if (q == p) {
          return g;
        }
      }
    }
    return -1;
  }

  /** Advances the odometer of group permutations; false when it wraps. */
  private static boolean next(int[] choice, List<List<int[]>> perGroup) {
    for (int g = 0; g < choice.length; g++) {
      if (++choice[g] < perGroup.get(g).size()) {
        return true;
      }
      choice[g] = 0;
    }
    return false;
  }

  static List<int[]> permutations(int[] items) {
    List<int[]> out = new ArrayList<>();
    permute(items.clone(), 0, out);
    return out;
  }

  private static void permute(int[] a, int k, List<int[]> out) {
    if (k == a.length) {
      out.add(a.clone());
      return;
    }
    for (int i = k; i < a.length; i++) {
      swap(a, k, i);
      permute(a, k + 1, out);
      swap(a, k, i);
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  private static int[] identity(int m) {
    int[] c = new int[m];
    for (int j = 0; j < m; j++) {
      c[j] = j;
    }
    return c;
  }
}
