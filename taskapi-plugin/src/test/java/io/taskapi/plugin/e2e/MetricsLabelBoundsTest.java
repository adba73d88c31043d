package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.UnixHttpClient;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A task cannot grow the metrics without bound by choosing what it sends. */
final class MetricsLabelBoundsTest {
    private static final Pattern REQUEST_SERIES =
            Pattern.compile("(?m)^taskapi_http_requests_total\\{route=\"([^\"]*)\",method=\"([^\"]*)\",status=\"(\\d+)\"}");

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder()
            .config("socket.rate-limit", "100000")
            .config("socket.rate-burst", "100000")
            .config("socket.unauthenticated-rate-limit", "0") // half the requests fail authentication on purpose
            .build();

    @Test
    void aThousandRandomMethodsAndPathsLeaveABoundedNumberOfRequestSeries() throws Exception {
        TestTask task = api.newTask("noisy");
        task.openSocket();
        String identity = task.identity();
        Random random = new Random(8);   // fixed seed: the same run every time
        Set<String> sentMethods = new HashSet<>();
        try (UnixHttpClient.Connection connection = UnixHttpClient.forSocket(task.socketPath()).connection()) {
            for (int i = 0; i < 1_000; i++) {
                String method = randomMethod(random);
                sentMethods.add(method);
                // Half with a credential (so routing runs: 404/405), half without (refused before routing: 401).
                String path = i % 3 == 0 ? "/v1/agent/health" : "/v1/random/" + Integer.toHexString(random.nextInt());
                UnixHttpClient.Request request = connection.request(method, path);
                if (i % 2 == 0) {
                    request.bearer(identity);
                }
                HttpResponse response = request.send();
                assertThat(response.status()).as("%s %s", method, path).isBetween(400, 499);
            }
        }
        assertThat(sentMethods).as("the test really sent many methods").hasSizeGreaterThan(900);

        String management = api.tokens().createManagementToken("scraper").secretId();
        HttpResponse scrape = task.client().get("/v1/metrics?format=prometheus").bearer(management).send();

        assertThat(scrape.status()).isEqualTo(200);
        Set<String> methods = new HashSet<>();
        Set<String> routes = new HashSet<>();
        int series = 0;
        Matcher matcher = REQUEST_SERIES.matcher(scrape.body());
        while (matcher.find()) {
            series++;
            routes.add(matcher.group(1));
            methods.add(matcher.group(2));
        }
        assertThat(series).as("request series in\n%s", scrape.body()).isBetween(1, 10);
        assertThat(methods).contains(ApiMetrics.OTHER_METHOD).allMatch(method ->
                method.equals(ApiMetrics.OTHER_METHOD) || ApiMetrics.KNOWN_METHODS.contains(method));
        assertThat(routes).as("route patterns only, never the raw paths sent").allMatch(route ->
                route.equals("-") || List.of("/v1/agent/health", "/v1/metrics").contains(route));
    }

    /** 4 to 12 upper-case letters: a valid HTTP token, almost never a real method. */
    private static String randomMethod(Random random) {
        StringBuilder method = new StringBuilder();
        int length = 4 + random.nextInt(9);
        for (int i = 0; i < length; i++) {
            method.append((char) ('A' + random.nextInt(26)));
        }
        return method.toString();
    }
}
