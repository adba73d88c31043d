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
import io.taskapi.plugin.http.Watch;
import io.taskapi.spi.api.AgentPermission;
import io.taskapi.spi.api.AgentRequest;
import io.taskapi.spi.api.AgentResponse;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentRouteException;
import io.taskapi.spi.api.CallerAccess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The routes the agent adds through the SPI, served like the plugin's own: each becomes a {@link Route}, so the same
 * chain runs first and its permission is checked against the caller's ACL in Nomad's terms. Only the request and the
 * answer are translated, between the plugin's {@link ApiRequest}/{@link ApiResponse} and the SPI's
 * {@link AgentRequest}/{@link AgentResponse}.
 *
 * <p>They all watch {@link Watch#AGENT}, whose index follows the agent's {@link io.taskapi.spi.api.AgentStateIndex}
 * when it gave one; a route that {@linkplain AgentRoute#blocks() blocks} then parks Nomad's blocking queries like the
 * plugin's own routes, and the others answer at once.
 */
public final class AgentAddedRoutes implements RouteGroup {
    private static final String INDEX_HEADER = "X-Nomad-Index";

    private final List<Route> routes;

    /**
     * @param routes the agent's routes
     * @param indexed whether the agent gave its state index ({@link io.taskapi.spi.api.AgentStateIndex}), which the
     *     index of {@link Watch#AGENT} then follows
     * @throws IllegalArgumentException when a route blocks and the agent gave no state index
     */
    public AgentAddedRoutes(List<AgentRoute> routes, boolean indexed) {
        this.routes = requireNonNull(routes, "routes is null").stream().map(route -> route(route, indexed)).toList();
    }

    @Override
    public List<Route> routes() {
        return routes;
    }

    private static Route route(AgentRoute route, boolean indexed) {
        Route.Builder builder = Route.on(route.method(), route.path())
                .permission(permissionOf(route.permission()))
                .help(route.help())
                // An index for their answers and the writes through them.
                .watches(Watch.AGENT);
        if (!route.blocks()) {
            // A route that did not opt in may read state the agent does not report: a wait could miss its changes.
            builder.answersAtOnce();
        } else if (!indexed) {
            throw new IllegalArgumentException("the agent route " + route.method() + " " + route.path()
                    + " blocks, which needs the agent's state index");
        }
        // The agent's code: nothing says it cannot block.
        return builder.runs(Execution.BLOCKING_WITH_BODY, request -> handle(route, request));
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
                    request.identity().auditName(), access(request)));
            Map<String, String> headers = new LinkedHashMap<>(response.headers());
            OptionalLong index = agentIndex(headers);
            return new ApiResponse(response.status(), response.body().length == 0 ? Optional.empty()
                    : Optional.of(new ApiResponse.RawBody(response.contentType(), response.body())),
                    headers, index);
        } catch (AgentRouteException e) {
            throw new ApiException(e.status(), e.messages());
        }
    }

    /**
     * The index the agent put in its answer ({@code X-Nomad-Index}, the index of its own state), taken out of the
     * headers so that the chain sends it, with the rest of the query metadata, from the one place that does.
     */
    private static OptionalLong agentIndex(Map<String, String> headers) {
        OptionalLong index = OptionalLong.empty();
        for (var iterator = headers.entrySet().iterator(); iterator.hasNext(); ) {
            Map.Entry<String, String> header = iterator.next();
            if (header.getKey().equalsIgnoreCase(INDEX_HEADER)) {
                iterator.remove();
                try {
                    index = OptionalLong.of(Long.parseUnsignedLong(header.getValue().trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("the agent's route answered X-Nomad-Index '" + header.getValue()
                            + "', not an index", e);
                }
            }
        }
        return index;
    }

    /** The caller's own ACL, for a route that shows only the namespaces it may read (Nomad's node allocations). */
    private static CallerAccess access(ApiRequest request) {
        return (namespace, wireName) -> request.acl().allowNamespaceOperation(
                requireNonNull(namespace, "namespace is null"), capability(wireName));
    }

    private static NamespaceCapability capability(String wireName) {
        return NamespaceCapability.fromWireName(wireName).orElseThrow(() ->
                new IllegalArgumentException("unknown namespace capability '" + wireName + "'"));
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
        NamespaceCapability capability = capability(wireName);
        return new Permission("namespace:" + wireName, request -> request.acl().allowNamespaceOperation(
                request.query("namespace").orElse("default"), capability));
    }
}
