package io.taskapi.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the raw results (one {@link RunResult} JSON line per run) into one table row per name: the median of each
 * column over the repetitions, the req/s spread, and the ratio of the median req/s to the baseline row's.
 *
 * <p>{@code Report RAW_FILE [BASELINE_ROW]} prints the table as Markdown on stdout.
 */
public final class Report {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Report() {}

    /**
     * @param args the raw results file and, optionally, the baseline row (default {@code nginx-static})
     * @throws IOException when the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Report RAW_FILE [BASELINE_ROW]");
            System.exit(2);
        }
        System.out.print(table(Files.readAllLines(Path.of(args[0])), args.length == 2 ? args[1] : "nginx-static"));
    }

    /**
     * @param lines the raw results, one JSON object a line (blank lines are skipped)
     * @param baseline the row the ratios are against; no ratio column values when it is absent
     * @return the table, Markdown
     * @throws IOException when a line is not JSON
     */
    static String table(List<String> lines, String baseline) throws IOException {
        Map<String, List<JsonNode>> rows = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                JsonNode run = MAPPER.readTree(line);
                rows.computeIfAbsent(run.path("name").asText(), name -> new ArrayList<>()).add(run);
            }
        }
        double baseRps = rows.containsKey(baseline) ? median(rows.get(baseline), "rps") : Double.NaN;
        StringBuilder out = new StringBuilder();
        out.append("| row | reps | req/s | min–max | vs ").append(baseline)
                .append(" | p50 µs | p99 µs | srv µs/req | srv cores | cli cores | other cores")
                .append(" | statuses | errors |\n");
        out.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (Map.Entry<String, List<JsonNode>> row : rows.entrySet()) {
            List<JsonNode> runs = row.getValue();
            double rps = median(runs, "rps");
            out.append(String.format(
                    "| %s | %d | %,.0f | %,.0f–%,.0f | %s | %.1f | %.1f | %s | %.2f | %.2f | %s | %s | %d |%n",
                    row.getKey(), runs.size(), rps, min(runs, "rps"), max(runs, "rps"),
                    Double.isNaN(baseRps) ? "–" : String.format("%.3f", rps / baseRps),
                    median(runs, "p50_us"), median(runs, "p99_us"), orDash(median(runs, "server_us_per_req"), 1),
                    median(runs, "server_cores"), median(runs, "client_cores"),
                    orDash(median(runs, "other_cores"), 2), statuses(runs), sum(runs, "errors")));
        }
        return out.toString();
    }

    private static String orDash(double value, int digits) {
        return value < 0 ? "–" : String.format("%." + digits + "f", value);
    }

    private static String statuses(List<JsonNode> runs) {
        Map<String, Long> total = new TreeMap<>();
        for (JsonNode run : runs) {
            run.path("status").properties()
                    .forEach(e -> total.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        StringBuilder out = new StringBuilder();
        total.forEach((status, count) -> out.append(out.length() == 0 ? "" : " ").append(status).append(':')
                .append(String.format("%,d", count)));
        return out.toString();
    }

    static double median(List<JsonNode> runs, String field) {
        double[] values = runs.stream().mapToDouble(run -> run.path(field).asDouble()).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double min(List<JsonNode> runs, String field) {
        return runs.stream().mapToDouble(run -> run.path(field).asDouble()).min().orElse(0);
    }

    private static double max(List<JsonNode> runs, String field) {
        return runs.stream().mapToDouble(run -> run.path(field).asDouble()).max().orElse(0);
    }

    private static long sum(List<JsonNode> runs, String field) {
        return runs.stream().mapToLong(run -> run.path(field).asLong()).sum();
    }
}
