package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Nomad ACL token. {@link #toString()} never shows the secret.
 *
 * @param accessorId the public id, safe to log
 * @param secretId the bearer secret (a UUID)
 * @param name a human name
 * @param type client or management
 * @param policies the names of the policies a client token holds
 * @param createTime when it was made
 * @param expirationTime when it stops working, if ever
 * @param roles the ids of the ACL roles a client token holds (since SPI 1.2; a store written for SPI 1.1 that does
 *     not keep them gives tokens without roles)
 */
public record AclToken(String accessorId, String secretId, String name, AclTokenType type, List<String> policies,
                       Instant createTime, Optional<Instant> expirationTime, List<String> roles) {
    /**
     * A token without roles, the SPI 1.1 form.
     *
     * @param accessorId see the record component of that name
     * @param secretId see the record component of that name
     * @param name see the record component of that name
     * @param type see the record component of that name
     * @param policies see the record component of that name
     * @param createTime see the record component of that name
     * @param expirationTime see the record component of that name
     */
    public AclToken(String accessorId, String secretId, String name, AclTokenType type, List<String> policies,
                    Instant createTime, Optional<Instant> expirationTime) {
        this(accessorId, secretId, name, type, policies, createTime, expirationTime, List.of());
    }

    /**
     * Copies the policy and role lists and checks that nothing is missing.
     *
     * @param accessorId see the record component of that name
     * @param secretId see the record component of that name
     * @param name see the record component of that name
     * @param type see the record component of that name
     * @param policies see the record component of that name
     * @param createTime see the record component of that name
     * @param expirationTime see the record component of that name
     * @param roles see the record component of that name
     */
    public AclToken {
        requireNonNull(accessorId, "accessorId is null");
        requireNonNull(secretId, "secretId is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        policies = List.copyOf(requireNonNull(policies, "policies is null"));
        requireNonNull(createTime, "createTime is null");
        requireNonNull(expirationTime, "expirationTime is null");
        roles = List.copyOf(requireNonNull(roles, "roles is null"));
    }

    /**
     * @param now the current time
     * @return whether the token has expired at {@code now}
     */
    public boolean isExpired(Instant now) {
        return expirationTime.map(expiry -> !now.isBefore(expiry)).orElse(false);
    }

    @Override
    public String toString() {
        return "AclToken[accessorId=" + accessorId + ", name=" + name + ", type=" + type + ", policies=" + policies
                + ", roles=" + roles + ", createTime=" + createTime + ", expirationTime=" + expirationTime + ", secretId=<redacted>]";
    }
}
