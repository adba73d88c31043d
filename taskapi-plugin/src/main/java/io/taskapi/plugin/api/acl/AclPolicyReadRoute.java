package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;

/** {@code GET /v1/acl/policy/:name}: one policy with its rules, for management or a caller holding it. */
public final class AclPolicyReadRoute implements ApiRoute {
    private final AclPolicyStore policies;
    private final AclResolver acls;

    /**
     * @param policies the policies
     * @param acls which policies a caller holds
     */
    @Inject
    public AclPolicyReadRoute(AclPolicyStore policies, AclResolver acls) {
        this.policies = requireNonNull(policies, "policies is null");
        this.acls = requireNonNull(acls, "acls is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/acl/policy/:name";
    }

    @Override
    public Permission permission() {
        return new Permission("management, or a caller holding the policy", request ->
                request.acl().isManagement() || acls.policyNames(request.identity()).contains(request.param("name")));
    }

    @Override
    public String help() {
        return "Returns the named ACL policy with its rules. Management tokens may read any policy; other callers"
                + " only the policies they hold.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the policy store may do I/O
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        String name = request.param("name");
        // The permission check ran first: whether a policy exists is only disclosed to callers allowed to read it.
        AclPolicy policy = policies.find(name).orElseThrow(() -> new ApiException(404, "ACL policy not found"));
        return AclPolicyView.of(policy);
    }
}
