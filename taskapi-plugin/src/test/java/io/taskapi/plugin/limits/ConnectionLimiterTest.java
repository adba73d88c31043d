package io.taskapi.plugin.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.http.ObjectMappers;
import io.taskapi.plugin.metrics.ApiMetrics;
import io.taskapi.plugin.socket.ConnectionAdmission.Admission;
import io.taskapi.plugin.socket.PeerCredentials;
import io.taskapi.plugin.socket.SocketOrigin;
import io.taskapi.plugin.socket.TaskSocket;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.SocketRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Admission at accept: the task's connections are bounded, strangers are bounded apart and never count. */
final class ConnectionLimiterTest {
    private static final PeerCredentials TASK_USER = new PeerCredentials(10, 1000, 1000);
    private static final PeerCredentials STRANGER = new PeerCredentials(20, 2000, 2000);

    private static final TaskApiConfig CONFIG = TaskApiConfig.fromMap(Map.of("socket.max-connections", "3"));

    private final ConnectionLimiter limiter = new ConnectionLimiter(CONFIG.socket(), CONFIG.http(), new ApiMetrics(),
            ObjectMappers.create());

    @Test
    void theConnectionAfterTheLimitIsRefusedAndAClosedOneMakesRoom() {
        TaskSocket socket = socket(OptionalInt.empty());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit(socket, TASK_USER)).isEqualTo(Admission.SERVE);
        }

        assertThat(limiter.admit(socket, TASK_USER)).isEqualTo(Admission.REFUSE);
        limiter.released(new SocketOrigin(socket, TASK_USER, true));
        assertThat(limiter.admit(socket, TASK_USER)).isEqualTo(Admission.SERVE);
        assertThat(limiter.openConnections(socket)).isEqualTo(3);
    }

    @Test
    void peersTheSocketRefusesAreBoundedApartAndNeverCountAgainstTheTask() {
        TaskSocket socket = socket(OptionalInt.of(TASK_USER.uid()));
        for (int i = 0; i < ConnectionLimiter.MAX_REFUSED_PEER_CONNECTIONS; i++) {
            assertThat(limiter.admit(socket, STRANGER)).isEqualTo(Admission.SERVE_REFUSAL);
        }
        assertThat(limiter.admit(socket, STRANGER)).isEqualTo(Admission.REFUSE);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit(socket, TASK_USER)).isEqualTo(Admission.SERVE);
        }
        assertThat(limiter.openConnections(socket)).isEqualTo(3);
    }

    @Test
    void theRefusalIsACompleteHttpAnswerInTheApisErrorFormat() {
        String refusal = new String(limiter.refusal(), StandardCharsets.US_ASCII);

        assertThat(refusal).startsWith("HTTP/1.1 429 Too Many Requests\r\n").contains("Connection: close\r\n")
                .endsWith("{\"errors\":[\"Too many connections to this task socket (at most 3); close idle ones"
                        + " and retry\"]}");
        int length = Integer.parseInt(refusal.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        assertThat(refusal.substring(refusal.indexOf("\r\n\r\n") + 4)).hasSize(length);
    }

    private static TaskSocket socket(OptionalInt owner) {
        SocketRequest request = SocketRequest.of(new TaskRef(UUID.randomUUID().toString(), "default", "job", "g",
                "t"), Path.of("/tmp/secrets"), SocketNeeds.of(FilesystemIsolation.NONE));
        return new TaskSocket(request, owner, Path.of("/tmp/secrets/api.sock"), Path.of("/tmp/l/1"));
    }
}
