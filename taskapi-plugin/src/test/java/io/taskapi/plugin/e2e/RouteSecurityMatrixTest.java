package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import io.taskapi.plugin.TaskApiModule;
import io.taskapi.plugin.authz.Permission;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.http.Route;
import io.taskapi.plugin.http.Router;
import io.taskapi.plugin.lifecycle.Lifecycle;
import io.taskapi.plugin.state.EmbeddedState;
import io.taskapi.plugin.state.StateStores;
import io.taskapi.spi.AgentState;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclToken;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.TestingAgentState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route the plugin binds, through a real task socket, as every kind of caller: no credential is 401, a bad one
 * 403, an identity without policies 403 (unless the route needs nothing beyond authentication), a management token
 * 2xx. The route list comes from the plugin's own wiring, and every route must have a valid example request here,
 * so a new route cannot escape the matrix.
 */
final class RouteSecurityMatrixTest {
    @RegisterExtension
    // Every case refuses credentials on purpose, all from one uid on one socket: the failure budget would answer
    // 429 long before the matrix is through.
    static final TaskApiExtension API = TaskApiExtension.builder()
            .config("socket.unauthenticated-rate-limit", "0").build();

    private static TestTask task;
    private static final LoginJwts JWTS = new LoginJwts("matrix-key");

