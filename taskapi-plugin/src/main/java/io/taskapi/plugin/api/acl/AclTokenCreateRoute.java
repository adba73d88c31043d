package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.StateUnavailableException;

/**
 * {@code POST /v1/acl/token} (Nomad's path) and {@code POST /v1/acl/tokens}: creates a token from Nomad's token JSON
 * and returns it with its new secret.
 */
public final class AclTokenCreateRoute implements ApiRoute {
    private final String path;
    private final AclTokenWriter writer;

    /**
     * @param path the path it answers on
     * @param writer validates and stores
     */
    public AclTokenCreateRoute(String path, AclTokenWriter writer) {
        this.path = requireNonNull(path, "path is null");
        this.writer = requireNonNull(writer, "writer is null");
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Permission permission() {
        return Permission.MANAGEMENT;
    }

    @Override
    public String help() {
        return "Creates an ACL token from {\"Name\",\"Type\":\"client\"|\"management\",\"Policies\":[...],"
                + "\"ExpirationTTL\"|\"ExpirationTime\"} and returns it, with a generated SecretID.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING_WITH_BODY; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        return AclTokenView.withSecret(writer.create(request.bodyJson()));
    }
}
