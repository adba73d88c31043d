package io.taskapi.plugin.socket;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.driver.SocketUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent killed with its sockets open leaves their stages, links and socket files; the next agent recovers all its
 * tasks at once, so it places their sockets again concurrently, while it sweeps the dead links. Every placement must
 * succeed.
 */
class SocketPlacerAfterCrashTest {
    private static final int TASKS = 16;

    @TempDir
    Path root;

    @Test
    void concurrentPlacementsOverAKilledAgentsLeftoversAllSucceed() throws Exception {
        Path linkDir = SocketFixture.newLinkDir();
        TaskApiConfig config = TaskApiConfig.fromMap(Map.of(TaskApiConfig.SOCKET_LINK_DIR, linkDir.toString()));
        List<Path> secrets = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            secrets.add(SocketFixture.secretsDir(root, "alloc-" + i + "/t/secrets"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(TASKS);
        try {
            for (int round = 0; round < 20; round++) {
                // The "killed" agent: its listening channels close with the process, nothing else is cleaned up.
                SocketPlacer killed = new SocketPlacer(config.socket(), new GetentUserDirectory(),
                        new PosixOwnershipChanger());
                for (int i = 0; i < TASKS; i++) {
                    killed.place(SocketFixture.request(SocketFixture.task("alloc-" + i, "t"), secrets.get(i)))
                            .channel().close();
                }

                SocketPlacer next = new SocketPlacer(config.socket(), new GetentUserDirectory(),
                        new PosixOwnershipChanger());
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<PlacedSocket>> placements = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    int task = i;
                    placements.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            go.await();
                            return next.place(SocketFixture.request(SocketFixture.task("alloc-" + task, "t"),
                                    secrets.get(task)));
                        } catch (SocketUnavailableException | InterruptedException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    }, pool));
                }
                go.countDown();
                for (CompletableFuture<PlacedSocket> placement : placements) {
                    PlacedSocket placed = placement.get(30, TimeUnit.SECONDS);
                    assertThat(placed.isListening()).isTrue();
                    assertThat(Files.exists(placed.hostPath())).isTrue();
                    placed.channel().close(); // the next round's "killed" agent leaves this one behind
                }
            }
        } finally {
            pool.shutdownNow();
            SocketFixture.deleteTree(linkDir);
        }
    }
}
