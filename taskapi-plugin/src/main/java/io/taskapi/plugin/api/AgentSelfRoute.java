package io.taskapi.plugin.api;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.plugin.socket.TaskSocketRegistry;
import io.taskapi.spi.state.NodeRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/agent/self}: this agent's configuration (no secrets: there are none in it) and a few statistics,
 * under Nomad's top-level keys {@code config}, {@code member} and {@code stats}.
 */
public final class AgentSelfRoute implements ApiRoute {
    private final TaskApiConfig config;
    private final NodeRegistry nodes;
    // A provider: the registry sits behind the server that holds these routes (a cycle otherwise).
    private final Provider<TaskSocketRegistry> sockets;

    /**
     * @param config the settings to show
     * @param nodes this agent's node id
     * @param sockets how many task sockets are open
     */
    @Inject
    public AgentSelfRoute(TaskApiConfig config, NodeRegistry nodes, Provider<TaskSocketRegistry> sockets) {
        this.config = requireNonNull(config, "config is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/agent/self";
    }

    @Override
    public Permission permission() {
        return Permission.AGENT_READ;
    }

    @Override
    public String help() {
        return "Returns this agent's Task API configuration, its node id and statistics (open task sockets, uptime).";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.IN_MEMORY; // the agent's settings, from memory
    }

    @Override
    public Object handle(ApiRequest request) {
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
}
