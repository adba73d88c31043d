package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.config.Durations;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.JsonBody;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates and updates ACL tokens from Nomad's token JSON, validating it the way Nomad does: a client token needs
 * policies, a management token has none, an expiry is in the future. Secrets are generated here, never taken from
 * the request; an update may send the token back as read (its secret and expiry unchanged), as Nomad's clients do.
 */
public final class AclTokenWriter {
    private static final int MAX_NAME_LENGTH = 256;

    private final AclTokenStore tokens;
    private final AclRoleStore roles;
    private final Clock clock;

    /**
     * @param tokens where tokens go
     * @param roles the roles a token may hold
     * @param clock creation times and expiry
     */
    @Inject
    public AclTokenWriter(AclTokenStore tokens, AclRoleStore roles, Clock clock) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.roles = requireNonNull(roles, "roles is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    AclToken create(JsonNode body) throws ApiException, StateUnavailableException {
        Instant now = clock.instant();
        Fields fields = read(body, Optional.empty(), now);
        AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), fields.name,
                fields.type, fields.policies, now, fields.expiry, resolveRoles(fields.roles));
        tokens.put(token);
        return token;
    }

    AclToken update(String accessorId, JsonNode body) throws ApiException, StateUnavailableException {
        AclToken existing = tokens.findByAccessorId(accessorId)
                .orElseThrow(() -> new ApiException(404, "ACL token not found"));
        Fields fields = read(body, Optional.of(existing), clock.instant());
        if (fields.type != existing.type()) {
            throw new ApiException(400, "cannot change the type of a token");
        }
        AclToken updated = new AclToken(existing.accessorId(), existing.secretId(), fields.name, fields.type,
                fields.policies, existing.createTime(), existing.expirationTime(), resolveRoles(fields.roles));
        tokens.put(updated);
        return updated;
    }

    /**
     * Stores a token made by a login, validated by the caller.
     *
     * @param token the token
     * @return it
     */
    AclToken store(AclToken token) throws StateUnavailableException {
        tokens.put(token);
        return token;
    }

    /** Nomad's role links, {@code {"ID"}} or {@code {"Name"}}, as role ids; an unknown role is a 400. */
    private List<String> resolveRoles(List<RoleRef> refs) throws ApiException, StateUnavailableException {
        Set<String> ids = new LinkedHashSet<>();
        for (RoleRef ref : refs) {
            Optional<AclRole> role = ref.byId() ? roles.find(ref.value()) : roles.findByName(ref.value());
            ids.add(role.orElseThrow(() -> new ApiException(400, "cannot find role " + ref.value())).id());
        }
        return List.copyOf(ids);
    }

    private record RoleRef(boolean byId, String value) {}

    private record Fields(String name, AclTokenType type, List<String> policies, List<RoleRef> roles,
                          Optional<Instant> expiry) {}

    private static Fields read(JsonNode node, Optional<AclToken> existing, Instant now) throws ApiException {
        JsonBody body = JsonBody.of(node);
        String name = body.string("Name").orElse(existing.map(AclToken::name).orElse(""));
        String typeName = body.string("Type").orElse(existing.map(t -> AclTokenView.typeName(t.type()))
                .orElse("client"));
        List<String> policies = body.strings("Policies");
        List<RoleRef> roles = roleRefs(body);
        // Nomad's Go client sends "" for a TTL and a secret it has not set.
        Optional<String> ttl = body.string("ExpirationTTL").filter(text -> !text.isEmpty());
        Optional<String> expirationTime = body.string("ExpirationTime");
        Optional<String> accessor = body.string("AccessorID");
        Optional<String> secret = body.string("SecretID").filter(text -> !text.isEmpty());
        if (existing.isEmpty()) {
            secret.ifPresent(s -> body.error("SecretID cannot be set"));
        } else if (secret.isPresent() && !sameSecret(secret.get(), existing.get().secretId())) {
            // Nomad keeps the stored secret whatever an update sends; saying so beats a silent no.
            body.error("SecretID cannot be changed");
        }
        body.bool("Global");
        body.ignore("CreateTime", "CreateIndex", "ModifyIndex", "Hash", "Namespace");

        AclTokenType type = switch (typeName) {
            case "client" -> AclTokenType.CLIENT;
            case "management" -> AclTokenType.MANAGEMENT;
            default -> {
                body.error("Type must be client or management");
                yield AclTokenType.CLIENT;
            }
        };
        if (name.length() > MAX_NAME_LENGTH) {
            body.error("Name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (type == AclTokenType.CLIENT && policies.isEmpty() && roles.isEmpty()) {
            body.error("client token missing policies or roles");
        }
        if (type == AclTokenType.MANAGEMENT && !policies.isEmpty()) {
            body.error("management token cannot be associated with policies");
        }
        if (type == AclTokenType.MANAGEMENT && !roles.isEmpty()) {
            body.error("management token cannot be associated with roles");
        }
        existing.ifPresent(token -> accessor.filter(id -> !id.equals(token.accessorId()))
                .ifPresent(id -> body.error("AccessorID does not match the path")));
        Optional<Instant> expiry = Optional.empty();
        if (ttl.isPresent() && expirationTime.isPresent()) {
            body.error("set ExpirationTTL or ExpirationTime, not both");
        } else if (ttl.isPresent()) {
            expiry = parseTtl(body, ttl.get()).map(now::plus);
        } else if (expirationTime.isPresent()) {
            try {
                expiry = Optional.of(Instant.parse(expirationTime.get()));
            } catch (DateTimeParseException e) {
                body.error("ExpirationTime must be an RFC 3339 time");
            }
        }
        if (existing.isPresent()) {
            // As Nomad validates an update: the expiry may come back as read, not changed.
            boolean expiryChanged = expirationTime.isPresent() && !expiry.equals(existing.get().expirationTime());
            if (ttl.isPresent() || expiryChanged) {
                body.error("the expiry of an existing token cannot be changed");
            }
        } else {
            expiry.filter(at -> !at.isAfter(now)).ifPresent(at -> body.error("expiry must be in the future"));
        }
        body.finish();
        return new Fields(name, type, policies, roles, expiry);
    }

    private static List<RoleRef> roleRefs(JsonBody body) {
        Optional<JsonNode> links = body.raw("Roles");
        if (links.isEmpty()) {
            return List.of();
        }
        List<RoleRef> refs = new ArrayList<>();
        String shape = "Roles must be a list of {\"ID\"} or {\"Name\"} objects";
        if (!links.get().isArray()) {
            body.error(shape);
            return List.of();
        }
        for (JsonNode link : links.get()) {
            JsonNode id = link.get("ID");
            JsonNode name = link.get("Name");
            if (id != null && id.isTextual() && !id.asText().isEmpty()) {
                refs.add(new RoleRef(true, id.asText()));
            } else if (name != null && name.isTextual() && !name.asText().isEmpty()) {
                refs.add(new RoleRef(false, name.asText()));
            } else {
                body.error(shape);
                return List.of();
            }
        }
        return refs;
    }

    /** Compares in constant time: how long the comparison takes says nothing about the stored secret. */
    private static boolean sameSecret(String sent, String stored) {
        return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<Duration> parseTtl(JsonBody body, String text) {
        try {
            return Optional.of(Durations.parseGo(text));
        } catch (IllegalArgumentException e) {
            body.error("ExpirationTTL must be a duration such as 30m or 1h30m");
            return Optional.empty();
        }
    }
}
