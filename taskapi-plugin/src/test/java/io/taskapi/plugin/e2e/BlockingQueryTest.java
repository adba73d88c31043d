package io.taskapi.plugin.e2e;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nomad's blocking queries ({@code ?index=N&wait=D}) and query metadata over real task sockets and the operator
 * listener: a query waits, holding no thread, until the state it reflects changes or its wait is over.
 */
final class BlockingQueryTest {
    private static final OperatorListener OPERATOR = OperatorListener.onFreePort();
    private static final int BLOCKED = 200;

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder()
            .config("http.operator-address", OPERATOR.address())
            .config("http.max-threads", "8")
            // Shorter than a wait below: a blocked query's connection must outlive the idle timeout.
            .config("http.idle-timeout", "1s")
            .config("socket.max-connections", Integer.toString(BLOCKED + 16))
            .config("socket.rate-limit", "10000")
            .config("socket.rate-burst", "10000")
            .build();

    private TestTask task;
    private String management;

    @BeforeEach
    void openSocket() throws Exception {
        task = api.newTask("blocking");
        task.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
    }

    @Test
    void aBlockedVariableReadAnswersWhenAnotherClientWritesIt() throws Exception {
        HttpResponse first = send("PUT", "/v1/var/app/x", "{\"Items\":{\"v\":\"1\"}}");
        long index = index(send("GET", "/v1/var/app/x", null));

        CompletableFuture<HttpResponse> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return send("GET", "/v1/var/app/x?index=" + index + "&wait=5m", null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        awaitCondition(() -> blockedQueries() == 1);
        assertThat(blocked).isNotDone();
        HttpResponse written = send("PUT", "/v1/var/app/x", "{\"Items\":{\"v\":\"2\"}}");

        HttpResponse answer = blocked.get(30, TimeUnit.SECONDS);
        assertThat(first.status()).isEqualTo(200);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().path("Items").path("v").asText()).isEqualTo("2");
        assertThat(index(answer)).isGreaterThan(index).isEqualTo(index(written))
                .isGreaterThanOrEqualTo(answer.json().path("ModifyIndex").asLong());
        assertThat(answer.header("X-Nomad-KnownLeader")).contains("true");
        assertThat(answer.header("X-Nomad-LastContact")).contains("0");
        assertThat(blockedQueries()).isZero();
    }