    /** A valid request for each route: made fresh for every call, so a delete always has something to delete. */
    private static final Map<String, Supplier<Example>> EXAMPLES = Map.ofEntries(
            Map.entry("GET /v1/agent/health", () -> Example.of("/v1/agent/health")),
            Map.entry("GET /v1/agent/self", () -> Example.of("/v1/agent/self")),
            Map.entry("GET /v1/agent/members", () -> Example.of("/v1/agent/members")),
            Map.entry("GET /v1/status/leader", () -> Example.of("/v1/status/leader")),
            Map.entry("GET /v1/status/peers", () -> Example.of("/v1/status/peers")),
            Map.entry("GET /v1/regions", () -> Example.of("/v1/regions")),
            Map.entry("GET /v1/metrics", () -> Example.of("/v1/metrics?format=prometheus")),
            Map.entry("GET /.well-known/jwks.json", () -> Example.of("/.well-known/jwks.json")),
            Map.entry("POST /v1/acl/bootstrap", () -> {
                API.tokens().resetBootstrap();
                return Example.of("/v1/acl/bootstrap");
            }),
            Map.entry("PUT /v1/acl/bootstrap", () -> {
                API.tokens().resetBootstrap();
                return Example.of("/v1/acl/bootstrap");
            }),
            Map.entry("GET /v1/acl/token/self", () -> Example.of("/v1/acl/token/self")),
            Map.entry("GET /v1/acl/tokens", () -> Example.of("/v1/acl/tokens")),
            Map.entry("POST /v1/acl/token", () -> Example.of("/v1/acl/token",
                    "{\"Name\":\"made\",\"Type\":\"client\",\"Policies\":[\"p\"]}")),
            Map.entry("PUT /v1/acl/token", () -> Example.of("/v1/acl/token",
                    "{\"Name\":\"made\",\"Type\":\"client\",\"Policies\":[\"p\"]}")),
            Map.entry("POST /v1/acl/tokens", () -> Example.of("/v1/acl/tokens",
                    "{\"Name\":\"made\",\"Type\":\"client\",\"Policies\":[\"p\"]}")),
            Map.entry("GET /v1/acl/token/:accessor", () -> Example.of("/v1/acl/token/" + someToken().accessorId())),
            Map.entry("POST /v1/acl/token/:accessor", () -> Example.of(
                    "/v1/acl/token/" + someToken().accessorId(), "{\"Name\":\"renamed\",\"Policies\":[\"p\"]}")),
            Map.entry("PUT /v1/acl/token/:accessor", () -> Example.of(
                    "/v1/acl/token/" + someToken().accessorId(), "{\"Name\":\"renamed\",\"Policies\":[\"p\"]}")),
            Map.entry("DELETE /v1/acl/token/:accessor", () -> Example.of(
                    "/v1/acl/token/" + someToken().accessorId())),
            Map.entry("GET /v1/acl/policies", () -> Example.of("/v1/acl/policies")),
            Map.entry("GET /v1/acl/policy/:name", () -> Example.of("/v1/acl/policy/" + somePolicy())),
            Map.entry("POST /v1/acl/policy/:name", () -> Example.of("/v1/acl/policy/written",
                    "{\"Rules\":\"node { policy = \\\"read\\\" }\"}")),
            Map.entry("PUT /v1/acl/policy/:name", () -> Example.of("/v1/acl/policy/written",
                    "{\"Rules\":\"node { policy = \\\"read\\\" }\"}")),
            Map.entry("DELETE /v1/acl/policy/:name", () -> Example.of("/v1/acl/policy/" + somePolicy())),
            Map.entry("GET /v1/acl/roles", () -> Example.of("/v1/acl/roles")),
            Map.entry("POST /v1/acl/role", () -> Example.of("/v1/acl/role", roleBody())),
            Map.entry("PUT /v1/acl/role", () -> Example.of("/v1/acl/role", roleBody())),
            Map.entry("GET /v1/acl/role/:id", () -> Example.of("/v1/acl/role/" + someRole().id())),
            Map.entry("GET /v1/acl/role/name/:name", () -> Example.of("/v1/acl/role/name/" + someRole().name())),
            Map.entry("POST /v1/acl/role/:id", () -> Example.of("/v1/acl/role/" + someRole().id(), roleBody())),
            Map.entry("PUT /v1/acl/role/:id", () -> Example.of("/v1/acl/role/" + someRole().id(), roleBody())),
            Map.entry("DELETE /v1/acl/role/:id", () -> Example.of("/v1/acl/role/" + someRole().id())),
            Map.entry("GET /v1/acl/auth-methods", () -> Example.of("/v1/acl/auth-methods")),
            Map.entry("POST /v1/acl/auth-method", () -> Example.of("/v1/acl/auth-method",
                    JWTS.methodBody("matrix-new"))),
            Map.entry("PUT /v1/acl/auth-method", () -> Example.of("/v1/acl/auth-method",
                    JWTS.methodBody("matrix-new"))),
            Map.entry("GET /v1/acl/auth-method/:name", () -> Example.of("/v1/acl/auth-method/" + someMethod())),
            Map.entry("POST /v1/acl/auth-method/:name", () -> Example.of("/v1/acl/auth-method/" + someMethod(),
                    JWTS.methodBody("matrix"))),
            Map.entry("PUT /v1/acl/auth-method/:name", () -> Example.of("/v1/acl/auth-method/" + someMethod(),
                    JWTS.methodBody("matrix"))),
            Map.entry("DELETE /v1/acl/auth-method/:name", () -> Example.of("/v1/acl/auth-method/" + someMethod())),
            Map.entry("GET /v1/acl/binding-rules", () -> Example.of("/v1/acl/binding-rules")),
            Map.entry("POST /v1/acl/binding-rule", () -> Example.of("/v1/acl/binding-rule", ruleBody())),
            Map.entry("PUT /v1/acl/binding-rule", () -> Example.of("/v1/acl/binding-rule", ruleBody())),
            Map.entry("GET /v1/acl/binding-rule/:id", () -> Example.of("/v1/acl/binding-rule/" + someRule())),
            Map.entry("POST /v1/acl/binding-rule/:id", () -> Example.of("/v1/acl/binding-rule/" + someRule(),
                    ruleBody())),
            Map.entry("PUT /v1/acl/binding-rule/:id", () -> Example.of("/v1/acl/binding-rule/" + someRule(),
                    ruleBody())),
            Map.entry("DELETE /v1/acl/binding-rule/:id", () -> Example.of("/v1/acl/binding-rule/" + someRule())),
            // Served without a credential: checked by loginIsTheSameForEveryCaller, not by the matrix.
            Map.entry("POST /v1/acl/login", () -> Example.of("/v1/acl/login", loginBody())),
            Map.entry("PUT /v1/acl/login", () -> Example.of("/v1/acl/login", loginBody())),
            Map.entry("GET /v1/vars", () -> Example.of("/v1/vars?namespace=*")),
            Map.entry("GET /v1/var/*path", () -> seeded("/v1/var/matrix/var", "/v1/var/matrix/var")),
            Map.entry("PUT /v1/var/*path", () -> Example.of("/v1/var/matrix/var", "{\"Items\":{\"k\":\"v\"}}")),
            Map.entry("POST /v1/var/*path", () -> Example.of("/v1/var/matrix/var", "{\"Items\":{\"k\":\"v\"}}")),
            Map.entry("DELETE /v1/var/*path", () -> Example.of("/v1/var/matrix/var")),
            Map.entry("GET /v1/secret/*path", () -> seeded("/v1/var/secret/matrix", "/v1/secret/matrix")),
            Map.entry("POST /v1/secret/*path", () -> Example.of("/v1/secret/matrix", "{\"value\":\"bar\"}")),
            Map.entry("PUT /v1/secret/*path", () -> Example.of("/v1/secret/matrix", "{\"value\":\"bar\"}")),
            Map.entry("DELETE /v1/secret/*path", () -> Example.of("/v1/secret/matrix")),
            Map.entry("GET /v1/client/metadata", () -> Example.of("/v1/client/metadata")),
            Map.entry("GET /v1/nodes", () -> Example.of("/v1/nodes?filter=Status%20%3D%3D%20%22ready%22")),
            Map.entry("GET /v1/node/:id", () -> Example.of("/v1/node/" + API.nodes().localNodeId())),
            Map.entry("POST /v1/client/metadata", () -> Example.of("/v1/client/metadata",
                    "{\"Meta\":{\"matrix\":\"yes\"}}")));

