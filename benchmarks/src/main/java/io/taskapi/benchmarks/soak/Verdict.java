package io.taskapi.benchmarks.soak;

import io.taskapi.benchmarks.load.Tally;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Whether a soak passed: the footprint flat from the first sample on, and every request ended as its kind should.
 *
 * @param samples the footprint, every interval
 * @param tallies the fast workloads' outcomes, by label
 * @param slow the slow clients' outcomes, by kind
 * @param failures what went wrong; empty when it passed
 */
record Verdict(List<ProcessSample> samples, Map<String, Tally> tallies, Map<String, Map<String, Long>> slow,
               List<String> failures) {
    static Verdict of(List<ProcessSample> samples, Map<String, Tally> tallies, List<SlowClient> slowClients) {
        List<String> failures = new ArrayList<>();
        if (samples.size() < 2) {
            failures.add("fewer than two samples of the server: nothing to compare");
        } else {
            ProcessSample first = samples.get(0);
            flat(failures, samples, "RSS kB", ProcessSample::rssKb,
                    Math.max((long) (first.rssKb() * Soak.RSS_GROWTH), Soak.RSS_SLACK_KB));
            if (first.heapLiveKb() >= 0) {
                flat(failures, samples, "live heap kB", ProcessSample::heapLiveKb,
                        Math.max((long) (first.heapLiveKb() * Soak.HEAP_GROWTH), Soak.HEAP_SLACK_KB));
            } else {
                failures.add("no heap figure in the server's log (is it run with --memory-log-gc?)");
            }
            flat(failures, samples, "threads", ProcessSample::threads, Soak.THREAD_SLACK);
            flat(failures, samples, "fds", ProcessSample::fds, Soak.FD_SLACK);
        }
        tallies.forEach((label, tally) -> {
            int expected = label.startsWith("no-token") ? 401 : label.startsWith("unknown-token") ? 403 : 200;
            if (tally.responses() == 0) {
                failures.add(label + ": no response at all");
            }
            tally.statuses().forEach((status, count) -> {
                if (status != expected) {
                    failures.add(label + ": " + count + " responses with status " + status + ", expected " + expected);
                }
            });
            if (tally.errorCount() > 0) {
                failures.add(label + ": errors " + tally.errors());
            }
        });
        Map<String, Map<String, Long>> slow = new TreeMap<>();
        for (SlowClient client : slowClients) {
            String kind = "slow-" + client.kind().name().toLowerCase(Locale.ROOT);
            client.outcomes().forEach((outcome, count) ->
                    slow.computeIfAbsent(kind, k -> new TreeMap<>()).merge(outcome, count, Long::sum));
        }
        slow.forEach((kind, outcomes) -> outcomes.forEach((outcome, count) -> {
            String normal = kind.equals("slow-head") ? "401" : "200";
            if (!outcome.equals(normal) && !Soak.SLOW_REFUSALS.contains(outcome)) {
                failures.add(kind + ": " + count + " requests ended in " + outcome);
            }
        }));
        return new Verdict(List.copyOf(samples), tallies, slow, List.copyOf(failures));
    }

    /** Every interval after the first at most {@code slack} above the first: growth is what a leak looks like. */
    private static void flat(List<String> failures, List<ProcessSample> samples, String what,
                             ToLongFunction<ProcessSample> value, long slack) {
        long first = value.applyAsLong(samples.get(0));
        for (ProcessSample s : samples.subList(1, samples.size())) {
            long delta = value.applyAsLong(s) - first;
            if (delta > slack) {
                failures.add(String.format("%s not flat: %d at %d s, %d at %d s (tolerance +%d)", what, first,
                        samples.get(0).second(), value.applyAsLong(s), s.second(), slack));
            }
        }
    }

    boolean passed() {
        return failures.isEmpty();
    }

    String report() {
        StringBuilder out = new StringBuilder("| interval to (s) | RSS MB | live heap MB | threads | fds |\n")
                .append("|---:|---:|---:|---:|---:|\n");
        for (ProcessSample s : samples) {
            out.append(String.format("| %d | %.1f | %s | %d | %d |%n", s.second(), s.rssKb() / 1024.0,
                    s.heapLiveKb() < 0 ? "–" : String.format("%.1f", s.heapLiveKb() / 1024.0), s.threads(), s.fds()));
        }
        out.append("\n| workload | responses | statuses | errors | reconnects |\n|---|---:|---|---|---:|\n");
        tallies.forEach((label, t) -> out.append(String.format("| %s | %,d | %s | %s | %d |%n", label,
                t.responses(), t.statuses(), t.errors(), t.reconnects())));
        slow.forEach((kind, outcomes) -> out.append(String.format("| %s | %,d | %s | – | – |%n", kind,
                outcomes.values().stream().mapToLong(Long::longValue).sum(), outcomes)));
        out.append(passed() ? "\nsoak: PASSED\n" : "\nsoak: FAILED\n");
        failures.forEach(f -> out.append("  - ").append(f).append('\n'));
        return out.toString();
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("passed", passed());
        json.put("failures", failures);
        json.put("samples", samples);
        Map<String, Object> workloads = new LinkedHashMap<>();
        tallies.forEach((label, t) -> workloads.put(label, Map.of("responses", t.responses(),
                "statuses", t.statuses(), "errors", t.errors(), "reconnects", t.reconnects(),
                "p99_us", t.latency().percentile(99) / 1e3)));
        json.put("workloads", workloads);
        json.put("slow", slow);
        return json;
    }
}
