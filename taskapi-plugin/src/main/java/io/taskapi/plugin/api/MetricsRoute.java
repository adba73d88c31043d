package io.taskapi.plugin.api;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.metrics.PrometheusFormat;
import io.taskapi.plugin.socket.TaskSocketRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/metrics}: the API's metrics, as Nomad-style JSON or, with {@code ?format=prometheus}, in
 * Prometheus' text format.
 */
public final class MetricsRoute implements ApiRoute {
    private final ApiMetrics metrics;
    // A provider: the registry sits behind the server that holds these routes (a cycle otherwise).
    private final Provider<TaskSocketRegistry> sockets;

    /**
     * @param metrics the counters
     * @param sockets how many task sockets are open
     */
    @Inject
    public MetricsRoute(ApiMetrics metrics, Provider<TaskSocketRegistry> sockets) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/metrics";
    }

    @Override
    public Permission permission() {
        return Permission.AGENT_READ;
    }

    @Override
    public String help() {
        return "Returns requests by route and status, refused credentials by reason, rate-limited requests, open task"
                + " sockets and a latency histogram; ?format=prometheus for Prometheus' text format.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.IN_MEMORY; // counters in memory
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException {
        ApiMetrics.Snapshot snapshot = metrics.snapshot(sockets.get().openSockets());
        String format = request.query("format").orElse("json");
        if (format.equals("prometheus")) {
            return ApiResponse.text(PrometheusFormat.CONTENT_TYPE, PrometheusFormat.write(snapshot));
        }
        if (!format.equals("json")) {
            throw new ApiException(400, "format must be json or prometheus");
        }
        List<Map<String, Object>> counters = new ArrayList<>();
        snapshot.requests().forEach((key, count) -> counters.add(Map.of("Name", "taskapi.http.requests",
                "Count", count, "Labels", Map.of("route", key.route(), "method", key.method(),
                        "status", String.valueOf(key.status())))));
        snapshot.authFailures().forEach((reason, count) -> counters.add(Map.of("Name", "taskapi.auth.failures",
                "Count", count, "Labels", Map.of("reason", reason))));
        snapshot.rateLimited().forEach((limit, count) -> counters.add(Map.of("Name", "taskapi.rate_limited",
                "Count", count, "Labels", Map.of("limit", limit))));
        return Map.of("Timestamp", Instant.now().toString(),
                "Gauges", List.of(Map.of("Name", "taskapi.open_task_sockets", "Value", snapshot.openSockets(),
                        "Labels", Map.of())),
                "Counters", counters,
                "Samples", List.of(Map.of("Name", "taskapi.http.request_duration", "Count", snapshot.latencyCount(),
                        "Sum", snapshot.latencySumSeconds(), "Labels", Map.of())));
    }
}
