package io.taskapi.plugin.socket;

import static io.taskapi.plugin.socket.SocketFixture.request;
import static io.taskapi.plugin.socket.SocketFixture.secretsDir;
import static io.taskapi.plugin.socket.SocketFixture.task;
import static io.taskapi.plugin.socket.TaskSocketRegistryTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.plugin.os.PosixProcess;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketUnavailableException.Reason;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Who may connect: the task user only (0600), or everybody when the task has no user (0666); failures fail closed. */
class SocketOwnershipTest {
    private static final int NOBODY = 65534;
    private static final int STRANGER = 65533; // no passwd entry, no groups
    private static final OwnershipChanger NOT_ROOT = (path, uid, gid) -> {
        throw new FileSystemException(path.toString(), null, "Operation not permitted");
    };

    private static SocketTestServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = SocketTestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @Test
    void taskUserOwnsTheSocketAndIsTheOnlyOneWhoCanConnect() throws Exception {
        assumeRoot();
        try (SocketFixture fixture = SocketFixture.create(server.connector)) {
            Path secrets = secretsDir(tmp, "secrets");
            SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets, "nobody"));

            assertThat(uid(mount.hostPath())).isEqualTo(NOBODY);
            assertThat(gid(mount.hostPath())).isEqualTo(NOBODY);
            assertThat(mode(mount.hostPath())).isEqualTo("rw-------");
            assertThat(fixture.registry.socketOf(task("a1", "web")).orElseThrow().ownerUid()).hasValue(NOBODY);

            Clients.CurlResult owner = Clients.curlAs(secrets, "api.sock", NOBODY);
            assertThat(owner.exitCode()).as(owner.stderr()).isZero();
            assertThat(owner.json().get("uid").asInt()).isEqualTo(NOBODY);
            assertThat(owner.json().get("gid").asInt()).isEqualTo(NOBODY);
            assertThat(owner.json().get("pid").asLong()).isEqualTo(owner.pid());

            Clients.CurlResult stranger = Clients.curlAs(secrets, "api.sock", STRANGER);
            assertThat(stranger.exitCode()).as(stranger.stderr()).isEqualTo(7);
            Clients.CurlResult viaStage = Clients.curlAs(secrets, ".api-stage/api.sock", STRANGER);
            assertThat(viaStage.exitCode()).as(viaStage.stderr()).isEqualTo(7);
        }
    }

    @Test
    void withoutATaskUserEveryLocalUserCanConnect() throws Exception {
        assumeRoot();
        try (SocketFixture fixture = SocketFixture.create(server.connector)) {
            Path secrets = secretsDir(tmp, "secrets");
            SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets));

            assertThat(mode(mount.hostPath())).isEqualTo("rw-rw-rw-");
            assertThat(fixture.registry.socketOf(task("a1", "web")).orElseThrow().ownerUid()).isEmpty();
            Clients.CurlResult stranger = Clients.curlAs(secrets, "api.sock", STRANGER);
            assertThat(stranger.exitCode()).as(stranger.stderr()).isZero();
            assertThat(stranger.json().get("uid").asInt()).isEqualTo(STRANGER);
        }
    }

    @Test
    void numericUserWithoutAPasswdEntryOwnsTheSocket() throws Exception {
        assumeRoot();
        try (SocketFixture fixture = SocketFixture.create(server.connector)) {
            Path secrets = secretsDir(tmp, "secrets");
            SocketMount mount = fixture.registry.openSocket(
                    request(task("a1", "web"), secrets, Integer.toString(STRANGER)));

            assertThat(uid(mount.hostPath())).isEqualTo(STRANGER);
            assertThat(Clients.curlAs(secrets, "api.sock", STRANGER).exitCode()).isZero();
            assertThat(Clients.curlAs(secrets, "api.sock", NOBODY).exitCode()).isEqualTo(7);
        }
    }

    @Test
    void unknownUserIsRefusedAndLeavesNothing() throws Exception {
        try (SocketFixture fixture = SocketFixture.create(server.connector)) {
            Path secrets = secretsDir(tmp, "secrets");
            String user = "no-such-user-" + UUID.randomUUID().toString().substring(0, 8);

            assertReason(() -> fixture.registry.openSocket(request(task("a1", "web"), secrets, user)),
                    Reason.UNKNOWN_USER);

            assertThat(secrets).isEmptyDirectory();
            assertThat(fixture.linkDirEntries()).isZero();
            assertThat(fixture.registry.openSockets()).isZero();
            assertThat(server.connector.registeredChannels()).isZero();
        }
    }

    @Test
    void ownershipFailureFailsClosedAndLeavesNothing() throws Exception {
        try (SocketFixture fixture = SocketFixture.create(server.connector, Map.of(), NOT_ROOT)) {
            Path secrets = secretsDir(tmp, "secrets");

            assertReason(() -> fixture.registry.openSocket(request(task("a1", "web"), secrets, "nobody")),
                    Reason.OWNERSHIP_FAILED);

            assertThat(secrets).isEmptyDirectory();
            assertThat(fixture.linkDirEntries()).isZero();
            assertThat(fixture.registry.openSockets()).isZero();
            assertThat(server.connector.registeredChannels()).isZero();
        }
    }

    @Test
    void ownershipFailureWithWorldAccessibleFallbackOpensTheSocketToAllAndWarns() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(SocketPlacer.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try (SocketFixture fixture = SocketFixture.create(server.connector,
                Map.of(TaskApiConfig.SOCKET_OWNERSHIP_FALLBACK, "world-accessible"), NOT_ROOT)) {
            Path secrets = secretsDir(tmp, "secrets");

            SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets, "nobody"));

            assertThat(mode(mount.hostPath())).isEqualTo("rw-rw-rw-");
            // The HTTP layer still only lets the task user's uid through.
            assertThat(fixture.registry.socketOf(task("a1", "web")).orElseThrow().ownerUid()).hasValue(NOBODY);
            assertThat(logs.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("nobody", "world-accessible", "0666");
            });
            assertThat(Clients.jdkGet(mount.hostPath()).get("task").asText()).isEqualTo("web");
        } finally {
            logger.detachAppender(logs);
        }
    }

    private static void assumeRoot() {
        assumeTrue(PosixProcess.effectiveUid() == 0, "needs root to chown and to switch users");
    }

    private static int uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    private static int gid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
