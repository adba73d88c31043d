package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/** {@code DELETE /v1/acl/token/:accessor}: deletes a token; it stops working on the next request. */
public final class AclTokenDeleteRoute implements ApiRoute {
    private final AclTokenStore tokens;

    /** @param tokens the tokens */
    @Inject
    public AclTokenDeleteRoute(AclTokenStore tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public String method() {
        return "DELETE";
    }

    @Override
    public String path() {
        return "/v1/acl/token/:accessor";
    }

    @Override
    public Permission permission() {
        return Permission.MANAGEMENT;
    }

    @Override
    public String help() {
        return "Deletes the ACL token with this accessor id. 404 when there is none.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        if (!tokens.delete(request.param("accessor"))) {
            throw new ApiException(404, "ACL token not found");
        }
        return new ApiResponse(200, Optional.empty(), Map.of());
    }
}
