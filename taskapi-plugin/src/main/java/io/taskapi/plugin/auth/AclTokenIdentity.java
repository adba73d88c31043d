package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AclToken;

/**
 * A caller that presented a known, unexpired ACL token.
 *
 * @param token the token (its {@code toString} hides the secret)
 */
public record AclTokenIdentity(AclToken token) implements Identity {
    /** Checks that the token is present. */
    public AclTokenIdentity {
        requireNonNull(token, "token is null");
    }

    @Override
    public String auditName() {
        return "token:" + token.accessorId();
    }
}
