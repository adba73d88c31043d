package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.auth.login.JwtLoginVerifier;
import io.taskapi.plugin.auth.login.JwtMethodConfig;
import io.taskapi.plugin.auth.login.JwtMethodConfigJson;
import io.taskapi.plugin.auth.login.LoginBinder;
import io.taskapi.plugin.auth.login.LoginRejectedException;
import io.taskapi.plugin.auth.TokenExtractor;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.config.AclConfig;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.ApiRequest;
import io.taskapi.plugin.http.ApiResponse;
import io.taskapi.plugin.http.Execution;
import io.taskapi.plugin.http.JsonBody;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.RouteGroup;
import io.taskapi.plugin.http.Watch;
import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nomad's {@code POST /v1/acl/login}: a JWT verified against an auth method becomes a new ACL token, answered as JSON
 * and as the {@code token} cookie. Needs no credential (a credential sent along is ignored), on the operator listener
 * and on task sockets alike; the task socket's rate limit applies. The statuses are Nomad's: 400 for a bad request,
 * an unknown method and no matching binding rule, 401 for a token that does not verify.
 */
public final class AclLoginRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(AclLoginRoutes.class);
    private static final Permission NO_CREDENTIAL = new Permission("none: no credential needed", request -> true);

    private final AclAuthMethodStore methods;
    private final AclRoleStore roles;
    private final AclPolicyStore policies;
    private final AclTokenStore tokens;
    private final AclConfig config;
    private final Clock clock;

    /**
     * @param methods the auth methods and binding rules
     * @param roles the roles rules bind
     * @param policies the policies rules bind
     * @param tokens where the new token goes
     * @param config whether ACLs are enabled
     * @param clock token times
     */
    @Inject
    public AclLoginRoutes(AclAuthMethodStore methods, AclRoleStore roles, AclPolicyStore policies,
                          AclTokenStore tokens, AclConfig config, Clock clock) {
        this.methods = requireNonNull(methods, "methods is null");
        this.roles = requireNonNull(roles, "roles is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.on(Set.of("POST", "PUT"), "/v1/acl/login").permission(NO_CREDENTIAL)
                .withoutCredential()
                .help("Exchanges a JWT for a new ACL token: {\"AuthMethodName\",\"LoginToken\"}. Answers the token"
                        + " (with its SecretID) and sets it as the token cookie. Needs no credential.")
                .watches(Watch.ACL_TOKENS)
                .runs(Execution.BLOCKING_WITH_BODY, this::login));
    }

    private Object login(ApiRequest request) throws ApiException, StateUnavailableException {
        if (!config.aclEnabled()) {
            throw new ApiException(400, "ACL support disabled");
        }
        JsonBody body = JsonBody.of(request.bodyJson());
        String methodName = body.string("AuthMethodName").orElse("");
        String loginToken = body.string("LoginToken").orElse("");
        body.ignore("Region", "Namespace");
        if (methodName.isEmpty()) {
            body.error("invalid login request: missing auth method name");
        }
        if (loginToken.isEmpty()) {
            body.error("invalid login request: missing login token");
        }
        body.finish();
        AclAuthMethod method = methods.findMethod(methodName)
                .orElseThrow(() -> new ApiException(400, "auth-method \"" + methodName + "\" not found"));
        if (!method.type().equals("JWT")) {
            throw new ApiException(400, "unsupported auth-method type: " + method.type());
        }
        JwtMethodConfig jwt = JwtMethodConfigJson.fromStored(method.config(), GoDurations::read);
        Instant now = clock.instant();
        ObjectNode claims;
        try {
            claims = JwtLoginVerifier.verify(loginToken, jwt, now);
        } catch (LoginRejectedException e) {
            LOG.debug("login through auth method {} refused: {}", method.name(), e.getMessage());
            throw new ApiException(401, "unable to validate provided token: " + e.getMessage());
        }
        LoginBinder.Bindings bindings;
        try {
            LoginBinder.MappedClaims mapped = LoginBinder.mapClaims(claims, jwt);
            bindings = LoginBinder.bind(methods.listRules().stream()
                    .filter(rule -> rule.authMethod().equals(method.name())).toList(), mapped, jwt, roles, policies);
        } catch (LoginRejectedException e) {
            throw new ApiException(400, e.getMessage());
        }
        if (bindings.none()) {
            throw new ApiException(400, "no role or policy bindings matched");
        }
        Instant expiry = now.plus(method.maxTokenTtl());
        AclToken token = new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "JWT-" + method.name(), bindings.management() ? AclTokenType.MANAGEMENT : AclTokenType.CLIENT,
                bindings.policies(), now, Optional.of(expiry), bindings.roleIds());
        tokens.put(token);
        LOG.info("login through auth method {} created ACL token {}", method.name(), token.accessorId());
        AclTokenView view = AclTokenView.withSecret(token, AclTokenRoutes.roleLinks(roles, token),
                tokens.writeIndexes(token.accessorId()), method.tokenLocality().equals("global"));
        return ApiResponse.ok(view, Map.of("Set-Cookie", cookie(token, now, expiry)));
    }

    /** The seed's cookie: HttpOnly, Secure, SameSite=Strict, for the whole API, living as long as the token. */
    static String cookie(AclToken token, Instant now, Instant expiry) {
        long maxAge = Math.max(0, expiry.getEpochSecond() - now.getEpochSecond());
        return TokenExtractor.TOKEN_COOKIE + "=" + token.secretId() + "; Path=/; Max-Age=" + maxAge + "; Expires="
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(expiry.atOffset(ZoneOffset.UTC))
                + "; HttpOnly; Secure; SameSite=Strict";
    }
}