    @BeforeAll
    static void openTaskSocket() throws Exception {
        task = API.newTask("matrix");
        task.openSocket();
    }

    /** @return every method and path the plugin binds, with its route */
    static Map<String, Route> boundRoutes() {
        AgentState agent = TestingAgentState.create().agentState();
        // The agent provides every store and there is no data directory: opening the state opens no file.
        StateStores stores = StateStores.open(agent, new EmbeddedState(Optional.empty(), Clock.systemUTC()));
        List<Route> routes = Guice.createInjector(new TaskApiModule(TaskApiConfig.defaults(), agent, stores,
                        Clock.systemUTC(), List.of(), new Lifecycle()))
                .getInstance(Router.class).routes();
        Map<String, Route> byMethodAndPath = new TreeMap<>();
        routes.forEach(route -> route.methods().forEach(method -> byMethodAndPath.put(method + " " + route.path(),
                route)));
        return byMethodAndPath;
    }

    static Stream<Arguments> routes() {
        return boundRoutes().entrySet().stream().filter(route -> !route.getValue().withoutCredential())
                .map(route -> Arguments.of(route.getKey(),
                route.getValue().permission() == Permission.AUTHENTICATED));
    }

    @Test
    void everyBoundRouteHasAnExampleAndNoExampleIsStale() {
        Set<String> bound = boundRoutes().keySet();

        assertThat(EXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(bound);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void callersGetWhatTheirCredentialAllows(String route, boolean authenticationIsEnough) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        String management = API.tokens().createManagementToken("matrix-admin").secretId();
        String policyless = API.tokens().createClientToken("no-policies", List.of("does-not-exist")).secretId();

        assertThat(call(method, route, null).status()).as("no credential").isEqualTo(401);
        assertThat(call(method, route, UUID.randomUUID().toString()).status()).as("unknown token").isEqualTo(403);
        assertThat(call(method, route, "junk").status()).as("junk").isEqualTo(403);
        int expectedForPolicyless = authenticationIsEnough ? 200 : 403;
        assertThat(call(method, route, policyless).status()).as("client token without policies")
                .isEqualTo(expectedForPolicyless);
        assertThat(call(method, route, task.identity()).status()).as("workload identity without policies")
                .isEqualTo(expectedForPolicyless);
        HttpResponse allowed = call(method, route, management);
        assertThat(allowed.status()).as("management: %s", allowed.body()).isBetween(200, 299);
        // Nomad's query metadata, from the one place in the chain that sets it: the index on every answer, the
        // leader headers on queries (Nomad's SDK throws without them, its Go client reads index 0 and spins).
        assertThat(allowed.header("X-Nomad-Index")).as("X-Nomad-Index").hasValueSatisfying(
                index -> assertThat(Long.parseLong(index)).isPositive());
        if (method.equals("GET")) {
            assertThat(allowed.header("X-Nomad-KnownLeader")).contains("true");
            assertThat(allowed.header("X-Nomad-LastContact")).contains("0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentialFreeRoutes")
    void aRouteWithoutCredentialAnswersEveryCallerAlike(String route) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        String management = API.tokens().createManagementToken("matrix-admin").secretId();

        for (String credential : java.util.Arrays.asList(null, UUID.randomUUID().toString(), "junk", management,
                task.identity())) {
            HttpResponse answer = call(method, route, credential);
            assertThat(answer.status()).as("credential %s: %s", credential == null ? "none" : "some",
                    answer.body()).isEqualTo(200);
        }
    }

    static Stream<Arguments> credentialFreeRoutes() {
        return boundRoutes().entrySet().stream().filter(route -> route.getValue().withoutCredential())
                .map(route -> Arguments.of(route.getKey()));
    }

    private static String roleBody() {
        somePolicy();
        return "{\"Name\":\"role-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"Policies\":[{\"Name\":\"p\"}]}";
    }

    private static io.taskapi.spi.state.AclRole someRole() {
        somePolicy();
        return API.state().roles().createRole("role-" + UUID.randomUUID().toString().substring(0, 8), List.of("p"));
    }

    private static String someMethod() {
        try {
            HttpResponse written = task.client().request("POST", "/v1/acl/auth-method")
                    .bearer(API.tokens().createManagementToken("seed").secretId())
                    .json(JWTS.methodBody("matrix")).send();
            if (written.status() != 200) {
                throw new IllegalStateException("cannot create the auth method: " + written);
            }
            return "matrix";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String ruleBody() {
        return "{\"AuthMethod\":\"" + someMethod() + "\",\"Selector\":\"\\\"engineering\\\" in list.groups\","
                + "\"BindType\":\"policy\",\"BindName\":\"p\"}";
    }

    private static String someRule() {
        try {
            HttpResponse written = task.client().request("POST", "/v1/acl/binding-rule")
                    .bearer(API.tokens().createManagementToken("seed").secretId()).json(ruleBody()).send();
            if (written.status() != 200) {
                throw new IllegalStateException("cannot create the binding rule: " + written);
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(written.body()).get("ID").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String loginBody() {
        somePolicy();
        someRule();
        return "{\"AuthMethodName\":\"matrix\",\"LoginToken\":\"" + JWTS.valid() + "\"}";
    }

    private static HttpResponse call(String method, String route, String credential) throws Exception {
        Example example = EXAMPLES.get(route).get();
        var request = task.client().request(method, example.path());
        if (credential != null) {
            request.bearer(credential);
        }
        if (example.body() != null) {
            request.json(example.body());
        }
        return request.send();
    }

    /** A read's example: the variable is written first (with a management token), so that management gets 200. */
    private static Example seeded(String variableRoute, String path) {
        try {
            HttpResponse written = task.client().request("PUT", variableRoute)
                    .bearer(API.tokens().createManagementToken("seed").secretId())
                    .json("{\"Items\":{\"k\":\"v\"}}").send();
            if (written.status() != 200) {
                throw new IllegalStateException("cannot seed " + variableRoute + ": " + written);
            }
            return Example.of(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static AclToken someToken() {
        return API.tokens().createClientToken("target", List.of("p"));
    }

    private static String somePolicy() {
        try {
            return API.policies().put(new AclPolicy("p", "", "", Optional.empty(), 0, 0)).name();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Example(String path, String body) {
        static Example of(String path) {
            return new Example(path, null);
        }

        static Example of(String path, String body) {
            return new Example(path, body);
        }
    }
}
