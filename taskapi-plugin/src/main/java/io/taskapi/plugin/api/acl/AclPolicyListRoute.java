package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * {@code GET /v1/acl/policies}: every policy for management; for anyone else, the policies they hold (Nomad answers
 * workload identities with 500 here).
 */
public final class AclPolicyListRoute implements ApiRoute {
    private final AclPolicyStore policies;
    private final AclResolver acls;

    /**
     * @param policies the policies
     * @param acls which policies a caller holds
     */
    @Inject
    public AclPolicyListRoute(AclPolicyStore policies, AclResolver acls) {
        this.policies = requireNonNull(policies, "policies is null");
        this.acls = requireNonNull(acls, "acls is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/acl/policies";
    }

    @Override
    public Permission permission() {
        return Permission.AUTHENTICATED;
    }

    @Override
    public String help() {
        return "Lists ACL policies (name, description, job binding, indexes): all of them for a management token,"
                + " otherwise the ones the caller holds.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the policy store may do I/O
    }

    @Override
    public Object handle(ApiRequest request) throws StateUnavailableException {
        boolean all = request.acl().isManagement();
        Set<String> held = all ? Set.of() : acls.policyNames(request.identity());
        return policies.list().stream()
                .filter(policy -> all || held.contains(policy.name()))
                .map(AclPolicyView::stub)
                .toList();
    }
}
