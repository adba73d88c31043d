package io.taskapi.spi.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.driver.SocketUnavailableException.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class TaskLaunchTest {
    private static final TaskRef TASK = new TaskRef("a1", "default", "job", "group", "web");
    private static final Path SECRETS = Path.of("/var/lib/agent/alloc/a1/web/secrets");

    @Test
    void aDriverStatesItsNeedsAndGetsTheMount() throws TaskDriverException {
        List<SocketRequest> requests = new ArrayList<>();
        SocketMount given = SocketMount.of(SECRETS.resolve("api.sock"), Path.of("/secrets/api.sock"),
                Map.of("NOMAD_UNIX_ADDR", "unix:///secrets/api.sock"));
        TaskLaunch launch = launch(request -> {
            requests.add(request);
            return given;
        });

        SocketMount mount = launch.apiSocket(SocketNeeds.of(FilesystemIsolation.IMAGE).withUser("nobody"));

        assertThat(mount).isEqualTo(given);
        assertThat(requests).containsExactly(SocketRequest.of(TASK, SECRETS,
                SocketNeeds.of(FilesystemIsolation.IMAGE).withUser("nobody")));
        assertThat(requests.get(0).taskUser()).contains("nobody");
        assertThat(launch.environmentWith(mount)).containsEntry("PATH", "/bin")
                .containsEntry("NOMAD_UNIX_ADDR", "unix:///secrets/api.sock");
    }

    @Test
    void aRefusalComesBackAsADriverExceptionWithThePluginsMessage() {
        TaskLaunch launch = launch(request -> {
            throw new SocketUnavailableException(Reason.UNSAFE_DIRECTORY, "/var/lib/agent is world-writable");
        });

        assertThatThrownBy(() -> launch.apiSocket(SocketNeeds.of(FilesystemIsolation.NONE)))
                .isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("task web of allocation a1")
                .hasMessageContaining("UNSAFE_DIRECTORY")
                .hasMessageContaining("/var/lib/agent is world-writable")
                .hasCauseInstanceOf(SocketUnavailableException.class);
    }

    @Test
    void aFailingProvisionerIsADriverExceptionToo() {
        TaskLaunch launch = launch(request -> {
            throw new IllegalStateException("boom");
        });

        assertThatThrownBy(() -> launch.apiSocket(SocketNeeds.of(FilesystemIsolation.NONE)))
                .isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("boom");
    }

    @Test
    void theTaskSeesItsSecretsDirectoryWhereItsIsolationPutsIt() {
        assertThat(SocketRequest.of(TASK, SECRETS, SocketNeeds.of(FilesystemIsolation.IMAGE)).taskSecretsDir())
                .isEqualTo(Path.of("/secrets"));
        assertThat(SocketRequest.of(TASK, SECRETS, SocketNeeds.of(FilesystemIsolation.CHROOT)).taskSecretsDir())
                .isEqualTo(Path.of("/secrets"));
        assertThat(SocketRequest.of(TASK, SECRETS, SocketNeeds.of(FilesystemIsolation.NONE)).taskSecretsDir())
                .isEqualTo(SECRETS);
        assertThat(SocketRequest.of(TASK, SECRETS,
                SocketNeeds.of(FilesystemIsolation.IMAGE).withTaskSecretsDir(Path.of("/run/secrets"))).taskSecretsDir())
                .isEqualTo(Path.of("/run/secrets"));
    }

    @Test
    void theBuilderWantsTheDirectoriesAndTheProvisioner() {
        assertThatThrownBy(() -> TaskLaunch.builder(TASK).secretsDir(SECRETS).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("taskDir");
        assertThatThrownBy(() -> TaskLaunch.builder(TASK).secretsDir(Path.of("relative")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketNeeds.of(FilesystemIsolation.NONE).withUser(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exitsAreMadeByFactories() {
        assertThat(TaskExit.exited(0).successful()).isTrue();
        assertThat(TaskExit.exited(3).successful()).isFalse();
        assertThat(TaskExit.killed(137).killed()).isTrue();
        assertThat(TaskExit.killed(0).successful()).isFalse();
        assertThat(TaskExit.exited(3)).isEqualTo(TaskExit.exited(3)).isNotEqualTo(TaskExit.killed(3));
    }

    private static TaskLaunch launch(io.taskapi.spi.driver.SocketProvisioner sockets) {
        return TaskLaunch.builder(TASK).taskDir(SECRETS.getParent()).secretsDir(SECRETS)
                .environment(Map.of("PATH", "/bin")).user(Optional.empty()).sockets(sockets).build();
    }
}
