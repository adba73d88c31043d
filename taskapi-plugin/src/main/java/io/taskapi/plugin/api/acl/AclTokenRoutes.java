package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.AclTokenIdentity;
import io.taskapi.plugin.auth.WorkloadIdentity;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.plugin.http.Watch;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.WriteIndexes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Nomad's ACL token routes: bootstrap, the caller's own token, and management's list, read, create, update, delete. */
public final class AclTokenRoutes implements RouteGroup {
    private static final String CREATE_HELP = "Creates an ACL token from {\"Name\",\"Type\":\"client\"|\"management\","
            + "\"Policies\":[...],\"Roles\":[{\"ID\"|\"Name\"}],\"ExpirationTTL\"|\"ExpirationTime\"} and returns it, with a generated SecretID.";
    /** Management, or the holder of the token the path names. */
    private static final Permission MANAGEMENT_OR_OWN = new Permission("management, or the token itself", request ->
            request.acl().isManagement() || request.identity() instanceof AclTokenIdentity own
                    && own.token().accessorId().equals(request.param("accessor")));

    private final AclTokenStore tokens;
    private final AclTokenWriter writer;
    private final AclRoleStore roles;
    private final Clock clock;

    /**
     * @param tokens the tokens
     * @param writer validates and stores created and updated tokens
     * @param roles the names of the roles tokens hold
     * @param clock the bootstrap token's creation time
     */
    @Inject
    public AclTokenRoutes(AclTokenStore tokens, AclTokenWriter writer, AclRoleStore roles, Clock clock) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.roles = requireNonNull(roles, "roles is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public List<Route> routes() {
        // Store writes and reads are BLOCKING: the token store may do I/O.
        return List.of(
                // Like Nomad it needs no token on the operator listener; on a task socket every request needs one,
                // so a task cannot bootstrap.
                Route.on(Set.of("POST", "PUT"), "/v1/acl/bootstrap").permission(Permission.AUTHENTICATED)
                        .help("Creates the initial management token and returns it with its SecretID. Works once;"
                                + " afterwards answers 400.")
                        .watches(Watch.ACL_TOKENS)
                        .runs(Execution.BLOCKING, request -> bootstrap()),
                Route.on("GET", "/v1/acl/token/self").permission(Permission.AUTHENTICATED)
                        .help("Returns the token the request was made with. For a workload identity, returns its"
                                + " claims under WorkloadIdentity instead of an accessor and secret.")
                        .watches(Watch.ACL_TOKENS)
                        // The caller's own identity, in memory, unless its roles' names must be read.
                        .runs(request -> request.identity() instanceof AclTokenIdentity acl
                                && !acl.token().roles().isEmpty() ? Execution.BLOCKING : Execution.IN_MEMORY,
                                this::self),
                Route.on("GET", "/v1/acl/tokens").permission(Permission.MANAGEMENT)
                        .help("Lists every ACL token (accessor, name, type, policies, times, indexes), without"
                                + " secrets. ?prefix= on the accessor id.")
                        .watches(Watch.ACL_TOKENS)
                        .runs(Execution.BLOCKING, this::list),
                // Nomad's path (PUT or POST, as Nomad), and the plural one.
                Route.on(Set.of("POST", "PUT"), "/v1/acl/token").permission(Permission.MANAGEMENT).help(CREATE_HELP)
                        .watches(Watch.ACL_TOKENS)
                        .runs(Execution.BLOCKING_WITH_BODY, this::create),
                Route.on("POST", "/v1/acl/tokens").permission(Permission.MANAGEMENT).help(CREATE_HELP)
                        .watches(Watch.ACL_TOKENS)
                        .runs(Execution.BLOCKING_WITH_BODY, this::create),
                Route.on("GET", "/v1/acl/token/:accessor").permission(MANAGEMENT_OR_OWN)
                        .help("Returns the ACL token with this accessor id, including its SecretID.")
                        .watches(Watch.ACL_TOKENS)
                        .runs(Execution.BLOCKING, this::read),
                // Changes a token's name or policies; its secret, type and expiry stay.
                Route.on(Set.of("POST", "PUT"), "/v1/acl/token/:accessor").permission(Permission.MANAGEMENT)
                        .help("Updates the ACL token with this accessor id from {\"Name\",\"Policies\":[...]} and"
                                + " returns it.")
                        .watches(Watch.ACL_TOKENS)
                        .runs(Execution.BLOCKING_WITH_BODY, request -> withSecret(
                                writer.update(request.param("accessor"), request.bodyJson()))),
                // It stops working on the next request.
                Route.on("DELETE", "/v1/acl/token/:accessor").permission(Permission.MANAGEMENT)
                        .help("Deletes the ACL token with this accessor id. 404 when there is none.")
                        .watches(Watch.ACL_TOKENS)
                        .runs(Execution.BLOCKING, this::delete));
    }

