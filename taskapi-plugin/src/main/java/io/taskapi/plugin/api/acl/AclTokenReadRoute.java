package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.AclTokenIdentity;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;

/** {@code GET /v1/acl/token/:accessor}: one token, with its secret, for management or for its own holder. */
public final class AclTokenReadRoute implements ApiRoute {
    private final AclTokenStore tokens;

    /** @param tokens the tokens */
    @Inject
    public AclTokenReadRoute(AclTokenStore tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/acl/token/:accessor";
    }

    @Override
    public Permission permission() {
        return new Permission("management, or the token itself", request -> request.acl().isManagement()
                || request.identity() instanceof AclTokenIdentity own
                && own.token().accessorId().equals(request.param("accessor")));
    }

    @Override
    public String help() {
        return "Returns the ACL token with this accessor id, including its SecretID.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the token store may do I/O
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        AclToken token = tokens.findByAccessorId(request.param("accessor"))
                .orElseThrow(() -> new ApiException(404, "ACL token not found"));
        return AclTokenView.withSecret(token);
    }
}
