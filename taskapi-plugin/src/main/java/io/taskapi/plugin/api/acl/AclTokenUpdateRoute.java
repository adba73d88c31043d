package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;

/** {@code POST /v1/acl/token/:accessor}: changes a token's name or policies; its secret, type and expiry stay. */
public final class AclTokenUpdateRoute implements ApiRoute {
    private final AclTokenWriter writer;

    @Inject
    AclTokenUpdateRoute(AclTokenWriter writer) {
        this.writer = requireNonNull(writer, "writer is null");
    }

    @Override
    public String method() {
        return "POST";
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
        return "Updates the ACL token with this accessor id from {\"Name\",\"Policies\":[...]} and returns it.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING_WITH_BODY; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        return AclTokenView.withSecret(writer.update(request.param("accessor"), request.bodyJson()));
    }
}
