package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.spi.api.AgentPermission;
import io.taskapi.spi.api.AgentRequest;
import io.taskapi.spi.api.AgentResponse;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.state.Subscription;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent's routes and Nomad's blocking queries (SPI 1.2): a route that {@linkplain AgentRoute#blocks() blocks}
 * waits for the agent's {@link AgentStateIndex} to pass the caller's index, and answers with the agent's index; a
 * route that does not opt in answers at once, as before.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class AgentBlockingRoutesTest {
    /** The agent's state: a counter and its index, which starts well above the plugin's own counter. */
    private static final AgentIndex AGENT = new AgentIndex(41);

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder()
            .routes(new CounterRoute("/v1/counter", true), new CounterRoute("/v1/counter/now", false))
            .stateIndex(AGENT)
            .build();

    private TestTask task;
    private String management;

    @BeforeEach
    void openSocket() throws Exception {
        task = api.newTask("agent-blocking");
        task.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
    }

    @Test
    void aBlockingAgentRouteWaitsForTheAgentsNextChangeAndAnswersWithItsIndex() throws Exception {
        HttpResponse before = get("/v1/counter");
        long index = index(before);
        assertThat(index).as("the agent's own index").isEqualTo(AGENT.index());

        CompletableFuture<HttpResponse> blocked = CompletableFuture.supplyAsync(
                () -> get("/v1/counter?index=" + index + "&wait=5m"));
        awaitCondition(() -> blockedQueries() == 1);
        // A write to another part of the state does not wake it.
        assertThat(send("PUT", "/v1/var/app/x", "{\"Items\":{\"v\":\"1\"}}").status()).isEqualTo(200);
        assertThat(blocked).isNotDone();
        assertThat(blockedQueries()).isEqualTo(1);
        long changed = AGENT.change();

        HttpResponse answer = blocked.get(30, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(index(answer)).isEqualTo(changed).isGreaterThan(index);
        assertThat(answer.json().path("Index").asLong()).isEqualTo(changed);
        assertThat(answer.header("X-Nomad-KnownLeader")).contains("true");
        assertThat(blockedQueries()).isZero();
    }

    @Test
    void aBlockingAgentRouteAnswersAtOnceWhenTheAgentsIndexHasPassedTheCallers() throws Exception {
        long index = index(get("/v1/counter"));
        AGENT.change();

        HttpResponse answer = get("/v1/counter?index=" + index + "&wait=5m");

        assertThat(index(answer)).isGreaterThan(index);
    }

    @Test
    void aBlockingAgentRouteAnswersAfterItsWaitWithTheSameIndex() throws Exception {
        long index = index(get("/v1/counter"));

        HttpResponse answer = get("/v1/counter?index=" + index + "&wait=1s");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(index(answer)).isEqualTo(index);
    }

    @Test
    void anAgentRouteThatDoesNotOptInAnswersAtOnceWithTheAgentsIndex() throws Exception {
        long index = index(get("/v1/counter/now"));

        // With a five-minute wait: only answering at once ends this within the test's timeout.
        HttpResponse answer = get("/v1/counter/now?index=" + index + "&wait=5m");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(index(answer)).isEqualTo(index).isEqualTo(AGENT.index());
        assertThat(blockedQueries()).isZero();
    }

    private long blockedQueries() {
        JsonNode metrics = send("GET", "/v1/metrics", null).json();
        for (JsonNode gauge : metrics.path("Gauges")) {
            if (gauge.path("Name").asText().equals("taskapi.blocked_queries")) {
                return gauge.path("Value").asLong();
            }
        }
        throw new AssertionError("no taskapi.blocked_queries gauge in " + metrics);
    }

    private static long index(HttpResponse response) {
        return Long.parseLong(response.header("X-Nomad-Index").orElseThrow(
                () -> new AssertionError("no X-Nomad-Index in " + response)));
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 30s");
            }
            Thread.sleep(10);
        }
    }

    private HttpResponse get(String target) {
        return send("GET", target, null);
    }

    private HttpResponse send(String method, String target, String body) {
        try {
            var request = task.client().request(method, target).bearer(management);
            if (body != null) {
                request.json(body);
            }
            return request.send();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An agent's state index as the SPI asks: at least 1, raised on every change, listeners told after it. */
    private static final class AgentIndex implements AgentStateIndex {
        private final AtomicLong index;
        private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

        AgentIndex(long start) {
            this.index = new AtomicLong(start);
        }

        long change() {
            long changed = index.incrementAndGet();
            listeners.forEach(listener -> listener.accept(changed));
            return changed;
        }

        @Override
        public long index() {
            return index.get();
        }

        @Override
        public Subscription onChange(LongConsumer listener) {
            LongConsumer entry = listener::accept;
            listeners.add(entry);
            return () -> listeners.remove(entry);
        }
    }

    /** Answers the agent's index in its body; blocks or not. */
    private record CounterRoute(String path, boolean blocks) implements AgentRoute {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public AgentPermission permission() {
            return AgentPermission.namespace("read-job");
        }

        @Override
        public String help() {
            return "Reads the counter.";
        }

        @Override
        public AgentResponse handle(AgentRequest request) {
            return AgentResponse.json("{\"Index\":" + AGENT.index() + "}");
        }
    }
}
