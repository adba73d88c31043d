package io.taskapi.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.plugin.authz.Permission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The route model as the router reads it: one route for several methods, clashes refused at wiring. */
final class RouterTest {
    private static final Route WRITE = Route.on(Set.of("PUT", "POST"), "/v1/var/*path")
            .permission(Permission.MANAGEMENT).help("writes").runs(Execution.BLOCKING_WITH_BODY, request -> "w");
    private static final Route READ = Route.on("GET", "/v1/var/*path")
            .permission(Permission.AUTHENTICATED).help("reads").runs(Execution.BLOCKING, request -> "r");

    @Test
    void aRouteAnswersEachOfItsMethodsAndTheOthersAre405() throws ApiException {
        Router router = new Router(Set.of(() -> List.of(WRITE), () -> List.of(READ)));

        assertThat(router.route("PUT", "/v1/var/a/b").route()).isSameAs(WRITE);
        assertThat(router.route("POST", "/v1/var/a/b").route()).isSameAs(WRITE);
        assertThat(router.route("GET", "/v1/var/a/b").params()).isEqualTo(Map.of("path", "a/b"));
        assertThat(router.allowed("/v1/var/a")).isEqualTo("GET, POST, PUT");
        assertThatThrownBy(() -> router.route("DELETE", "/v1/var/a"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(405));
        assertThat(router.routes()).containsExactlyInAnyOrder(WRITE, READ);
    }

    @Test
    void twoRoutesForOneMethodAndPathAreAWiringError() {
        Route put = Route.on("PUT", "/v1/var/*path").permission(Permission.MANAGEMENT).help("another")
                .runs(Execution.BLOCKING_WITH_BODY, request -> "x");

        assertThatThrownBy(() -> new Router(Set.of(() -> List.of(WRITE), () -> List.of(put))))
                .isInstanceOf(IllegalStateException.class).hasMessage("two routes for PUT /v1/var/*path");
    }

    @Test
    void aRouteWithoutPermissionOrHelpIsRefused() {
        assertThatThrownBy(() -> Route.on("GET", "/x").help("h").runs(Execution.IN_MEMORY, request -> "x"))
                .isInstanceOf(NullPointerException.class).hasMessage("permission is not set: /x");
        assertThatThrownBy(() -> Route.on("GET", "/x").permission(Permission.AUTHENTICATED)
                .runs(Execution.IN_MEMORY, request -> "x"))
                .isInstanceOf(NullPointerException.class).hasMessage("help is not set: /x");
    }
}
