package io.taskapi.plugin.api;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.acl.NamespaceCapability;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.spi.api.AgentPermission;
import io.taskapi.spi.api.AgentRequest;
import io.taskapi.spi.api.AgentResponse;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentRouteException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes the agent adds through the SPI, served like the plugin's own: each becomes a {@link Route}, so the same
 * chain runs first and its permission is checked against the caller's ACL in Nomad's terms. Only the request and the
 * answer are translated, between the plugin's {@link ApiRequest}/{@link ApiResponse} and the SPI's
 * {@link AgentRequest}/{@link AgentResponse}.
 */
public final class AgentAddedRoutes implements RouteGroup {
    private final List<Route> routes;

    /** @param routes the agent's routes */
    public AgentAddedRoutes(List<AgentRoute> routes) {
        this.routes = requireNonNull(routes, "routes is null").stream().map(AgentAddedRoutes::route).toList();
    }

    @Override
    public List<Route> routes() {
        return routes;
    }

    private static Route route(AgentRoute route) {
        return Route.on(route.method(), route.path())
                .permission(permissionOf(route.permission()))
                .help(route.help())
                // The agent's code: nothing says it cannot block.
                .runs(Execution.BLOCKING_WITH_BODY, request -> handle(route, request));
    }

    private static ApiResponse handle(AgentRoute route, ApiRequest request) throws ApiException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String segment : route.path().split("/")) {
            if (segment.startsWith(":") || segment.startsWith("*")) {
                params.put(segment.substring(1), request.param(segment.substring(1)));
            }
        }
        try {
            AgentResponse response = route.handle(new AgentRequest(params, request.queryParameters(), request.body(),
                    request.identity().auditName()));
            return new ApiResponse(response.status(), response.body().length == 0 ? Optional.empty()
                    : Optional.of(new ApiResponse.RawBody(response.contentType(), response.body())),
                    response.headers());
        } catch (AgentRouteException e) {
            throw new ApiException(e.status(), e.messages());
        }
    }

    private static Permission permissionOf(AgentPermission permission) {
        return switch (permission.kind()) {
            case AUTHENTICATED -> Permission.AUTHENTICATED;
            case MANAGEMENT -> Permission.MANAGEMENT;
            case NODE_READ -> Permission.NODE_READ;
            case NODE_WRITE -> Permission.NODE_WRITE;
            case AGENT_READ -> Permission.AGENT_READ;
            case AGENT_WRITE -> new Permission("agent:write", request -> request.acl().allowAgentWrite());
            case NAMESPACE -> namespace(permission.capability());
        };
    }

    private static Permission namespace(String wireName) {
        NamespaceCapability capability = NamespaceCapability.fromWireName(wireName).orElseThrow(() ->
                new IllegalArgumentException("unknown namespace capability '" + wireName + "'"));
        return new Permission("namespace:" + wireName, request -> request.acl().allowNamespaceOperation(
                request.query("namespace").orElse("default"), capability));
    }
}
