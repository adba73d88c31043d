package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.bexpr.Filter;
import io.taskapi.bexpr.FilterException;
import io.taskapi.plugin.auth.login.JwtMethodConfig;
import io.taskapi.plugin.auth.login.JwtMethodConfigJson;
import io.taskapi.plugin.authz.Permission;
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
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Nomad's ACL auth method and binding rule routes. Only {@code JWT} methods; every write and read needs management,
 * but listing the methods (names and types, what a login page shows) needs only authentication, as in Nomad.
 */
public final class AclAuthMethodRoutes implements RouteGroup {
    /** Nomad's {@code ValidACLAuthMethod}. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-]{1,128}");
    private static final Duration MIN_TTL = Duration.ofMinutes(1);
    private static final Duration MAX_TTL = Duration.ofHours(24);
    private static final int MAX_DESCRIPTION_LENGTH = 256;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METHOD_BODY = "{\"Name\",\"Type\":\"JWT\",\"TokenLocality\":\"local\"|\"global\","
            + "\"MaxTokenTTL\",\"Default\",\"Config\":{\"JWTValidationPubKeys\"|\"JWKSURL\",\"BoundAudiences\","
            + "\"BoundIssuer\",\"ClaimMappings\",\"ListClaimMappings\",\"NotBeforeLeeway\",\"ExpirationLeeway\","
            + "\"ClockSkewLeeway\",\"SigningAlgs\"}}";
    private static final String RULE_BODY = "{\"Description\",\"AuthMethod\",\"Selector\",\"BindType\":\"role\"|"
            + "\"policy\"|\"management\",\"BindName\"}";

    private final AclAuthMethodStore store;
    private final Clock clock;

    /**
     * @param store the methods and rules
     * @param clock create and modify times
     */
    @Inject
    public AclAuthMethodRoutes(AclAuthMethodStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.on("GET", "/v1/acl/auth-methods").permission(Permission.AUTHENTICATED)
                        .help("Lists ACL auth methods (name, type, default, indexes).")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING, request -> store.listMethods().stream().map(MethodView::stub)
                                .toList()),
                Route.on(Set.of("POST", "PUT"), "/v1/acl/auth-method").permission(Permission.MANAGEMENT)
                        .help("Creates an ACL auth method from " + METHOD_BODY + " and returns it.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING_WITH_BODY, request -> MethodView.of(
                                writeMethod(Optional.empty(), request.bodyJson()))),
                Route.on("GET", "/v1/acl/auth-method/:name").permission(Permission.MANAGEMENT)
                        .help("Returns the named ACL auth method with its config.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING, request -> MethodView.of(store.findMethod(request.param("name"))
                                .orElseThrow(() -> new ApiException(404, "ACL auth method not found")))),
                Route.on(Set.of("POST", "PUT"), "/v1/acl/auth-method/:name").permission(Permission.MANAGEMENT)
                        .help("Replaces the named ACL auth method from " + METHOD_BODY + " and returns it.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING_WITH_BODY, request -> MethodView.of(
                                writeMethod(Optional.of(request.param("name")), request.bodyJson()))),
                Route.on("DELETE", "/v1/acl/auth-method/:name").permission(Permission.MANAGEMENT)
                        .help("Deletes the named ACL auth method and its binding rules.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING, request -> deleted(store.deleteMethod(request.param("name")),
                                "ACL auth method not found")),
                Route.on("GET", "/v1/acl/binding-rules").permission(Permission.MANAGEMENT)
                        .help("Lists ACL binding rules. ?authMethod= keeps one method's.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING, this::listRules),
                Route.on(Set.of("POST", "PUT"), "/v1/acl/binding-rule").permission(Permission.MANAGEMENT)
                        .help("Creates an ACL binding rule from " + RULE_BODY + " and returns it with its new ID.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING_WITH_BODY, request -> RuleView.of(
                                writeRule(Optional.empty(), request.bodyJson()))),
                Route.on("GET", "/v1/acl/binding-rule/:id").permission(Permission.MANAGEMENT)
                        .help("Returns the ACL binding rule with this id.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING, request -> RuleView.of(store.findRule(request.param("id"))
                                .orElseThrow(() -> new ApiException(404, "ACL binding rule not found")))),
                Route.on(Set.of("POST", "PUT"), "/v1/acl/binding-rule/:id").permission(Permission.MANAGEMENT)
                        .help("Replaces the ACL binding rule with this id from " + RULE_BODY + " and returns it.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING_WITH_BODY, request -> RuleView.of(
                                writeRule(Optional.of(request.param("id")), request.bodyJson()))),
                Route.on("DELETE", "/v1/acl/binding-rule/:id").permission(Permission.MANAGEMENT)
                        .help("Deletes the ACL binding rule with this id.")
                        .watches(Watch.ACL_AUTH_METHODS)
                        .runs(Execution.BLOCKING, request -> deleted(store.deleteRule(request.param("id")),
                                "ACL binding rule not found")));
    }

    private static Object deleted(boolean deleted, String notFound) throws ApiException {
        if (!deleted) {
            throw new ApiException(404, notFound);
        }
        return new ApiResponse(200, Optional.empty(), Map.of());
    }

    private Object listRules(ApiRequest request) throws StateUnavailableException {
        Optional<String> method = request.query("authMethod").filter(name -> !name.isEmpty());
        return store.listRules().stream().filter(rule -> method.map(rule.authMethod()::equals).orElse(true))
                .map(RuleView::stub).toList();
    }

    private AclAuthMethod writeMethod(Optional<String> pathName, JsonNode node)
            throws ApiException, StateUnavailableException {
        JsonBody body = JsonBody.of(node);
        String name = body.string("Name").orElse(pathName.orElse(""));
        String type = body.string("Type").orElse("");
        String locality = body.string("TokenLocality").orElse("");
        Optional<Duration> ttl = body.raw("MaxTokenTTL").flatMap(GoDurations::read);
        boolean hasTtl = body.raw("MaxTokenTTL").isPresent();
        boolean isDefault = body.bool("Default").orElse(false);
        Optional<JsonNode> configNode = body.raw("Config");
        body.string("TokenNameFormat").filter(format -> !format.isEmpty()
                        && !format.equals("${auth_method_type}-${auth_method_name}"))
                .ifPresent(format -> body.error("TokenNameFormat other than the default is not supported"));
        body.ignore("CreateTime", "ModifyTime", "CreateIndex", "ModifyIndex", "Hash");
        pathName.filter(path -> !path.equals(name)).ifPresent(path -> body.error("Name does not match the path"));
        if (!NAME.matcher(name).matches()) {
            body.error("invalid name '" + name + "'");
        }
        if (!type.equals("JWT")) {
            body.error(type.equals("OIDC") ? "OIDC auth methods are not supported; use JWT"
                    : "invalid token type '" + type + "'");
        }
        if (!locality.equals("local") && !locality.equals("global")) {
            body.error("invalid token locality '" + locality + "'");
        }
        if (hasTtl && ttl.isEmpty()) {
            body.error("MaxTokenTTL must be a duration such as 1h");
        } else if (ttl.isEmpty() || ttl.get().compareTo(MIN_TTL) < 0 || ttl.get().compareTo(MAX_TTL) > 0) {
            body.error("invalid MaxTokenTTL value '" + ttl.map(GoDurations::format).orElse("0s")
                    + "' (should be between " + GoDurations.format(MIN_TTL) + " and " + GoDurations.format(MAX_TTL)
                    + ")");
        }
        List<String> configErrors = new ArrayList<>();
        Optional<JwtMethodConfig> config = Optional.empty();
        if (configNode.isEmpty()) {
            body.error("missing config");
        } else {
            config = JwtMethodConfigJson.read(configNode.get(), configErrors, GoDurations::read);
            configErrors.forEach(body::error);
        }
        body.finish();
        if (isDefault) {
            for (AclAuthMethod other : store.listMethods()) {
                if (other.isDefault() && !other.name().equals(name)) {
                    throw new ApiException(400, "default method already exists: " + other.name());
                }
            }
        }
        Optional<AclAuthMethod> existing = store.findMethod(name);
        if (pathName.isPresent() && existing.isEmpty()) {
            throw new ApiException(404, "cannot find auth method " + name);
        }
        Instant now = clock.instant();
        String configJson = JwtMethodConfigJson.write(config.orElseThrow(), GoDurations::format).toString();
        return store.putMethod(new AclAuthMethod(name, type, locality, ttl.orElseThrow(), isDefault, configJson,
                existing.map(AclAuthMethod::createTime).orElse(now), now, 0, 0));
    }

    private AclBindingRule writeRule(Optional<String> pathId, JsonNode node)
            throws ApiException, StateUnavailableException {
        JsonBody body = JsonBody.of(node);
        Optional<String> id = body.string("ID").filter(given -> !given.isEmpty());
        String description = body.string("Description").orElse("");
        String method = body.string("AuthMethod").orElse("");
        String selector = body.string("Selector").orElse("");
        String bindType = body.string("BindType").orElse("");
        String bindName = body.string("BindName").orElse("");
        body.ignore("CreateTime", "ModifyTime", "CreateIndex", "ModifyIndex", "Hash");
        if (pathId.isEmpty() && id.isPresent()) {
            body.error("cannot specify an ID when creating an ACL binding rule");
        }
        if (pathId.isPresent() && id.isPresent() && !id.get().equals(pathId.get())) {
            body.error("ACL binding rule ID does not match request path");
        }
        if (method.isEmpty()) {
            body.error("auth method is missing");
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            body.error("description longer than " + MAX_DESCRIPTION_LENGTH);
        }
        if (!selector.isEmpty()) {
            try {
                Filter.compile(selector);
            } catch (FilterException e) {
                body.error("selector is invalid: " + e.getMessage());
            }
        }
        switch (bindType) {
            case "role", "policy" -> {
                if (bindName.isEmpty()) {
                    body.error("bind name is missing");
                }
            }
            case "management" -> {
                if (!bindName.isEmpty()) {
                    body.error("bind name must be empty for the management bind type");
                }
            }
            case "" -> body.error("bind type is missing");
            default -> body.error("invalid bind type '" + bindType + "'");
        }
        body.finish();
        if (store.findMethod(method).isEmpty()) {
            throw new ApiException(400, "ACL auth method " + method + " not found");
        }
        Optional<AclBindingRule> existing = pathId.isPresent() ? store.findRule(pathId.get()) : Optional.empty();
        if (pathId.isPresent() && existing.isEmpty()) {
            throw new ApiException(404, "cannot find binding rule " + pathId.get());
        }
        Instant now = clock.instant();
        try {
            return store.putRule(new AclBindingRule(pathId.orElseGet(() -> UUID.randomUUID().toString()),
                    description, method, selector, bindType, bindName,
                    existing.map(AclBindingRule::createTime).orElse(now), now, 0, 0));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "ACL auth method " + method + " not found");
        }
    }

    /** Nomad's {@code api.ACLAuthMethod}; the list stub leaves out the config, locality, TTL and times. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MethodView(@JsonProperty("Name") String name,
                      @JsonProperty("Type") String type,
                      @JsonProperty("TokenLocality") String tokenLocality,
                      @JsonProperty("TokenNameFormat") String tokenNameFormat,
                      @JsonProperty("MaxTokenTTL") String maxTokenTtl,
                      @JsonProperty("Default") boolean isDefault,
                      @JsonProperty("Config") JsonNode config,
                      @JsonProperty("CreateTime") Instant createTime,
                      @JsonProperty("ModifyTime") Instant modifyTime,
                      @JsonProperty("CreateIndex") long createIndex,
                      @JsonProperty("ModifyIndex") long modifyIndex) {
        static MethodView of(AclAuthMethod method) {
            JsonNode config;
            try {
                config = JSON.readTree(method.config());
            } catch (IOException e) {
                throw new IllegalStateException("stored auth method config is not JSON", e);
            }
            return new MethodView(method.name(), method.type(), method.tokenLocality(),
                    "${auth_method_type}-${auth_method_name}", GoDurations.format(method.maxTokenTtl()),
                    method.isDefault(), config, method.createTime(), method.modifyTime(), method.createIndex(),
                    method.modifyIndex());
        }

        static MethodView stub(AclAuthMethod method) {
            return new MethodView(method.name(), method.type(), null, null, null, method.isDefault(), null, null,
                    null, method.createIndex(), method.modifyIndex());
        }
    }

    /** Nomad's {@code api.ACLBindingRule}; the list stub leaves out the selector, bind type and name, and times. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RuleView(@JsonProperty("ID") String id,
                    @JsonProperty("Description") String description,
                    @JsonProperty("AuthMethod") String authMethod,
                    @JsonProperty("Selector") String selector,
                    @JsonProperty("BindType") String bindType,
                    @JsonProperty("BindName") String bindName,
                    @JsonProperty("CreateTime") Instant createTime,
                    @JsonProperty("ModifyTime") Instant modifyTime,
                    @JsonProperty("CreateIndex") long createIndex,
                    @JsonProperty("ModifyIndex") long modifyIndex) {
        static RuleView of(AclBindingRule rule) {
            return new RuleView(rule.id(), rule.description(), rule.authMethod(), rule.selector(), rule.bindType(),
                    rule.bindName(), rule.createTime(), rule.modifyTime(), rule.createIndex(), rule.modifyIndex());
        }

        static RuleView stub(AclBindingRule rule) {
            return new RuleView(rule.id(), rule.description(), rule.authMethod(), null, null, null, null, null,
                    rule.createIndex(), rule.modifyIndex());
        }
    }
}
