package io.taskapi.plugin.socket;

import static io.taskapi.plugin.socket.SocketFixture.request;
import static io.taskapi.plugin.socket.SocketFixture.secretsDir;
import static io.taskapi.plugin.socket.SocketFixture.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException.Reason;
import io.taskapi.spi.driver.SocketUnavailableException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening, reopening, exposing and closing task sockets, with real files, sockets and clients. */
class TaskSocketRegistryTest {
    private static SocketTestServer server;
    private SocketFixture fixture;

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

    @BeforeEach
    void createRegistry() {
        fixture = SocketFixture.create(server.connector);
    }

    @AfterEach
    void closeRegistry() throws IOException {
        fixture.close();
    }

    @Test
    void openingTheSameTaskAgainReturnsTheSameLiveSocket() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        SocketRequest request = request(task("a1", "web"), secrets);

        SocketMount first = fixture.registry.openSocket(request);
        long inode = inode(first.hostPath());
        SocketMount second = fixture.registry.openSocket(request);

        assertThat(second).isSameAs(first);
        assertThat(inode(second.hostPath())).isEqualTo(inode);
        assertThat(fixture.registry.openSockets()).isEqualTo(1);
        assertThat(Clients.jdkGet(second.hostPath()).get("task").asText()).isEqualTo("web");
    }

    @Test
    void concurrentOpensOfOneTaskShareOneSocket() throws Exception {
        SocketRequest request = request(task("a1", "web"), secretsDir(tmp, "secrets"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<SocketMount>> opens = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                opens.add(pool.submit(() -> fixture.registry.openSocket(request)));
            }
            Set<SocketMount> mounts = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<SocketMount> open : opens) {
                mounts.add(open.get(30, TimeUnit.SECONDS));
            }

            assertThat(mounts).hasSize(1);
            assertThat(fixture.registry.openSockets()).isEqualTo(1);
            assertThat(fixture.linkDirEntries()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentOpeningAndClosingOfManyTasksLeavesNothingBehind() throws Exception {
        int tasks = 64;
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            dirs.add(secretsDir(tmp, "t" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                SocketRequest request = request(task("alloc", "t" + i), dirs.get(i));
                work.add(pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        SocketMount mount = fixture.registry.openSocket(request);
                        assertThat(fixture.registry.openSocket(request)).isSameAs(mount);
                        assertThat(Clients.canConnect(mount.hostPath())).isTrue();
                        fixture.registry.release(request.task());
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(fixture.registry.openSockets()).isZero();
        assertThat(fixture.linkDirEntries()).isZero();
        assertThat(dirs).allSatisfy(dir -> assertThat(dir).isEmptyDirectory());
    }

    @Test
    void mountTellsTheDriverWhereTheTaskSeesTheSocket() throws Exception {
        Path image = secretsDir(tmp, "image");
        Path chroot = secretsDir(tmp, "chroot");
        Path none = secretsDir(tmp, "none");

        SocketMount imageMount = fixture.registry.openSocket(
                SocketRequest.of(task("i", "t"), image, SocketNeeds.of(FilesystemIsolation.IMAGE)));
        SocketMount chrootMount = fixture.registry.openSocket(
                SocketRequest.of(task("c", "t"), chroot, SocketNeeds.of(FilesystemIsolation.CHROOT)));
        SocketMount noneMount = fixture.registry.openSocket(
                SocketRequest.of(task("n", "t"), none, SocketNeeds.of(FilesystemIsolation.NONE)));

        assertThat(imageMount.hostPath()).isEqualTo(image.resolve("api.sock"));
        assertThat(imageMount.taskPath()).isEqualTo(Path.of("/secrets/api.sock"));
        assertThat(imageMount.environment()).isEqualTo(Map.of(
                "NOMAD_SECRETS_DIR", "/secrets", "NOMAD_UNIX_ADDR", "unix:///secrets/api.sock"));
        assertThat(chrootMount.taskPath()).isEqualTo(Path.of("/secrets/api.sock"));
        assertThat(noneMount.taskPath()).isEqualTo(none.resolve("api.sock"));
        assertThat(noneMount.environment()).isEqualTo(Map.of(
                "NOMAD_SECRETS_DIR", none.toString(), "NOMAD_UNIX_ADDR", "unix://" + none.resolve("api.sock")));
        assertThat(fixture.registry.socketOf(task("c", "t"))).get()
                .extracting(TaskSocket::hostPath).isEqualTo(chroot.resolve("api.sock"));
    }

    @Test
    void reopeningWithAnotherSecretsDirOrUserIsInvalid() throws Exception {
        TaskRef task = task("a1", "web");
        SocketMount mount = fixture.registry.openSocket(request(task, secretsDir(tmp, "one")));
        Path other = secretsDir(tmp, "other");

        assertReason(() -> fixture.registry.openSocket(request(task, other)), Reason.INVALID_REQUEST);
        assertReason(() -> fixture.registry.openSocket(request(task, mount.hostPath().getParent(), "nobody")),
                Reason.INVALID_REQUEST);
        assertThat(other).isEmptyDirectory();
        assertThat(Clients.canConnect(mount.hostPath())).isTrue();
    }

    @Test
    void twoTasksCannotShareASecretsDirectory() throws Exception {
        Path secrets = secretsDir(tmp, "shared");
        fixture.registry.openSocket(request(task("a1", "one"), secrets));

        assertReason(() -> fixture.registry.openSocket(request(task("a1", "two"), secrets)),
                Reason.INVALID_REQUEST);
        assertThat(Clients.jdkGet(secrets.resolve("api.sock")).get("task").asText()).isEqualTo("one");
    }

    @Test
    void releasingTheTaskRemovesEverythingAndRefusesConnections() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets));
        assertThat(fixture.linkDirEntries()).isEqualTo(1);

        fixture.registry.release(task("a1", "web"));
        fixture.registry.release(task("a1", "web")); // idempotent

        assertThat(secrets).isEmptyDirectory();
        assertThat(fixture.linkDirEntries()).isZero();
        assertThat(Clients.canConnect(mount.hostPath())).isFalse();
        assertThat(Clients.curl(secrets, "api.sock").exitCode()).isEqualTo(7);
        assertThat(fixture.registry.openSockets()).isZero();
        assertThat(fixture.registry.socketOf(task("a1", "web"))).isEmpty();

        SocketMount again = fixture.registry.openSocket(request(task("a1", "web"), secrets));
        assertThat(again).isNotSameAs(mount);
        assertThat(Clients.canConnect(again.hostPath())).isTrue();
    }

    @Test
    void releasingTheTaskAlsoClosesItsOpenConnections() throws Exception {
        SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secretsDir(tmp, "one")));
        SocketMount other = fixture.registry.openSocket(request(task("a2", "web"), secretsDir(tmp, "two")));
        try (SocketChannel kept = keepAliveRequest(mount.hostPath());
             SocketChannel otherKept = keepAliveRequest(other.hostPath())) {

            fixture.registry.release(task("a1", "web"));

            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                assertThat(reader.submit(() -> kept.read(ByteBuffer.allocate(1))).get(10, TimeUnit.SECONDS))
                        .isEqualTo(-1);
            } finally {
                reader.shutdownNow();
            }
            // The other task's connection still works.
            otherKept.write(ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.US_ASCII)));
            assertThat(readResponse(otherKept)).contains("\"alloc\":\"a2\"");
        }
    }

    @Test
    void aRestartedTaskKeepsItsSocketAndItsConnectionsUntilReleased() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        SocketRequest request = request(task("a1", "web"), secrets);
        SocketMount mount = fixture.registry.openSocket(request);
        long inode = inode(mount.hostPath());
        try (SocketChannel kept = keepAliveRequest(mount.hostPath())) {

            SocketMount again = fixture.registry.openSocket(request); // the driver starts the task again

            assertThat(again).isEqualTo(mount);
            assertThat(inode(again.hostPath())).isEqualTo(inode);
            kept.write(ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.US_ASCII)));
            assertThat(readResponse(kept)).contains("\"task\":\"web\"");

            fixture.registry.release(request.task()); // the agent: the task is done for good

            assertThat(kept.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            assertThat(mount.hostPath()).doesNotExist();
            assertThat(fixture.registry.openSockets()).isZero();
        }
    }

    @Test
    void aSecretsDirectoryOthersCanWriteIsRefusedAndNothingIsLeftBehind() throws Exception {
        Path secrets = secretsDir(tmp, "shared");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> fixture.registry.openSocket(request(task("a1", "web"), secrets)))
                .isInstanceOfSatisfying(SocketUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSAFE_DIRECTORY))
                .hasMessageContaining(secrets.toString()).hasMessageContaining("mode=0777");
        assertThat(secrets).isEmptyDirectory();
        assertThat(fixture.linkDirEntries()).isZero();
        assertThat(fixture.registry.openSockets()).isZero();
    }

    private static final String REQUEST = "GET /v1/origin HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /** Sends one request on a keep-alive connection and reads its answer; the connection stays open. */
    private static SocketChannel keepAliveRequest(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.write(ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.US_ASCII)));
        assertThat(readResponse(channel)).contains("\"task\":\"web\"");
        return channel;
    }

    /** Reads until the JSON body is complete (the echo handler answers one small object). */
    private static String readResponse(SocketChannel channel) throws IOException {
        StringBuilder text = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (text.indexOf("}") < 0) {
            buffer.clear();
            if (channel.read(buffer) < 0) {
                break;
            }
            text.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    @Test
    void closingTheRegistryClosesEverySocketAndRefusesNewOnes() throws Exception {
        Path one = secretsDir(tmp, "one");
        Path two = secretsDir(tmp, "two");
        Path three = secretsDir(tmp, "three");
        fixture.registry.openSocket(request(task("a", "one"), one));
        fixture.registry.openSocket(request(task("a", "two"), two));
        fixture.registry.openSocket(request(task("b", "three"), three));
        assertThat(fixture.registry.openSockets()).isEqualTo(3);
        assertThat(server.connector.registeredChannels()).isEqualTo(3);

        fixture.registry.close();

        assertThat(fixture.registry.openSockets()).isZero();
        assertThat(server.connector.registeredChannels()).isZero();
        assertThat(one).isEmptyDirectory();
        assertThat(two).isEmptyDirectory();
        assertThat(three).isEmptyDirectory();
        assertThat(fixture.linkDirEntries()).isZero();
        assertReason(() -> fixture.registry.openSocket(request(task("a", "one"), one)), Reason.CLOSED);
        assertThat(one).isEmptyDirectory();
    }

    @Test
    void staleRegularFileIsReplaced() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        Files.writeString(secrets.resolve("api.sock"), "left by an earlier agent");

        SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets));

        assertThat(Clients.jdkGet(mount.hostPath()).get("task").asText()).isEqualTo("web");
    }

    @Test
    void staleDeadSocketIsReplaced() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        Path hostPath = secrets.resolve("api.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(hostPath)); // the JDK leaves the file behind on close
        }
        long deadInode = inode(hostPath);
        assertThat(Clients.canConnect(hostPath)).isFalse();

        SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets));

        assertThat(inode(mount.hostPath())).isNotEqualTo(deadInode);
        assertThat(Clients.jdkGet(mount.hostPath()).get("task").asText()).isEqualTo("web");
    }

    @Test
    void liveSocketOfSomeoneElseIsLeftAlone() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        Path hostPath = secrets.resolve("api.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(hostPath));
            long liveInode = inode(hostPath);

            assertReason(() -> fixture.registry.openSocket(request(task("a1", "web"), secrets)), Reason.IO_FAILURE);

            assertThat(inode(hostPath)).isEqualTo(liveInode);
            assertThat(Clients.canConnect(hostPath)).isTrue();
            assertThat(secrets.resolve(SocketPlacer.STAGE_NAME)).doesNotExist();
            assertThat(fixture.linkDirEntries()).isZero();
            assertThat(fixture.registry.openSockets()).isZero();
        }
    }

    @Test
    void stageLeftByACrashIsRemoved() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        Path stage = Files.createDirectory(secrets.resolve(SocketPlacer.STAGE_NAME));
        Files.writeString(stage.resolve("junk"), "x");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stage.resolve("api.sock")));
        }
        Files.createLink(secrets.resolve("api.sock"), stage.resolve("api.sock"));
        Files.createDirectory(fixture.linkDir, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(fixture.linkDir.resolve("oldlink"), stage);

        SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets));

        assertThat(Clients.jdkGet(mount.hostPath()).get("task").asText()).isEqualTo("web");
        assertThat(stage.resolve("junk")).doesNotExist();
        assertThat(fixture.linkDir.resolve("oldlink")).doesNotExist();
        assertThat(fixture.linkDirEntries()).isEqualTo(1);
        fixture.registry.release(task("a1", "web"));
        assertThat(secrets).isEmptyDirectory();
    }

    @Test
    void stageReplacedByASymbolicLinkIsRemovedWithoutTouchingItsTarget() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        Path victim = Files.createDirectory(tmp.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "keep me");
        Files.createSymbolicLink(secrets.resolve(SocketPlacer.STAGE_NAME), victim);

        SocketMount mount = fixture.registry.openSocket(request(task("a1", "web"), secrets));

        assertThat(victim.resolve("precious")).hasContent("keep me");
        assertThat(Files.isSymbolicLink(secrets.resolve(SocketPlacer.STAGE_NAME))).isFalse();
        assertThat(Clients.jdkGet(mount.hostPath()).get("task").asText()).isEqualTo("web");
    }

    @Test
    void socketFileRemovedByHandIsExposedAgainOnReopen() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        SocketRequest request = request(task("a1", "web"), secrets);
        SocketMount mount = fixture.registry.openSocket(request);
        long inode = inode(mount.hostPath());

        Files.delete(mount.hostPath());
        assertThat(Clients.canConnect(mount.hostPath())).isFalse();
        SocketMount again = fixture.registry.openSocket(request);

        assertThat(again).isSameAs(mount);
        assertThat(inode(again.hostPath())).isEqualTo(inode);
        assertThat(Clients.jdkGet(again.hostPath()).get("task").asText()).isEqualTo("web");
    }

    @Test
    void listenerKilledByRemovingItsPrivateNameIsCreatedAgainOnReopen() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        SocketRequest request = request(task("a1", "web"), secrets);
        SocketMount mount = fixture.registry.openSocket(request);
        Path firstBindPath = fixture.registry.socketOf(request.task()).orElseThrow().bindPath();

        // junixsocket closes a listener at its next accept once its bound name no longer leads to it.
        Files.delete(secrets.resolve(SocketPlacer.STAGE_NAME).resolve("api.sock"));
        Clients.canConnect(mount.hostPath());
        SocketMount again = fixture.registry.openSocket(request);

        assertThat(again).isSameAs(mount);
        // A new listener, bound through a new link (inode numbers may be reused, link names are random).
        assertThat(fixture.registry.socketOf(request.task()).orElseThrow().bindPath()).isNotEqualTo(firstBindPath);
        assertThat(Clients.jdkGet(again.hostPath()).get("task").asText()).isEqualTo("web");
        assertThat(fixture.registry.openSockets()).isEqualTo(1);
        assertThat(fixture.linkDirEntries()).isEqualTo(1);
        fixture.registry.release(request.task());
        assertThat(secrets).isEmptyDirectory();
    }

    @Test
    void listenerKilledByRemovingItsLinkComesBackByItself() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        SocketRequest request = request(task("a1", "web"), secrets);
        SocketMount mount = fixture.registry.openSocket(request);
        Path bindPath = fixture.registry.socketOf(request.task()).orElseThrow().bindPath();

        // What systemd-tmpfiles would do to an old link under /tmp; the next connection makes junixsocket give up.
        Files.delete(bindPath.getParent());
        Clients.canConnect(mount.hostPath());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(fixture.registry.socketOf(request.task())).as("the socket, listening again on a new link")
                        .hasValueSatisfying(socket -> assertThat(socket.bindPath()).isNotEqualTo(bindPath)));
        assertThat(Clients.jdkGet(mount.hostPath()).get("task").asText()).isEqualTo("web");
        assertThat(fixture.registry.openSocket(request)).isSameAs(mount);
        assertThat(fixture.registry.openSockets()).isEqualTo(1);
        assertThat(fixture.linkDirEntries()).isEqualTo(1);
        fixture.registry.release(request.task());
        assertThat(secrets).isEmptyDirectory();
    }

    @Test
    void secretsPathLongerThanSunPathWorks() throws Exception {
        Path secrets = secretsDir(tmp, "a".repeat(100) + "/" + "b".repeat(100) + "/" + "c".repeat(100) + "/secrets");
        assertThat(secrets.toString().length()).isGreaterThanOrEqualTo(300);

        SocketMount mount = fixture.registry.openSocket(request(task("a1", "long"), secrets));
        assertThat(mount.hostPath()).isEqualTo(secrets.resolve("api.sock"));

        // curl cannot use a path longer than sun_path either; from the directory, the relative name works.
        Clients.CurlResult result = Clients.curl(secrets, "api.sock");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.json().get("task").asText()).isEqualTo("long");
        assertThat(result.json().get("pid").asLong()).isEqualTo(result.pid());
        fixture.registry.release(task("a1", "long"));
        assertThat(secrets).isEmptyDirectory();
    }

    @Test
    void secretsDirThatIsMissingOrNotADirectoryIsInvalid() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path symlink = Files.createSymbolicLink(tmp.resolve("symlink"), secretsDir(tmp, "real"));

        assertReason(() -> fixture.registry.openSocket(request(task("a", "t"), tmp.resolve("missing"))),
                Reason.INVALID_REQUEST);
        assertReason(() -> fixture.registry.openSocket(request(task("a", "t"), file)), Reason.INVALID_REQUEST);
        assertReason(() -> fixture.registry.openSocket(request(task("a", "t"), symlink)), Reason.INVALID_REQUEST);
        assertThat(fixture.registry.openSockets()).isZero();
    }

    @Test
    void linkDirectoryOthersCouldUseIsRefused() throws Exception {
        Path secrets = secretsDir(tmp, "secrets");
        Path open = Files.createDirectory(SocketFixture.newLinkDir(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path symlink = Files.createSymbolicLink(SocketFixture.newLinkDir(), tmp);
        try (SocketFixture groupReadable = fixture(open);
             SocketFixture symlinked = fixture(symlink)) {
            assertReason(() -> groupReadable.registry.openSocket(request(task("a", "t"), secrets)),
                    Reason.IO_FAILURE);
            assertReason(() -> symlinked.registry.openSocket(request(task("a", "t"), secrets)),
                    Reason.IO_FAILURE);
            assertThat(secrets).isEmptyDirectory();
            assertThat(open).isEmptyDirectory();
        } finally {
            Files.deleteIfExists(symlink);
            Files.deleteIfExists(open);
        }
    }

    private static SocketFixture fixture(Path linkDir) {
        return SocketFixture.create(server.connector, linkDir, Map.of(), new PosixOwnershipChanger());
    }

    private static long inode(Path path) throws IOException {
        return (Long) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    static void assertReason(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SocketUnavailableException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }
}
