package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/** {@code DELETE /v1/acl/policy/:name}: deletes a policy; its holders lose it on the next request. */
public final class AclPolicyDeleteRoute implements ApiRoute {
    private final AclPolicyStore policies;
    private final AclResolver acls;

    /**
     * @param policies the policies
     * @param acls compiled ACLs to drop
     */
    @Inject
    public AclPolicyDeleteRoute(AclPolicyStore policies, AclResolver acls) {
        this.policies = requireNonNull(policies, "policies is null");
        this.acls = requireNonNull(acls, "acls is null");
    }

    @Override
    public String method() {
        return "DELETE";
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
        return "Deletes the named ACL policy. 404 when there is none.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        boolean deleted = policies.delete(request.param("name"));
        acls.invalidate();
        if (!deleted) {
            throw new ApiException(404, "ACL policy not found");
        }
        return new ApiResponse(200, Optional.empty(), Map.of());
    }
}
