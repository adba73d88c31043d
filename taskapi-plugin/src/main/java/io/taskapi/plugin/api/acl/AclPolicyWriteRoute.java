package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.StateUnavailableException;

/**
 * {@code POST} and {@code PUT /v1/acl/policy/:name} (Nomad takes both): creates or replaces a policy; it applies from
 * the next request on.
 */
public final class AclPolicyWriteRoute implements ApiRoute {
    private final String method;
    private final AclPolicyWriter writer;

    /**
     * @param method POST or PUT
     * @param writer validates and stores
     */
    public AclPolicyWriteRoute(String method, AclPolicyWriter writer) {
        this.method = requireNonNull(method, "method is null");
        this.writer = requireNonNull(writer, "writer is null");
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return "/v1/acl/policy/:name";
    }

    @Override
    public Permission permission() {
        return Permission.MANAGEMENT;
    }

    @Override
    public String help() {
        return "Creates or replaces the named ACL policy from {\"Description\",\"Rules\",\"JobACL\":{\"Namespace\","
                + "\"JobID\",\"Group\",\"Task\"}}. Rules are Nomad's policy language (HCL or JSON), checked strictly.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING_WITH_BODY; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        return AclPolicyView.of(writer.write(request.param("name"), request.bodyJson()));
    }
}
