package io.taskapi.plugin.socket;

import static io.taskapi.plugin.socket.SocketFixture.request;
import static io.taskapi.plugin.socket.SocketFixture.secretsDir;
import static io.taskapi.plugin.socket.SocketFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.spi.driver.SocketMount;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thousand task sockets share one selector: no thread per socket. */
class ManyTaskSocketsTest {
    private static final int SOCKETS = 1000;
    private static final int MAX_EXTRA_THREADS = 20;

    @TempDir
    Path tmp;

    @Test
    void aThousandSocketsAddNoThreadPerSocket() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SocketTestServer server = SocketTestServer.start();
        try (SocketFixture fixture = SocketFixture.create(server.connector)) {
            // Warm up: the first socket loads junixsocket's native library and the first request starts pool threads.
            SocketMount warmUp = fixture.registry.openSocket(request(task("warm", "up"), secretsDir(tmp, "warm")));
            Clients.jdkGet(warmUp.hostPath());
            int before = threads.getThreadCount();

            List<Path> secretsDirs = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                secretsDirs.add(secretsDir(tmp, "alloc-" + i + "/secrets"));
            }
            List<SocketMount> mounts = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < SOCKETS; i++) {
                mounts.add(fixture.registry.openSocket(request(task("alloc-" + i, "task"), secretsDirs.get(i))));
            }
            long openMillis = (System.nanoTime() - start) / 1_000_000;
            int afterOpen = threads.getThreadCount();

            for (int i : new int[] {0, 1, 499, 998, 999}) {
                assertThat(Clients.jdkGet(mounts.get(i).hostPath()).get("alloc").asText()).isEqualTo("alloc-" + i);
            }
            int afterRequests = threads.getThreadCount();

            System.out.printf("%d task sockets: opened in %d ms (%.2f ms each); live threads %d before, %d after"
                            + " opening, %d after requests; registered channels %d%n", SOCKETS, openMillis,
                    openMillis / (double) SOCKETS, before, afterOpen, afterRequests,
                    server.connector.registeredChannels());

            assertThat(fixture.registry.openSockets()).isEqualTo(SOCKETS + 1);
            assertThat(afterOpen - before).isLessThan(MAX_EXTRA_THREADS);
            assertThat(afterRequests - before).isLessThan(MAX_EXTRA_THREADS);

            start = System.nanoTime();
            fixture.registry.close();
            System.out.printf("%d task sockets closed in %d ms%n", SOCKETS + 1,
                    (System.nanoTime() - start) / 1_000_000);
            assertThat(server.connector.registeredChannels()).isZero();
            assertThat(fixture.linkDirEntries()).isZero();
            for (SocketMount mount : mounts) {
                assertThat(Files.exists(mount.hostPath().getParent().resolve(SocketPlacer.STAGE_NAME))).isFalse();
                assertThat(Files.exists(mount.hostPath())).isFalse();
            }
        } finally {
            server.stop();
        }
    }
}
