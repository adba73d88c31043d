package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Nomad's ACL policy routes: list, read, write and delete. A change applies from the next request on: the compiled
 * ACLs are dropped with it.
 */
public final class AclPolicyRoutes implements RouteGroup {
    private final AclPolicyStore policies;
    private final AclPolicyWriter writer;
    private final AclResolver acls;
    private final Permission managementOrHolder;

    /**
     * @param policies the policies
     * @param writer validates and stores written policies
     * @param acls which policies a caller holds, and the compiled ACLs to drop
     */
    @Inject
    public AclPolicyRoutes(AclPolicyStore policies, AclPolicyWriter writer, AclResolver acls) {
        this.policies = requireNonNull(policies, "policies is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.acls = requireNonNull(acls, "acls is null");
        this.managementOrHolder = new Permission("management, or a caller holding the policy", request ->
                request.acl().isManagement() || acls.policyNames(request.identity()).contains(request.param("name")));
    }

    @Override
    public List<Route> routes() {
        // All BLOCKING: the policy store may do I/O.
        return List.of(
                // Nomad answers workload identities with 500 here.
                Route.on("GET", "/v1/acl/policies").permission(Permission.AUTHENTICATED)
                        .help("Lists ACL policies (name, description, job binding, indexes): all of them for a"
                                + " management token, otherwise the ones the caller holds. ?prefix= on the name.")
                        .runs(Execution.BLOCKING, this::list),
                Route.on("GET", "/v1/acl/policy/:name").permission(managementOrHolder)
                        .help("Returns the named ACL policy with its rules. Management tokens may read any policy;"
                                + " other callers only the policies they hold.")
                        .runs(Execution.BLOCKING, this::read),
                // Nomad takes both methods.
                Route.on(Set.of("POST", "PUT"), "/v1/acl/policy/:name").permission(Permission.MANAGEMENT)
                        .help("Creates or replaces the named ACL policy from {\"Description\",\"Rules\",\"JobACL\":"
                                + "{\"Namespace\",\"JobID\",\"Group\",\"Task\"}}. Rules are Nomad's policy language"
                                + " (HCL or JSON), checked strictly.")
                        .runs(Execution.BLOCKING_WITH_BODY, request -> AclPolicyView.of(
                                writer.write(request.param("name"), request.bodyJson()))),
                Route.on("DELETE", "/v1/acl/policy/:name").permission(Permission.MANAGEMENT)
                        .help("Deletes the named ACL policy. 404 when there is none.")
                        .runs(Execution.BLOCKING, this::delete));
    }

    private Object list(ApiRequest request) throws StateUnavailableException {
        boolean all = request.acl().isManagement();
        Set<String> held = all ? Set.of() : acls.policyNames(request.identity());
        String prefix = request.query("prefix").orElse("");
        return policies.list().stream()
                .filter(policy -> policy.name().startsWith(prefix))
                .filter(policy -> all || held.contains(policy.name()))
                .map(AclPolicyView::stub)
                .toList();
    }

    private Object read(ApiRequest request) throws ApiException, StateUnavailableException {
        // The permission check ran first: whether a policy exists is only disclosed to callers allowed to read it.
        AclPolicy policy = policies.find(request.param("name")).orElseThrow(AclPolicyRoutes::notFound);
        return AclPolicyView.of(policy);
    }

    private Object delete(ApiRequest request) throws ApiException, StateUnavailableException {
        boolean deleted = policies.delete(request.param("name"));
        acls.invalidate();
        if (!deleted) {
            throw notFound();
        }
        return new ApiResponse(200, Optional.empty(), Map.of());
    }

    private static ApiException notFound() {
        return new ApiException(404, "ACL policy not found");
    }
}
