package io.lavmonitor.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A results table as the paper prints them: methods as rows, (dataset, measure) as columns,
 * each cell the mean over seeds with its standard deviation; in each column the best mean in
 * bold and the second underlined. Higher is better for every measure here. Rows marked as
 * references (the supervised upper bound) are shown but not ranked.
 */
final class ResultTable {
  /**
   * A column: a dataset and a measure, with its header text.
   *
   * @param ranked whether best and second are marked (not for diagnostics such as collapse)
   */
  record Column(String dataset, String measure, String header, boolean ranked) {
    Column(String dataset, String measure, String header) {
      this(dataset, measure, header, true);
    }
  }

  private final String title;
  private final List<Column> columns = new ArrayList<>();
  private final Map<String, Map<Column, List<Double>>> cells = new LinkedHashMap<>();
  private final List<String> references = new ArrayList<>();

  String title() {
    return title;
  }

  ResultTable(String title) {
    this.title = title;
  }

  void column(Column c) {
    columns.add(c);
  }

  /** Adds one seed's value to a cell (creating the row in order of first appearance). */
  void add(String row, Column c, double value) {
    cells.computeIfAbsent(row, r -> new LinkedHashMap<>())
        .computeIfAbsent(c, k -> new ArrayList<>()).add(value);
  }

  void reference(String row) {
    references.add(row);
  }

  /** Mean over seeds, NaN for an empty cell. */
  double mean(String row, Column c) {
    List<Double> v = cells.getOrDefault(row, Map.of()).get(c);
    if (v == null || v.isEmpty()) {
      return Double.NaN;
    }
    return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  double sd(String row, Column c) {
    List<Double> v = cells.getOrDefault(row, Map.of()).get(c);
    if (v == null || v.size() < 2) {
      return 0;
    }
    double mu = mean(row, c);
    double ss = 0;
    for (double x : v) {
      ss += (x - mu) * (x - mu);
    }
    return Math.sqrt(ss / (v.size() - 1));
  }

  List<String> rows() {
    return new ArrayList<>(cells.keySet());
  }

  /** The ranked rows of a column, best first (references and empty cells left out). */
  List<String> ranking(Column c) {
    if (!c.ranked()) {
      return List.of();
    }
    return rows().stream().filter(r -> !references.contains(r))
        .filter(r -> !Double.isNaN(mean(r, c)))
        .sorted((a, b) -> Double.compare(mean(b, c), mean(a, c))).toList();
  }

  String markdown() {
    StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n");
    Map<String, Integer> spans = new LinkedHashMap<>();
    columns.forEach(c -> spans.merge(c.dataset(), 1, Integer::sum));
    sb.append("| method |");
    columns.forEach(c -> sb.append(' ').append(c.dataset()).append(": ").append(c.header())
        .append(" |"));
    sb.append("\n|---|");
    columns.forEach(c -> sb.append("---:|"));
    sb.append('\n');
    int seeds = cells.values().stream().flatMap(r -> r.values().stream()).mapToInt(List::size)
        .max().orElse(0);
    for (String row : rows()) {
      sb.append("| ").append(row).append(references.contains(row) ? " (reference)" : "")
          .append(" |");
      for (Column c : columns) {
        double mu = mean(row, c);
        int n = cells.get(row).getOrDefault(c, List.of()).size();
        String cell = Double.isNaN(mu) ? "-" : n < 2 ? String.format(Locale.ROOT, "%.3f", mu)
            : String.format(Locale.ROOT, "%.3f ± %.3f", mu, sd(row, c));
        if (n > 0 && n < seeds) { // a run without a finite value (diverged) is left out
          cell += " (" + n + " of " + seeds + ")";
        }
        List<String> rank = ranking(c);
        if (!rank.isEmpty() && rank.get(0).equals(row)) {
          cell = "**" + cell + "**";
        } else if (rank.size() > 1 && rank.get(1).equals(row)) {
          cell = "<u>" + cell + "</u>";
        }
        sb.append(' ').append(cell).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The table as JSON: rows -> "dataset/measure" -> {mean, sd, n}. */
  Map<String, Object> json() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String row : rows()) {
      Map<String, Object> r = new LinkedHashMap<>();
      for (Column c : columns) {
        List<Double> v = cells.get(row).get(c);
        if (v != null) {
          r.put(c.dataset() + "/" + c.measure(), Map.of("mean", mean(row, c), "sd", sd(row, c),
              "values", v));
        }
      }
      out.put(row, r);
    }
    return out;
  }
}
