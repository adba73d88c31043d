package io.taskapi.plugin.metrics;

import java.util.Locale;
import java.util.Map;

/** Writes a {@link ApiMetrics.Snapshot} in Prometheus' text exposition format (version 0.0.4). */
public final class PrometheusFormat {
    /** The content type Prometheus expects for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusFormat() {}

    /**
     * @param snapshot the metrics
     * @return the exposition text
     */
    public static String write(ApiMetrics.Snapshot snapshot) {
        StringBuilder out = new StringBuilder();
        header(out, "taskapi_http_requests_total", "counter", "Requests answered, by route, method and status.");
        snapshot.requests().forEach((key, count) -> out.append("taskapi_http_requests_total{route=\"")
                .append(escape(key.route())).append("\",method=\"").append(escape(key.method()))
                .append("\",status=\"").append(key.status()).append("\"} ").append(count).append('\n'));
        labelled(out, "taskapi_auth_failures_total", "Credentials refused, by reason.", "reason",
                snapshot.authFailures());
        labelled(out, "taskapi_rate_limited_total", "Requests refused with 429, by limit.", "limit",
                snapshot.rateLimited());
        header(out, "taskapi_open_task_sockets", "gauge", "Task sockets open now.");
        out.append("taskapi_open_task_sockets ").append(snapshot.openSockets()).append('\n');
        header(out, "taskapi_blocked_queries", "gauge", "Blocking queries waiting now (they hold no thread).");
        out.append("taskapi_blocked_queries ").append(snapshot.blockedQueries()).append('\n');
        header(out, "taskapi_http_request_duration_seconds", "histogram", "Time to answer a request.");
        for (int i = 0; i < snapshot.latencyCumulative().size(); i++) {
            String bound = i < ApiMetrics.LATENCY_BOUNDS.length
                    ? String.valueOf(ApiMetrics.LATENCY_BOUNDS[i]) : "+Inf";
            out.append("taskapi_http_request_duration_seconds_bucket{le=\"").append(bound).append("\"} ")
                    .append(snapshot.latencyCumulative().get(i)).append('\n');
        }
        out.append("taskapi_http_request_duration_seconds_sum ")
                .append(String.format(Locale.ROOT, "%.6f", snapshot.latencySumSeconds())).append('\n');
        out.append("taskapi_http_request_duration_seconds_count ").append(snapshot.latencyCount()).append('\n');
        return out.toString();
    }

    private static void labelled(StringBuilder out, String name, String help, String label, Map<String, Long> counts) {
        header(out, name, "counter", help);
        counts.forEach((value, count) -> out.append(name).append('{').append(label).append("=\"")
                .append(escape(value)).append("\"} ").append(count).append('\n'));
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
