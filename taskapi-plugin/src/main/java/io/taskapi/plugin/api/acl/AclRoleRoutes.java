package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.auth.AclTokenIdentity;
import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.JsonBody;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.plugin.http.Watch;
import io.taskapi.plugin.authz.AccessRequest;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Nomad's ACL role routes: list, create, read by id or name, update, delete. Writes need management; a client token
 * may read the roles it holds. A change applies from the next request on: the compiled ACLs are dropped with it.
 */
public final class AclRoleRoutes implements RouteGroup {
    /** Nomad's {@code ValidACLRoleName}. */
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-]{1,128}");
    private static final int MAX_DESCRIPTION_LENGTH = 256;
    private static final String BODY_HELP = "{\"Name\",\"Description\",\"Policies\":[{\"Name\"}]}";

    private final AclRoleStore roles;
    private final AclPolicyStore policies;
    private final AclResolver acls;

    /**
     * @param roles the roles
     * @param policies the policies a role may name
     * @param acls the compiled ACLs to drop after a write
     */
    @Inject
    public AclRoleRoutes(AclRoleStore roles, AclPolicyStore policies, AclResolver acls) {
        this.roles = requireNonNull(roles, "roles is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.acls = requireNonNull(acls, "acls is null");
    }

    @Override
    public List<Route> routes() {
        Permission managementOrHolderById = new Permission("management, or a token holding the role",
                request -> request.acl().isManagement() || heldRoleIds(request).contains(request.param("id")));
        Permission managementOrHolderByName = new Permission("management, or a token holding the role",
                request -> request.acl().isManagement() || heldRoleNames(request).contains(request.param("name")));
        return List.of(
                Route.on("GET", "/v1/acl/roles").permission(Permission.AUTHENTICATED)
                        .help("Lists ACL roles: all of them for a management token, otherwise the ones the caller's"
                                + " token holds. ?prefix= on the id.")
                        .watches(Watch.ACL_ROLES)
                        .runs(Execution.BLOCKING, this::list),
                Route.on(Set.of("POST", "PUT"), "/v1/acl/role").permission(Permission.MANAGEMENT)
                        .help("Creates an ACL role from " + BODY_HELP + " and returns it with its new ID.")
                        .watches(Watch.ACL_ROLES)
                        .runs(Execution.BLOCKING_WITH_BODY, request -> AclRoleView.of(
                                write(Optional.empty(), request.bodyJson()))),
                Route.on("GET", "/v1/acl/role/name/:name").permission(managementOrHolderByName)
                        .help("Returns the ACL role with this name.")
                        .watches(Watch.ACL_ROLES)
                        .runs(Execution.BLOCKING, request -> AclRoleView.of(roles.findByName(request.param("name"))
                                .orElseThrow(AclRoleRoutes::notFound))),
                Route.on("GET", "/v1/acl/role/:id").permission(managementOrHolderById)
                        .help("Returns the ACL role with this id.")
                        .watches(Watch.ACL_ROLES)
                        .runs(Execution.BLOCKING, request -> AclRoleView.of(roles.find(request.param("id"))
                                .orElseThrow(AclRoleRoutes::notFound))),
                Route.on(Set.of("POST", "PUT"), "/v1/acl/role/:id").permission(Permission.MANAGEMENT)
                        .help("Replaces the ACL role with this id from " + BODY_HELP + " and returns it.")
                        .watches(Watch.ACL_ROLES)
                        .runs(Execution.BLOCKING_WITH_BODY, request -> AclRoleView.of(
                                write(Optional.of(request.param("id")), request.bodyJson()))),
                Route.on("DELETE", "/v1/acl/role/:id").permission(Permission.MANAGEMENT)
                        .help("Deletes the ACL role with this id; tokens holding it lose its policies at once.")
                        .watches(Watch.ACL_ROLES)
                        .runs(Execution.BLOCKING, this::delete));
    }

    private Set<String> heldRoleIds(AccessRequest request) {
        return request.identity() instanceof AclTokenIdentity token ? Set.copyOf(token.token().roles()) : Set.of();
    }

    private Set<String> heldRoleNames(AccessRequest request) throws StateUnavailableException {
        Set<String> names = new LinkedHashSet<>();
        for (String id : heldRoleIds(request)) {
            roles.find(id).ifPresent(role -> names.add(role.name()));
        }
        return names;
    }

    private Object list(ApiRequest request) throws StateUnavailableException {
        boolean all = request.acl().isManagement();
        Set<String> held = heldRoleIds(request);
        String prefix = request.query("prefix").orElse("");
        return roles.list().stream()
                .filter(role -> role.id().startsWith(prefix))
                .filter(role -> all || held.contains(role.id()))
                .map(AclRoleView::of)
                .toList();
    }

    private AclRole write(Optional<String> pathId, JsonNode node) throws ApiException, StateUnavailableException {
        JsonBody body = JsonBody.of(node);
        Optional<String> id = body.string("ID").filter(given -> !given.isEmpty());
        String name = body.string("Name").orElse("");
        String description = body.string("Description").orElse("");
        List<String> policyNames = new ArrayList<>();
        Optional<JsonNode> links = body.raw("Policies");
        if (links.isPresent()) {
            if (!links.get().isArray()) {
                body.error("Policies must be a list of {\"Name\"} objects");
            } else {
                for (JsonNode link : links.get()) {
                    JsonNode linkName = link.get("Name");
                    if (!link.isObject() || linkName == null || !linkName.isTextual() || link.size() != 1) {
                        body.error("Policies must be a list of {\"Name\"} objects");
                        break;
                    }
                    policyNames.add(linkName.asText());
                }
            }
        }
        body.ignore("CreateIndex", "ModifyIndex", "Hash", "Namespace");
        if (pathId.isEmpty() && id.isPresent()) {
            body.error("cannot specify an ID when creating an ACL role");
        }
        if (pathId.isPresent() && id.isPresent() && !id.get().equals(pathId.get())) {
            body.error("ACL role ID does not match request path");
        }
        if (!NAME.matcher(name).matches()) {
            body.error("invalid name '" + name + "': letters, digits and '-', at most 128");
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            body.error("description longer than " + MAX_DESCRIPTION_LENGTH);
        }
        if (policyNames.isEmpty()) {
            body.error("at least one policy should be specified");
        }
        body.finish();
        for (String policy : new LinkedHashSet<>(policyNames)) {
            if (policies.find(policy).isEmpty()) {
                throw new ApiException(400, "cannot find policy " + policy);
            }
        }
        if (pathId.isPresent() && roles.find(pathId.get()).isEmpty()) {
            throw new ApiException(404, "cannot find role " + pathId.get());
        }
        AclRole role = new AclRole(pathId.orElseGet(() -> UUID.randomUUID().toString()), name, description,
                List.copyOf(new LinkedHashSet<>(policyNames)), 0, 0);
        AclRole stored;
        try {
            stored = roles.put(role);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "role with name " + name + " already exists");
        }
        acls.invalidate();
        return stored;
    }

    private Object delete(ApiRequest request) throws ApiException, StateUnavailableException {
        boolean deleted = roles.delete(request.param("id"));
        acls.invalidate();
        if (!deleted) {
            throw new ApiException(404, "ACL role not found");
        }
        return new ApiResponse(200, Optional.empty(), Map.of());
    }

    private static ApiException notFound() {
        return new ApiException(404, "ACL role not found");
    }
}
