package io.taskapi.plugin.api;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.metrics.PrometheusFormat;
import io.taskapi.plugin.socket.TaskSocketRegistry;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.NodeRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's own routes: health, self, metrics and the workload identity key set. (The routes an agent adds through
 * the SPI are {@link AgentAddedRoutes}.)
 */
public final class AgentInfoRoutes implements RouteGroup {
    private static final Map<String, Object> HEALTHY = healthy();

    private final TaskApiConfig config;
    private final NodeRegistry nodes;
    private final ApiMetrics metrics;
    private final IdentityKeyStore keys;
    // A provider: the registry sits behind the server that holds these routes (a cycle otherwise).
    private final Provider<TaskSocketRegistry> sockets;

    /**
     * @param config the settings {@code /v1/agent/self} shows
     * @param nodes this agent's node id
     * @param metrics the counters
     * @param keys the published identity keys
     * @param sockets how many task sockets are open
     */
    @Inject
    public AgentInfoRoutes(TaskApiConfig config, NodeRegistry nodes, ApiMetrics metrics, IdentityKeyStore keys,
                       Provider<TaskSocketRegistry> sockets) {
        this.config = requireNonNull(config, "config is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.on("GET", "/v1/agent/health").permission(Permission.AUTHENTICATED)
                        .help("Reports whether the local agent's client is healthy:"
                                + " {\"client\":{\"message\":\"ok\",\"ok\":true}}.")
                        // Answering at all means the server, the socket and authentication work: that is the
                        // client's health here.
                        .runs(Execution.IN_MEMORY, request -> HEALTHY),
                Route.on("GET", "/v1/agent/self").permission(Permission.AGENT_READ)
                        .help("Returns this agent's Task API configuration, its node id and statistics (open task"
                                + " sockets, uptime).")
                        .runs(Execution.IN_MEMORY, request -> self()), // the agent's settings, from memory
                Route.on("GET", "/v1/metrics").permission(Permission.AGENT_READ)
                        .help("Returns requests by route and status, refused credentials by reason, rate-limited"
                                + " requests, open task sockets and a latency histogram; ?format=prometheus for"
                                + " Prometheus' text format.")
                        .runs(Execution.IN_MEMORY, this::metrics), // counters in memory
                Route.on("GET", "/.well-known/jwks.json").permission(Permission.AUTHENTICATED)
                        .help("Returns the JSON Web Key Set that verifies workload identities.")
                        // The keyring may be remote. Keys rotate slowly and are published before use: a verifier
                        // may cache them for a while.
                        .runs(Execution.BLOCKING, request -> ApiResponse.ok(JsonWebKeys.of(keys.publishedKeys()),
                                Map.of("Cache-Control", "max-age=900"))));
    }

    /** Nomad's field order, so byte-for-byte comparisons with Nomad's answer hold. */
    private static Map<String, Object> healthy() {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("message", "ok");
        client.put("ok", true);
        return Map.of("client", client);
    }

    /** {@code /v1/agent/self}: no secrets (there are none in it), under Nomad's keys config, member and stats. */
    private Object self() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("ACLEnabled", config.acl().aclEnabled());
        settings.put("Audience", config.auth().audience());
        settings.put("ClockLeeway", config.auth().clockLeeway().toString());
        settings.put("RequireExpiry", config.auth().requireExpiry());
        settings.put("OwnershipFallback", config.socket().ownershipFallback().name());
        settings.put("AllowRootPeer", config.socket().allowRootPeer());
        settings.put("MaxBodyBytes", config.http().maxBodyBytes());
        settings.put("MaxHeaderBytes", config.http().maxHeaderBytes());
        settings.put("SocketRateLimit", config.socket().socketRateLimit());
        settings.put("SocketMaxConnections", config.socket().socketMaxConnections());
        settings.put("SocketMaxInFlight", config.socket().socketMaxInFlight());
        settings.put("SocketUnauthenticatedRateLimit", config.socket().socketUnauthenticatedRateLimit());
        settings.put("RequestHeadTimeout", config.http().requestHeadTimeout().toString());
        settings.put("RequestBodyTimeout", config.http().requestBodyTimeout().toString());
        settings.put("MinBodyRate", config.http().minBodyRate());
        settings.put("FilterEvaluationTimeout", config.http().filterTimeout().toString());
        return Map.of(
                "config", settings,
                "member", Map.of("NodeID", nodes.localNodeId()),
                "stats", Map.of("taskapi", Map.of(
                        "open_task_sockets", sockets.get().openSockets(),
                        "uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)));
    }

    /** {@code /v1/metrics}: Nomad-style JSON, or Prometheus' text format with {@code ?format=prometheus}. */
    private Object metrics(ApiRequest request) throws ApiException {
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
                        "Labels", Map.of()), Map.of("Name", "taskapi.blocked_queries",
                        "Value", snapshot.blockedQueries(), "Labels", Map.of())),
                "Counters", counters,
                "Samples", List.of(Map.of("Name", "taskapi.http.request_duration", "Count", snapshot.latencyCount(),
                        "Sum", snapshot.latencySumSeconds(), "Labels", Map.of())));
    }
}
