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
import io.taskapi.plugin.listener.OperatorAddress;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.metrics.PrometheusFormat;
import io.taskapi.plugin.socket.TaskSocketRegistry;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
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
    private final OperatorAddress address;

    /**
     * @param config the settings {@code /v1/agent/self} shows
     * @param nodes this agent's node: id, name, datacenter, version
     * @param metrics the counters
     * @param keys the published identity keys
     * @param sockets how many task sockets are open
     * @param address where this agent answers, as its member address
     */
    @Inject
    public AgentInfoRoutes(TaskApiConfig config, NodeRegistry nodes, ApiMetrics metrics, IdentityKeyStore keys,
                       Provider<TaskSocketRegistry> sockets, OperatorAddress address) {
        this.config = requireNonNull(config, "config is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.address = requireNonNull(address, "address is null");
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
                        .help("Returns this agent's configuration (Region, Datacenter, NodeName, Version and the Task"
                                + " API settings), its member (Name, Addr, Port, Status, Tags, NodeID) and statistics"
                                + " (open task sockets, uptime).")
                        // The node registry may do I/O.
                        .runs(Execution.BLOCKING, request -> self()),
                Route.on("GET", "/v1/agent/members").permission(Permission.NODE_READ)
                        .help("Lists the agents this one knows: itself only, as {\"ServerName\",\"ServerRegion\","
                                + "\"ServerDC\",\"Members\":[{Name, Addr, Port, Status, Tags}]}.")
                        .runs(Execution.BLOCKING, request -> members()),
                // Nomad checks no ACL on these three.
                Route.on("GET", "/v1/status/leader").permission(Permission.AUTHENTICATED)
                        .help("Returns the leader's address as a JSON string: this single-node agent's own"
                                + " host:port.")
                        .runs(Execution.IN_MEMORY, request -> address.hostAndPort().orElse("")),
                Route.on("GET", "/v1/status/peers").permission(Permission.AUTHENTICATED)
                        .help("Lists the Raft peers' addresses as a JSON array of strings: this single-node agent is"
                                + " its only peer, at the address /v1/status/leader returns ([] without one).")
                        .runs(Execution.IN_MEMORY, request -> address.hostAndPort().stream().toList()),
                Route.on("GET", "/v1/regions").permission(Permission.AUTHENTICATED)
                        .help("Lists the known regions: this agent's one region, as a JSON array of strings.")
                        .runs(Execution.IN_MEMORY, request -> List.of(config.agent().region())),
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
    private Object self() throws StateUnavailableException {
        NodeInfo node = localNode();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("Region", config.agent().region());
        settings.put("Datacenter", node.datacenter());
        settings.put("NodeName", node.name());
        settings.put("Version", version(node));
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
        Map<String, Object> member = member(node);
        member.put("NodeID", nodes.localNodeId());
        return Map.of(
                "config", settings,
                "member", member,
                "stats", Map.of("taskapi", Map.of(
                        "open_task_sockets", sockets.get().openSockets(),
                        "uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)));
    }

    /** {@code /v1/agent/members}: Nomad's {@code ServerMembers}, with this agent as the only member. */
    private Object members() throws StateUnavailableException {
        NodeInfo node = localNode();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ServerName", node.name());
        answer.put("ServerRegion", config.agent().region());
        answer.put("ServerDC", node.datacenter());
        answer.put("Members", List.of(member(node)));
        return answer;
    }

    private NodeInfo localNode() throws StateUnavailableException {
        String id = nodes.localNodeId();
        return nodes.find(id).orElseThrow(() -> new StateUnavailableException("this agent's node " + id
                + " is not in its registry"));
    }

    /** Nomad's {@code AgentMember}: the agent's name is {@code NODE.REGION}, as Nomad names its members. */
    private Map<String, Object> member(NodeInfo node) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("role", "client");
        tags.put("region", config.agent().region());
        tags.put("dc", node.datacenter());
        tags.put("build", node.attributes().getOrDefault("nomad.version", ""));
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("Name", node.name() + "." + config.agent().region());
        member.put("Addr", address.host());
        member.put("Port", address.port());
        member.put("Status", "alive");
        member.put("Tags", tags);
        return member;
    }

    /** Nomad's {@code version.VersionInfo}, from the node's {@code nomad.version} attribute. */
    private static Map<String, Object> version(NodeInfo node) {
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("Revision", "");
        version.put("Version", node.attributes().getOrDefault("nomad.version", ""));
        version.put("VersionPrerelease", "");
        version.put("VersionMetadata", "");
        return version;
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
