package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.taskapi.plugin.TaskApiModule;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.lifecycle.Lifecycle;
import io.taskapi.plugin.listener.OperatorConnector;
import io.taskapi.plugin.state.EmbeddedState;
import io.taskapi.plugin.state.StateStores;
import io.taskapi.spi.AgentState;
import io.taskapi.testing.TestingAgentState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anonymous access comes from the listener's declared kind, never from what a request lacks: a listener the wiring did
 * not declare (a plain Jetty connector added to the same server) is neither a task socket nor the operator listener,
 * and its token-less requests are refused instead of getting the operator's anonymous policy.
 */
final class UnknownListenerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Lifecycle lifecycle = new Lifecycle();
    private Server server;
    private ServerConnector undeclared;

    @BeforeEach
    void startServerWithAnUndeclaredListener() throws Exception {
        AgentState agent = TestingAgentState.create().agentState();
        TaskApiConfig config = TaskApiConfig.fromMap(Map.of(TaskApiConfig.OPERATOR_ADDRESS, "127.0.0.1:0"));
        StateStores stores = StateStores.open(agent, new EmbeddedState(Optional.empty(), Clock.systemUTC()));
        Injector injector = Guice.createInjector(
                new TaskApiModule(config, agent, stores, Clock.systemUTC(), List.of(), lifecycle));
        server = injector.getInstance(Server.class);
        undeclared = new ServerConnector(server);
        undeclared.setHost("127.0.0.1");
        undeclared.setPort(0);
        server.addConnector(undeclared);
        server.start();
    }

    @AfterEach
    void stop() {
        lifecycle.close();
    }

    @Test
    void aTokenLessRequestOnTheOperatorListenerIsAnonymous() throws Exception {
        ServerConnector operator = (ServerConnector) server.getConnectors()[0];
        assertThat(operator).isInstanceOf(OperatorConnector.class);

        HttpResponse<String> response = get(operator.getLocalPort());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aTokenLessRequestOnAListenerOfNoKnownKindIsRefusedNotTreatedAsOperator() throws Exception {
        HttpResponse<String> response = get(undeclared.getLocalPort());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("neither a task socket nor the operator listener");
    }

    private static HttpResponse<String> get(int port) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/agent/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