    @Test
    void aBlockedListAnswersWhenAVariableIsDeleted() throws Exception {
        send("PUT", "/v1/var/app/gone", "{\"Items\":{\"v\":\"1\"}}");
        long index = index(send("GET", "/v1/vars", null));

        CompletableFuture<HttpResponse> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return send("GET", "/v1/vars?index=" + index, null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        awaitCondition(() -> blockedQueries() == 1);
        HttpResponse deleted = send("DELETE", "/v1/var/app/gone", null);

        HttpResponse answer = blocked.get(30, TimeUnit.SECONDS);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(index(deleted)).as("a delete's 204 carries its index").isGreaterThan(index);
        assertThat(answer.json()).isEmpty();
        assertThat(index(answer)).isEqualTo(index(deleted));
    }

    @Test
    void aBlockedQueryWhoseStateDoesNotChangeAnswersAfterItsWaitWithTheSameIndex() throws Exception {
        send("PUT", "/v1/var/app/quiet", "{\"Items\":{\"v\":\"1\"}}");
        long index = index(send("GET", "/v1/var/app/quiet", null));
        HttpResponse answer = send("GET", "/v1/var/app/quiet?index=" + index + "&wait=2s", null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(index(answer)).isEqualTo(index);
        assertThat(answer.json().path("Items").path("v").asText()).isEqualTo("1");
    }

    @Test
    void aBlockedReadOfAMissingVariableAnswersWhenItIsCreated() throws Exception {
        HttpResponse missing = send("GET", "/v1/var/app/later", null);
        assertThat(missing.status()).isEqualTo(404);
        long index = index(missing);

        CompletableFuture<HttpResponse> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return send("GET", "/v1/var/app/later?index=" + index, null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        awaitCondition(() -> blockedQueries() == 1);
        send("PUT", "/v1/var/app/later", "{\"Items\":{\"v\":\"now\"}}");

        HttpResponse answer = blocked.get(30, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("Items").path("v").asText()).isEqualTo("now");
    }

    @Test
    void blockingOnTheOperatorListenerAndOnNodeMetadata() throws Exception {
        var before = OPERATOR.send("GET", "/v1/client/metadata", management, null);
        long index = Long.parseLong(before.headers().firstValue("X-Nomad-Index").orElseThrow());

        CompletableFuture<java.net.http.HttpResponse<String>> blocked = CompletableFuture.supplyAsync(
                () -> OPERATOR.send("GET", "/v1/node/" + api.nodes().localNodeId() + "?index=" + index,
                        management, null));
        awaitCondition(() -> blockedQueries() == 1);
        var written = OPERATOR.send("POST", "/v1/client/metadata", management, "{\"Meta\":{\"watched\":\"yes\"}}");

        var answer = blocked.get(30, TimeUnit.SECONDS);
        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"watched\":\"yes\"");
        assertThat(Long.parseLong(answer.headers().firstValue("X-Nomad-Index").orElseThrow())).isGreaterThan(index);
        assertThat(answer.headers().firstValue("X-Nomad-KnownLeader")).contains("true");
    }

    @Test
    void twoHundredBlockedQueriesHoldNoThreadAndAllAnswerOnTheChange() throws Exception {
        send("PUT", "/v1/var/app/many", "{\"Items\":{\"v\":\"1\"}}");
        long index = index(send("GET", "/v1/var/app/many", null));
        // Reach a steady state first: the worker pool's threads (at most http.max-threads) exist already.
        for (int i = 0; i < 20; i++) {
            send("GET", "/v1/var/app/many", null);
        }
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        byte[] request = ("GET /v1/var/app/many?index=" + index + "&wait=5m HTTP/1.1\r\nHost: task\r\n"
                + "Authorization: Bearer " + management + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8);

        List<SocketChannel> channels = new ArrayList<>();
        try {
            // Raw connections, written and not read: the test holds no thread per query either.
            for (int i = 0; i < BLOCKED; i++) {
                SocketChannel channel = task.client().openChannel();
                channels.add(channel);
                channel.write(ByteBuffer.wrap(request));
            }
            awaitCondition(() -> blockedQueries() == BLOCKED);
            int threadsBlocked = ManagementFactory.getThreadMXBean().getThreadCount();
            send("PUT", "/v1/var/app/many", "{\"Items\":{\"v\":\"2\"}}");

            for (SocketChannel channel : channels) {
                String answer = readToEnd(channel);
                assertThat(answer).startsWith("HTTP/1.1 200");
                assertThat(header(answer, "X-Nomad-Index")).isGreaterThan(index);
                assertThat(answer).contains("\"v\":\"2\"");
            }
            // Not one thread per query: the pool's (8 workers) and Jetty's, whatever they were before, at most.
            assertThat(threadsBlocked - threadsBefore).as("threads added by %s blocked queries", BLOCKED)
                    .isLessThan(BLOCKED / 10);
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }

    @Test
    void queryOptionsAsNomadReadsThem() throws Exception {
        send("PUT", "/v1/var/app/opts", "{\"Items\":{\"v\":\"1\"}}");

        HttpResponse pretty = send("GET", "/v1/var/app/opts?pretty", null);
        HttpResponse compact = send("GET", "/v1/var/app/opts?pretty=false", null);
        HttpResponse stale = send("GET", "/v1/var/app/opts?stale", null);
        HttpResponse consistent = send("GET", "/v1/var/app/opts?consistent=", null);
        HttpResponse both = send("GET", "/v1/var/app/opts?stale&consistent", null);
        HttpResponse ownRegion = send("GET", "/v1/var/app/opts?region=global", null);
        HttpResponse otherRegion = send("GET", "/v1/var/app/opts?region=mars", null);
        HttpResponse badIndex = send("GET", "/v1/var/app/opts?index=abc", null);
        HttpResponse badWait = send("GET", "/v1/var/app/opts?index=1&wait=soon", null);
        HttpResponse indexZero = send("GET", "/v1/var/app/opts?index=0", null);

        assertThat(pretty.body()).contains("\n  \"Namespace\" : \"default\"");
        assertThat(compact.body()).doesNotContain("\n");
        assertThat(pretty.json()).isEqualTo(compact.json());
        assertThat(stale.status()).isEqualTo(200);
        assertThat(consistent.status()).isEqualTo(200);
        assertThat(both.status()).isEqualTo(400);
        assertThat(ownRegion.status()).isEqualTo(200);
        assertThat(otherRegion.status()).isEqualTo(500);
        assertThat(otherRegion.json().path("errors").get(0).asText()).isEqualTo("No path to region");
        assertThat(badIndex.status()).isEqualTo(400);
        assertThat(badWait.status()).isEqualTo(400);
        assertThat(indexZero.status()).as("index 0 runs the query once").isEqualTo(200);
    }

    @Test
    void writesCarryTheirIndexEvenWhenRefused() throws Exception {
        HttpResponse written = send("PUT", "/v1/var/app/cas", "{\"Items\":{\"v\":\"1\"}}");
        HttpResponse conflict = send("PUT", "/v1/var/app/cas?cas=0", "{\"Items\":{\"v\":\"2\"}}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(index(conflict)).isEqualTo(index(written));
        assertThat(conflict.header("X-Nomad-KnownLeader")).as("a write, not a query").isEmpty();
    }

    private long blockedQueries() {
        try {
            JsonNode metrics = send("GET", "/v1/metrics", null).json();
            for (JsonNode gauge : metrics.path("Gauges")) {
                if (gauge.path("Name").asText().equals("taskapi.blocked_queries")) {
                    return gauge.path("Value").asLong();
                }
            }
            throw new AssertionError("no taskapi.blocked_queries gauge in " + metrics);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long index(HttpResponse response) {
        return Long.parseLong(response.header("X-Nomad-Index").orElseThrow(
                () -> new AssertionError("no X-Nomad-Index in " + response)));
    }

    private static long header(String response, String name) {
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in " + head);
    }

    private static String readToEnd(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toString(ISO_8859_1);
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

    private HttpResponse send(String method, String target, String body) throws IOException {
        var request = task.client().request(method, target).bearer(management);
        if (body != null) {
            request.json(body);
        }
        return request.send();
    }
}
