package io.lavmonitor.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a station's work may vary without being wrong, as the reference's labels declare it
 * ({@code "steps": {"optional": [...], "unordered": [[...], ...]}}): steps that may be left out
 * (no skipped-step alert when absent) and groups of steps that may be done in any order (no
 * alert on their order). A cycle is judged against the allowed order that it matches best.
 *
 * @param optional names of phases that may be absent
 * @param unordered groups of phase names (two or more each, disjoint) whose order is free
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StepRules(@JsonProperty("optional") List<String> optional,
                        @JsonProperty("unordered") List<List<String>> unordered) {
  /** No variation: every step, in the reference's order. */
  public static final StepRules NONE = new StepRules(List.of(), List.of());
  /**
   * The most allowed orders (2^optional x the groups' factorials): each is one DTW of a
   * finished cycle's frames against the reference, at the cycle's end.
   */
  public static final int MAX_ORDERS = 64;

  public StepRules {
    optional = optional == null ? List.of() : List.copyOf(optional);
    unordered = unordered == null ? List.of()
        : unordered.stream().map(g -> g == null ? List.<String>of() : List.copyOf(g)).toList();
  }

  @JsonIgnore
  public boolean isEmpty() {
    return optional.isEmpty() && unordered.isEmpty();
  }

  public boolean isOptional(String phase) {
    return optional.contains(phase);
  }

  /** Whether the phase belongs to a group whose order is free. */
  public boolean isUnordered(String phase) {
    return unordered.stream().anyMatch(g -> g.contains(phase));
  }

  /** How many orders of the steps these rules allow. */
  @JsonIgnore
  public long orders() {
    long n = 1L << Math.min(optional.size(), 62);
    for (List<String> g : unordered) {
      for (int k = 2; k <= g.size() && n <= MAX_ORDERS; k++) {
        n *= k;
      }
    }
    return n;
  }

  /**
   * The first problem of these rules for a reference with these phases, or null: unknown or
   * repeated names, groups of fewer than two, a phase in two groups, more than
   * {@link #MAX_ORDERS} orders.
   */
  public String problem(List<String> phases) {
    Set<String> seen = new HashSet<>();
    for (String p : optional) {
      if (!phases.contains(p)) {
        return "optional step '" + p + "' is not one of the phases " + phases;
      }
      if (!seen.add(p)) {
        return "optional step '" + p + "' is named twice";
      }
    }
    Set<String> grouped = new HashSet<>();
    for (List<String> g : unordered) {
      if (g.size() < 2) {
        return "an unordered group needs two or more steps, got " + g;
      }
      for (String p : g) {
        if (!phases.contains(p)) {
          return "unordered step '" + p + "' is not one of the phases " + phases;
        }
        if (!grouped.add(p)) {
          return "step '" + p + "' is in more than one unordered group (or twice in one)";
        }
      }
    }
    if (orders() > MAX_ORDERS) {
      return "these steps allow more than " + MAX_ORDERS + " orders (2^optional x the groups' "
          + "factorials); declare fewer";
    }
    return null;
  }

  /**
   * As {@link #problem(List)}, and each step of an unordered group must show as one run of
   * frames in the labelled cycle (a step seen twice has no single place to move).
   */
  public String problem(List<String> phases, int[] frameLabels) {
    if (isEmpty()) {
      return null;
    }
    if (phases == null || frameLabels == null) {
      return "step rules need a labelled reference (phases and frame labels)";
    }
    String p = problem(phases);
    if (p != null) {
      return p;
    }
    for (List<String> g : unordered) {
      for (String name : g) {
        int phase = phases.indexOf(name);
        int runs = 0;
        for (int j = 0; j < frameLabels.length; j++) {
          if (frameLabels[j] == phase && (j == 0 || frameLabels[j - 1] != phase)) {
            runs++;
          }
        }
        if (runs != 1) {
          return "unordered step '" + name + "' shows as " + runs + " runs of frames in the "
              + "reference (one is needed)";
        }
      }
    }
    return null;
  }

  /** The rules' phase indices among {@code phases} (checked first). */
  public List<Integer> optionalIndices(List<String> phases) {
    List<Integer> out = new ArrayList<>();
    for (String p : optional) {
      out.add(phases.indexOf(p));
    }
    return out;
  }

  /** Each unordered group as phase indices among {@code phases}. */
  public List<List<Integer>> unorderedIndices(List<String> phases) {
    return unordered.stream().map(g -> g.stream().map(phases::indexOf).toList()).toList();
  }
}
