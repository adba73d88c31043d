package io.taskapi.plugin.api;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.acl.NamespaceCapability;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.api.AgentPermission;
import io.taskapi.spi.api.AgentRequest;
import io.taskapi.spi.api.AgentResponse;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentRouteException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.Fields;

/**
 * Serves a route the agent added (through the SPI) like one of the plugin's own: the same chain runs first, and its
 * permission is checked against the caller's ACL in Nomad's terms.
 */
public final class AgentRouteAdapter implements ApiRoute {
    private final AgentRoute route;
    private final Permission permission;

    /** @param route the agent's route */
    public AgentRouteAdapter(AgentRoute route) {
        this.route = requireNonNull(route, "route is null");
        this.permission = permissionOf(route.permission());
    }

    @Override
    public String method() {
        return route.method();
    }

    @Override
    public String path() {
        return route.path();
    }

    @Override
    public Permission permission() {
        return permission;
    }

    @Override
    public String help() {
        return route.help();
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING_WITH_BODY; // the agent's code: nothing says it cannot block
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String segment : route.path().split("/")) {
            if (segment.startsWith(":") || segment.startsWith("*")) {
                params.put(segment.substring(1), request.param(segment.substring(1)));
            }
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        Fields fields = request.queryFields();
        for (Fields.Field field : fields) {
            query.put(field.getName(), new ArrayList<>(field.getValues()));
        }
        try {
            AgentResponse response = route.handle(new AgentRequest(params, query, request.body(),
                    request.identity().auditName()));
            Map<String, String> headers = new LinkedHashMap<>(response.headers());
            return new ApiResponse(response.status(), response.body().length == 0 ? Optional.empty()
                    : Optional.of(new ApiResponse.RawBody(response.contentType(), response.body())), headers);
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
