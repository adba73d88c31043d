package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.UnixHttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Per-socket rate and connection limits, body size, metrics and the audit line, over real task sockets. */
final class LimitsMetricsAuditTest {
    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder()
            .config("socket.rate-limit", "1")
            .config("socket.rate-burst", "3")
            .config("socket.max-connections", "2")
            .config("http.max-body-bytes", "2048")
            .build();

    @Test
    void aBurstBeyondTheSocketsBudgetGets429WithRetryAfterAndOtherSocketsAreUnaffected() throws Exception {
        TestTask noisy = api.newTask("noisy");
        noisy.openSocket();
        TestTask quiet = api.newTask("quiet");
        quiet.openSocket();
        String identity = noisy.identity();

        // Exact bucket arithmetic is RateLimiterTest's; here: the first burst passes, and a quick run of requests
        // through the real socket runs into 429 with Retry-After while another socket is unaffected.
        List<Integer> statuses = new ArrayList<>();
        HttpResponse limited = null;
        try (UnixHttpClient.Connection connection = UnixHttpClient.forSocket(noisy.socketPath()).connection()) {
            for (int i = 0; i < 30 && limited == null; i++) {
                HttpResponse response = connection.get("/v1/agent/health").bearer(identity).send();
                statuses.add(response.status());
                if (response.status() == 429) {
                    limited = response;
                }
            }
        }

        assertThat(statuses.subList(0, 3)).containsOnly(200);
        assertThat(limited).as("a 429 among %s", statuses).isNotNull();
        assertThat(limited.header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(limited.json().path("errors").get(0).asText()).contains("Rate limit");
        assertThat(quiet.client().get("/v1/agent/health").bearer(quiet.identity()).send().status()).isEqualTo(200);
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedWith429() throws Exception {
        TestTask task = api.newTask("hoarder");
        task.openSocket();
        UnixHttpClient client = UnixHttpClient.forSocket(task.socketPath());
        try (UnixHttpClient.Connection first = client.connection();
             UnixHttpClient.Connection second = client.connection()) {
            // Jetty opens connections asynchronously: a request on each proves both are counted.
            assertThat(first.get("/v1/agent/health").bearer(task.identity()).send().status()).isEqualTo(200);
            assertThat(second.get("/v1/agent/health").bearer(task.identity()).send().status()).isEqualTo(200);
            // Raw bytes: the 429 is written at accept, before any request, and an HTTP client (Jetty's) drops a
            // connection that answers before it is asked; the raw path writes its request and reads what is there.
            HttpResponse refused = client.exchangeRaw(("GET /v1/agent/health HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + task.identity() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().path("errors").get(0).asText()).contains("Too many connections");
            assertThat(first.isOpen() && second.isOpen()).isTrue();
        } finally {
            client.close();
        }
    }

    @Test
    void aBodyOverTheLimitIs413AndChangesNothing() throws Exception {
        TestTask task = api.newTask("big");
        task.openSocket();
        String management = api.tokens().createManagementToken("admin").secretId();

        HttpResponse response = task.client().request("POST", "/v1/client/metadata").bearer(management)
                .json("{\"Meta\":{\"big\":\"" + "x".repeat(4096) + "\"}}").send();
        HttpResponse after = task.client().get("/v1/client/metadata").bearer(management).send();

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().path("errors").get(0).asText()).contains("2048");
        assertThat(after.json().path("Meta").has("big")).isFalse();
    }

    @Test
    void prometheusMetricsCountRequestsRefusalsAndSockets() throws Exception {
        TestTask task = api.newTask("scraped");
        task.openSocket();
        String management = api.tokens().createManagementToken("scraper").secretId();
        task.client().get("/v1/agent/health").send();

        HttpResponse scrape = task.client().get("/v1/metrics?format=prometheus").bearer(management).send();

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(scrape.body())
                .contains("taskapi_auth_failures_total{reason=\"missing\"} 1")
                .contains("# TYPE taskapi_http_request_duration_seconds histogram")
                .contains("taskapi_http_request_duration_seconds_bucket{le=\"+Inf\"}")
                .containsPattern("taskapi_open_task_sockets [1-9]")
                .contains("taskapi_http_requests_total{route=\"-\",method=\"GET\",status=\"401\"} 1");
    }

    @Test
    void everyRequestLeavesOneAuditLineWithTheIdentityButNeverTheToken() throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger("taskapi.audit");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Level configured = audit.getLevel();
        audit.setLevel(ch.qos.logback.classic.Level.INFO);
        audit.addAppender(lines);
        try {
            TestTask task = api.newTask("audited");
            task.openSocket();
            String identity = task.identity();

            task.client().get("/v1/agent/health").bearer(identity).send();
            task.client().get("/v1/agent/health").bearer("not-a-token").send();

            assertThat(lines.list).hasSize(2);
            // Two requests, two threads: the lines may come in either order.
            String ok = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains("status=200")).findFirst().orElseThrow();
            String refused = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains("status=403")).findFirst().orElseThrow();
            assertThat(ok).contains("socket=" + task.allocationId() + "/audited")
                    .contains("identity=workload:global:default:")
                    .contains("route=/v1/agent/health").contains("status=200").contains("latency_us=");
            assertThat(refused).contains("identity=-");
            for (ILoggingEvent line : lines.list) {
                for (String part : identity.split("\\.")) {
                    assertThat(line.getFormattedMessage()).doesNotContain(part);
                }
                assertThat(line.getFormattedMessage()).doesNotContain("not-a-token");
            }
        } finally {
            audit.detachAppender(lines);
            audit.setLevel(configured);
        }
    }
}
