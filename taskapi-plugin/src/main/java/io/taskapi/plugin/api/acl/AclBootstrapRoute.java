package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /v1/acl/bootstrap}: creates the first management token, once in the store's life. Like Nomad it needs
 * no token on the operator listener; on a task socket every request needs one, so a task cannot bootstrap.
 */
public final class AclBootstrapRoute implements ApiRoute {
    private final AclTokenStore tokens;
    private final Clock clock;

    /**
     * @param tokens where the token goes
     * @param clock its creation time
     */
    @Inject
    public AclBootstrapRoute(AclTokenStore tokens, Clock clock) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return "/v1/acl/bootstrap";
    }

    @Override
    public Permission permission() {
        return Permission.AUTHENTICATED;
    }

    @Override
    public String help() {
        return "Creates the initial management token and returns it with its SecretID. Works once; afterwards"
                + " answers 400.";
    }

    @Override
    public Execution execution(ApiRequest request) {
        return Execution.BLOCKING; // a durable store write
    }

    @Override
    public Object handle(ApiRequest request) throws ApiException, StateUnavailableException {
        // Nomad's optional BootstrapSecret is not supported: secrets are generated, and the body is never read.
        AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "Bootstrap Token", AclTokenType.MANAGEMENT, List.of(), clock.instant(), Optional.empty());
        if (!tokens.bootstrap(token)) {
            throw new ApiException(400, "ACL bootstrap already done");
        }
        return AclTokenView.withSecret(token);
    }
}
