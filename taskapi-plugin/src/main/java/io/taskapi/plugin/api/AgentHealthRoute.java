package io.taskapi.plugin.api;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v1/agent/health}: Nomad's client health answer. Any authenticated caller may ask. */
public final class AgentHealthRoute implements ApiRoute {
    private static final Map<String, Object> HEALTHY = healthy();

    /** Nomad's field order, so byte-for-byte comparisons with Nomad's answer hold. */
    private static Map<String, Object> healthy() {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("message", "ok");
        client.put("ok", true);
        return Map.of("client", client);
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/agent/health";
    }

    @Override
    public Permission permission() {
        return Permission.AUTHENTICATED;
    }

    @Override
    public String help() {
        return "Reports whether the local agent's client is healthy: {\"client\":{\"message\":\"ok\",\"ok\":true}}.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.IN_MEMORY; // answers from memory
    }

    @Override
    public Object handle(ApiRequest request) {
        // Answering at all means the server, the socket and authentication work: that is the client's health here.
        return HEALTHY;
    }
}
