package io.taskapi.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.benchmarks.server.BenchOptions;
import io.taskapi.benchmarks.server.BenchServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against the real plugin over a real Unix socket, briefly. No timing is asserted. */
class LoadGeneratorSmokeTest {
    @TempDir
    Path dir;

    @Test
    void loadsTheBenchmarkServerWithoutErrors() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (BenchServer server = BenchServer.start(BenchOptions.parse(new String[] {"--socket", socket.toString()}))) {
            String pid = Long.toString(ProcessHandle.current().pid());
            RunResult jwt = LoadGenerator.run(LoadOptions.parse(new String[] {"--socket", socket.toString(),
                    "--name", "jwt", "-c", "4", "--warmup", "200ms", "--duration", "1s", "--server-pid", pid,
                    "--path", "/v1/client/metadata", "-H", "X-Nomad-Token: " + server.credentials().jwt()}));
            assertThat(jwt.tally().responses()).isPositive();
            assertThat(jwt.tally().errorCount()).isZero();
            assertThat(jwt.tally().statuses()).containsOnlyKeys(200);
            assertThat(jwt.serverCpuSeconds()).isGreaterThanOrEqualTo(0);

            RunResult post = LoadGenerator.run(LoadOptions.parse(new String[] {"--socket", socket.toString(),
                    "--name", "post", "-c", "2", "--warmup", "0s", "--duration", "500ms", "--method", "POST",
                    "--path", "/v1/client/metadata", "-H", "X-Nomad-Token: " + server.credentials().aclSecret(),
                    "--body", "{\"Meta\":{\"bench.key\":\"v\"}}"}));
            assertThat(post.tally().responses()).isPositive();
            assertThat(post.tally().errorCount()).isZero();
            assertThat(post.tally().statuses()).containsOnlyKeys(200);

            RunResult refused = LoadGenerator.run(LoadOptions.parse(new String[] {"--socket", socket.toString(),
                    "--name", "401", "-c", "2", "--warmup", "0s", "--duration", "500ms", "--path",
                    "/v1/client/metadata"}));
            assertThat(refused.tally().statuses()).containsOnlyKeys(401);
            assertThat(refused.tally().ok()).isZero();
            Map<String, Object> json = refused.toJson();
            assertThat(json).containsEntry("name", "401").containsEntry("errors", 0L);
            assertThat((Long) json.get("non_2xx")).isPositive();
        }
    }

    @Test
    void countsDialErrorsWhenNothingListens() throws Exception {
        RunResult result = LoadGenerator.run(LoadOptions.parse(new String[] {"--socket",
                dir.resolve("nothing.sock").toString(), "-c", "1", "--warmup", "0s", "--duration", "200ms"}));
        assertThat(result.tally().responses()).isZero();
        assertThat(result.tally().errors()).containsOnlyKeys("dial");
    }
}
