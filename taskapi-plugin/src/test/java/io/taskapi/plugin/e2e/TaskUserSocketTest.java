package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.spi.driver.SocketMount;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "If task.user is set, the Task API will only be usable by that user": real users, real curl through setpriv, the
 * whole plugin. Needs root (to give a socket away and to become other users); skipped otherwise.
 */
final class TaskUserSocketTest {
    private static final int NOBODY = 65534;
    private static final int ANOTHER_UID = 65533;

    @BeforeAll
    static void requireRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to own sockets as another user");
    }

    @Nested
    final class DefaultSettings {
        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder().build();

        @Test
        void socketBelongsToTheTaskUserWithMode0600() throws Exception {
            SocketMount mount = api.newTask("web").openSocket("nobody");

            assertThat(Files.getAttribute(mount.hostPath(), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(NOBODY);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mount.hostPath(),
                    LinkOption.NOFOLLOW_LINKS))).isEqualTo("rw-------");
        }

        @Test
        void theTaskUserCanCallItAndNeedsATokenLikeAnyoneElse() throws Exception {
            TestTask task = api.newTask("web");
            SocketMount mount = task.openSocket("nobody");

            Curl.Result withToken = Curl.to(mount.hostPath()).asUser(NOBODY)
                    .header("Authorization: Bearer " + task.identity()).send("/v1/agent/health");
            Curl.Result withoutToken = Curl.to(mount.hostPath()).asUser(NOBODY).send("/v1/agent/health");

            assertThat(withToken.status()).isEqualTo(200);
            assertThat(withoutToken.status()).isEqualTo(401);
        }

        @Test
        void anotherUserCannotEvenConnect() throws Exception {
            TestTask task = api.newTask("web");
            SocketMount mount = task.openSocket("nobody");

            Curl.Result other = Curl.to(mount.hostPath()).asUser(ANOTHER_UID)
                    .header("Authorization: Bearer " + task.identity()).send("/v1/agent/health");

            assertThat(other.exitCode()).as("curl exit code (7: could not connect)").isEqualTo(7);
            assertThat(other.status()).isZero();
        }

        @Test
        void rootIsRefusedByThePeerCheckEvenWithAValidToken() throws Exception {
            TestTask task = api.newTask("web");
            SocketMount mount = task.openSocket("nobody");

            Curl.Result root = Curl.to(mount.hostPath()).header("Authorization: Bearer " + task.identity())
                    .send("/v1/agent/health");

            assertThat(root.status()).isEqualTo(403);
            assertThat(root.json().path("errors").get(0).asText()).contains("task's user");
        }

        @Test
        void withoutATaskUserAnyLocalUserCanConnectButStillNeedsAToken() throws Exception {
            TestTask task = api.newTask("web");
            SocketMount mount = task.openSocket();

            Curl.Result other = Curl.to(mount.hostPath()).asUser(ANOTHER_UID).send("/v1/agent/health");
            Curl.Result otherWithToken = Curl.to(mount.hostPath()).asUser(ANOTHER_UID)
                    .header("X-Nomad-Token: " + task.identity()).send("/v1/agent/health");

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mount.hostPath(),
                    LinkOption.NOFOLLOW_LINKS))).isEqualTo("rw-rw-rw-");
            assertThat(other.status()).isEqualTo(401);
            assertThat(otherWithToken.status()).isEqualTo(200);
        }
    }

    @Nested
    final class RootPeerAllowed {
        @RegisterExtension
        final TaskApiExtension api = TaskApiExtension.builder().config("socket.allow-root-peer", "true").build();

        @Test
        void rootMayCallATaskUsersSocketWhenConfigured() throws Exception {
            TestTask task = api.newTask("web");
            SocketMount mount = task.openSocket("nobody");

            Curl.Result root = Curl.to(mount.hostPath()).header("Authorization: Bearer " + task.identity())
                    .send("/v1/agent/health");

            assertThat(root.status()).isEqualTo(200);
        }
    }
}
