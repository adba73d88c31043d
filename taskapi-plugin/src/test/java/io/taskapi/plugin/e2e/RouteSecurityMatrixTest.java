package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.taskapi.plugin.TaskApiModule;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.http.ApiRoute;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.TestingAgentState;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route the plugin binds, through a real task socket: no credential is 401, a bad one 403, a good one 200.
 * The route list comes from the plugin's own wiring, so a new route is covered the moment it is bound.
 */
final class RouteSecurityMatrixTest {
    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().build();

    private static TestTask task;

    @BeforeAll
    static void openTaskSocket() throws Exception {
        task = API.newTask("matrix");
        task.openSocket();
    }

    static Stream<Arguments> routes() {
        Set<ApiRoute> routes = Guice.createInjector(new TaskApiModule(TaskApiConfig.defaults(),
                        TestingAgentState.create().agentState(), Clock.systemUTC()))
                .getInstance(Key.get(new TypeLiteral<Set<ApiRoute>>() {}));
        assertThat(routes).isNotEmpty();
        return routes.stream().map(route -> Arguments.of(route.method(), route.path()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void everyRouteRequiresAValidCredential(String method, String path) throws Exception {
        String aclSecret = API.tokens().createManagementToken("matrix").secretId();
        List<String> credentials = List.of(aclSecret, task.identity());

        HttpResponse none = task.client().request(method, path).send();
        HttpResponse unknownToken = task.client().request(method, path).token(UUID.randomUUID().toString()).send();
        HttpResponse junk = task.client().request(method, path).token("junk").send();

        assertThat(none.status()).isEqualTo(401);
        assertThat(unknownToken.status()).isEqualTo(403);
        assertThat(junk.status()).isEqualTo(403);
        for (String credential : credentials) {
            assertThat(task.client().request(method, path).bearer(credential).send().status()).isEqualTo(200);
        }
    }
}
