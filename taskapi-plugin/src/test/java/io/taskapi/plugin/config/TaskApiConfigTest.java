package io.taskapi.plugin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the flat settings into one record per concern, with every problem reported at once. */
class TaskApiConfigTest {

    @Test
    void reportsEveryBadValueAndUnknownKeyAtOnceNamingEachKey() {
        assertThatThrownBy(() -> TaskApiConfig.fromMap(Map.of(
                TaskApiConfig.HTTP_IDLE_TIMEOUT, "forever",
                TaskApiConfig.SOCKET_MAX_CONNECTIONS, "0",
                "socket.max-conections", "8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("3 problems in the Task API settings: ")
                .hasMessageContaining("http.idle-timeout must be a duration such as 250ms, 30s, 5m or 1h, "
                        + "not 'forever'")
                .hasMessageContaining("socket.max-connections must be at least 1")
                .hasMessageContaining("unknown Task API settings [socket.max-conections]");
    }

    @Test
    void aSingleProblemIsReportedAlone() {
        assertThatThrownBy(() -> TaskApiConfig.fromMap(Map.of(TaskApiConfig.ACL_ENABLED, "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("acl.enabled must be true or false, not 'yes'");
    }

    @Test
    void aKeyWithABadValueIsNotAlsoReportedAsOutOfRangeNorBreaksTheChecksThatDependOnIt() {
        // a malformed max-threads must not make the in-flight checks (which compare against it) fail as well
        assertThatThrownBy(() -> TaskApiConfig.fromMap(Map.of(TaskApiConfig.HTTP_MAX_THREADS, "many",
                TaskApiConfig.SOCKET_MAX_IN_FLIGHT, "64")))
                .hasMessage("http.max-threads must be a whole number, not 'many'");
    }

    @Test
    void eachConcernGetsItsOwnRecord() {
        TaskApiConfig config = TaskApiConfig.fromMap(Map.of(
                TaskApiConfig.SOCKET_MAX_CONNECTIONS, "7",
                TaskApiConfig.IDENTITY_AUDIENCE, "tasks",
                TaskApiConfig.ACL_ENABLED, "false",
                TaskApiConfig.STATE_DATA_DIR, "/var/lib/taskapi",
                TaskApiConfig.HTTP_IDLE_TIMEOUT, "5s"));
        assertThat(config.socket().socketMaxConnections()).isEqualTo(7);
        assertThat(config.auth().audience()).isEqualTo("tasks");
        assertThat(config.acl().aclEnabled()).isFalse();
        assertThat(config.state().dataDir()).hasValueSatisfying(dir -> assertThat(dir).hasToString("/var/lib/taskapi"));
        assertThat(config.http().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        // the header limit's default follows the token length of the auth record
        assertThat(TaskApiConfig.fromMap(Map.of(TaskApiConfig.IDENTITY_MAX_TOKEN_LENGTH, "4096")).http()
                .maxHeaderBytes()).isEqualTo(8192);
    }
}