    private Object bootstrap() throws ApiException, StateUnavailableException {
        // Nomad's optional BootstrapSecret is not supported: secrets are generated, and the body is never read.
        AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "Bootstrap Token", AclTokenType.MANAGEMENT, List.of(), clock.instant(), Optional.empty());
        if (!tokens.bootstrap(token)) {
            throw new ApiException(400, "ACL bootstrap already done");
        }
        return AclTokenView.withSecret(token, List.of(), tokens.writeIndexes(token.accessorId()), true);
    }

    /** Nomad's shape; for a workload identity (where Nomad answers 500), the identity's claims instead. */
    private Object self(ApiRequest request) throws StateUnavailableException {
        if (request.identity() instanceof AclTokenIdentity acl) {
            // The caller already holds the secret; Nomad returns it too, and its CLI expects it.
            return AclTokenView.withSecret(acl.token(), roleLinks(roles, acl.token()), WriteIndexes.NONE);
        }
        if (request.identity() instanceof WorkloadIdentity workload) {
            return AclTokenView.of(workload);
        }
        return AclTokenView.anonymous();
    }

    private Object list(ApiRequest request) throws StateUnavailableException {
        String prefix = request.query("prefix").orElse("");
        List<AclToken> listed = tokens.list().stream()
                .filter(token -> token.accessorId().startsWith(prefix))
                .sorted(Comparator.comparing(AclToken::createTime).thenComparing(AclToken::accessorId))
                .toList();
        List<AclTokenView> stubs = new ArrayList<>(listed.size());
        for (AclToken token : listed) {
            stubs.add(AclTokenView.stub(token, roleLinks(roles, token), tokens.writeIndexes(token.accessorId())));
        }
        return stubs;
    }

    private Object read(ApiRequest request) throws ApiException, StateUnavailableException {
        return withSecret(tokens.findByAccessorId(request.param("accessor")).orElseThrow(AclTokenRoutes::notFound));
    }

    private Object create(ApiRequest request) throws ApiException, StateUnavailableException {
        return withSecret(writer.create(request.bodyJson()));
    }

    private AclTokenView withSecret(AclToken token) throws StateUnavailableException {
        return AclTokenView.withSecret(token, roleLinks(roles, token), tokens.writeIndexes(token.accessorId()));
    }

    /** A token's roles as Nomad shows them; a role deleted since keeps its id and shows no name. */
    static List<AclTokenView.RoleLink> roleLinks(AclRoleStore roles, AclToken token)
            throws StateUnavailableException {
        List<AclTokenView.RoleLink> links = new ArrayList<>(token.roles().size());
        for (String id : token.roles()) {
            links.add(new AclTokenView.RoleLink(id, roles.find(id).map(AclRole::name).orElse("")));
        }
        return links;
    }

    private Object delete(ApiRequest request) throws ApiException, StateUnavailableException {
        if (!tokens.delete(request.param("accessor"))) {
            throw notFound();
        }
        return new ApiResponse(200, Optional.empty(), Map.of());
    }

    private static ApiException notFound() {
        return new ApiException(404, "ACL token not found");
    }
}
