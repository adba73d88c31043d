package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.Comparator;

/** {@code GET /v1/acl/tokens}: every token, without secrets. */
public final class AclTokenListRoute implements ApiRoute {
    private final AclTokenStore tokens;

    /** @param tokens the tokens */
    @Inject
    public AclTokenListRoute(AclTokenStore tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/acl/tokens";
    }

    @Override
    public Permission permission() {
        return Permission.MANAGEMENT;
    }

    @Override
    public String help() {
        return "Lists every ACL token (accessor, name, type, policies, times), without secrets.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // the token store may do I/O
    }

    @Override
    public Object handle(ApiRequest request) throws StateUnavailableException {
        return tokens.list().stream()
                .sorted(Comparator.comparing(AclToken::createTime).thenComparing(AclToken::accessorId))
                .map(AclTokenView::stub)
                .toList();
    }
}
