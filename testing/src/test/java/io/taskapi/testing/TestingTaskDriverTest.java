package io.taskapi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.spi.driver.SocketProvisioner;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.SocketUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestingTaskDriverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<FakeSocketMount> mounts = new CopyOnWriteArrayList<>();

    private final SocketProvisioner provisioner = request -> {
        try {
            FakeSocketMount mount = FakeSocketMount.open(request, dir.resolve("links"));
            mounts.add(mount);
            return mount.mount();
        } catch (IOException e) {
            throw new SocketUnavailableException(SocketUnavailableException.Reason.IO_FAILURE, e.getMessage(), e);
        }
    };

    @AfterEach
    void closeSockets() {
        mounts.forEach(FakeSocketMount::close); // what the agent's release does
    }

    @Test
    void opensTheSocketForTheLaunchAndRunsTheBody() throws Exception {
        AtomicReference<TaskContext> seen = new AtomicReference<>();
        TestingTaskDriver driver = new TestingTaskDriver(task -> {
            seen.set(task);
            HttpResponse response = task.client().get("/v1/client/metadata")
                    .token(task.environment().get("NOMAD_TOKEN")).send();
            return response.json().path("tokenLength").asInt();
        });
        TaskLaunch launch = launch("web", Optional.of("nobody"), Map.of("NOMAD_TOKEN", "abcdef"));

        TestingRunningTask running = driver.start(launch);
        TaskExit exit = running.awaitExit(WAIT);

        assertThat(exit).isEqualTo(TaskExit.exited(6));
        assertThat(driver.name()).isEqualTo("testing");
        assertThat(driver.isolation()).isEqualTo(FilesystemIsolation.NONE);
        assertThat(driver.launches()).containsExactly(launch);
        SocketRequest request = driver.socketRequests().get(0);
        assertThat(request).isEqualTo(SocketRequest.of(launch.task(), launch.secretsDir(),
                SocketNeeds.of(FilesystemIsolation.NONE).withUser("nobody")));
        assertThat(mounts.get(0).request()).isEqualTo(request);
        assertThat(running.environment()).containsEntry("NOMAD_TOKEN", "abcdef")
                .containsEntry("NOMAD_UNIX_ADDR", "unix://" + launch.secretsDir().resolve("api.sock"))
                .containsEntry("NOMAD_SECRETS_DIR", launch.secretsDir().toString());
        assertThat(seen.get().environment()).isEqualTo(running.environment());
        assertThat(seen.get().socketPath()).isEqualTo(launch.secretsDir().resolve("api.sock"));
        assertThat(seen.get().task()).isEqualTo(launch.task());
        assertThat(driver.started()).containsExactly(running);
        assertThat(running.id()).startsWith("testing-");
        // the socket belongs to the task, not to the driver's run of it: still there after the body ended
        assertThat(mounts.get(0).closes()).isZero();
        assertThat(launch.secretsDir().resolve("api.sock")).exists();
    }

    @Test
    void isolationDecidesThePathTheTaskIsTold() throws Exception {
        TestingTaskDriver driver = new TestingTaskDriver(FilesystemIsolation.IMAGE,
                task -> task.taskSocketPath().equals(Path.of("/secrets/api.sock")) ? 0 : 1);

        TestingRunningTask running = driver.start(launch("img", Optional.empty(), Map.of()));

        assertThat(running.awaitExit(WAIT).exitCode()).isZero();
        assertThat(driver.socketRequests().get(0).isolation()).isEqualTo(FilesystemIsolation.IMAGE);
        assertThat(running.environment()).containsEntry("NOMAD_UNIX_ADDR", "unix:///secrets/api.sock");
    }

    @Test
    void longSecretsPathsGetAClientThroughAShortLink() throws Exception {
        TestingTaskDriver driver = new TestingTaskDriver(task -> task.client().get("/").token("t").send().status());
        Path longTaskDir = Files.createDirectories(dir.resolve("x".repeat(120)).resolve("task"));
        TaskLaunch launch = TaskLaunch.builder(ref("long")).taskDir(longTaskDir)
                .secretsDir(Files.createDirectories(longTaskDir.resolve("secrets"))).sockets(provisioner).build();

        assertThat(driver.start(launch).awaitExit(WAIT).exitCode()).isEqualTo(200);
    }

    @Test
    void bodyThatThrowsExitsWithOneAndKeepsTheFailure() throws Exception {
        TestingTaskDriver driver = new TestingTaskDriver(task -> {
            throw new AssertionError("expected 200 but was 403");
        });

        TestingRunningTask running = driver.start(launch("bad", Optional.empty(), Map.of()));

        assertThat(running.exit().toCompletableFuture().get()).isEqualTo(TaskExit.exited(1));
        assertThat(running.failure()).get().extracting(Throwable::getMessage).isEqualTo("expected 200 but was 403");
        assertThatThrownBy(() -> running.awaitExit(WAIT)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("task bad failed")
                .hasCauseInstanceOf(AssertionError.class);
        assertThat(mounts.get(0).closes()).isZero();
    }

    @Test
    void stopLetsACooperativeTaskEndByItself() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        TestingTaskDriver driver = new TestingTaskDriver(task -> {
            started.countDown();
            task.awaitStop();
            return task.stopRequested() ? 0 : 2;
        });
        TestingRunningTask running = driver.start(launch("svc", Optional.empty(), Map.of()));
        started.await();
        assertThat(running.isDone()).isFalse();

        running.stop(WAIT);

        assertThat(running.isDone()).isTrue();
        assertThat(running.exit().toCompletableFuture().get()).isEqualTo(TaskExit.exited(0));
        assertThat(running.failure()).isEmpty();
        assertThat(mounts.get(0).closes()).isZero();
        running.stop(WAIT);   // idempotent
        assertThat(mounts.get(0).closes()).isZero();
    }

    @Test
    void stopKillsATaskThatIgnoresItAfterTheGracePeriod() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        TestingTaskDriver driver = new TestingTaskDriver(task -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return 0;
        });
        TestingRunningTask running = driver.start(launch("stubborn", Optional.empty(), Map.of()));
        started.await();

        running.stop(Duration.ofMillis(100));

        assertThat(running.exit().toCompletableFuture().get())
                .isEqualTo(TaskExit.killed(TestingRunningTask.KILLED_EXIT_CODE));
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running.failure()).isEmpty();
        assertThat(mounts.get(0).closes()).isZero();
    }

    @Test
    void socketFailureIsATaskDriverException() {
        TestingTaskDriver driver = new TestingTaskDriver(task -> 0);
        TaskLaunch launch = TaskLaunch.builder(ref("nope")).taskDir(dir).secretsDir(dir).user(Optional.of("ghost"))
                .sockets(request -> {
                    throw new SocketUnavailableException(SocketUnavailableException.Reason.UNKNOWN_USER,
                            "no user ghost");
                }).build();

        assertThatThrownBy(() -> driver.start(launch)).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("UNKNOWN_USER").hasMessageContaining("no user ghost")
                .hasCauseInstanceOf(SocketUnavailableException.class);
        assertThat(driver.launches()).containsExactly(launch);
        assertThat(driver.started()).isEmpty();
    }

    @Test
    void provisionerBugsAreNotHidden() {
        TestingTaskDriver driver = new TestingTaskDriver(task -> 0);
        TaskLaunch launch = TaskLaunch.builder(ref("bug")).taskDir(dir).secretsDir(dir)
                .sockets(request -> {
                    throw new UncheckedIOException(new IOException("boom"));
                }).build();

        assertThatThrownBy(() -> driver.start(launch)).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("boom").hasCauseInstanceOf(UncheckedIOException.class);
    }

    private TaskLaunch launch(String name, Optional<String> user, Map<String, String> environment)
            throws IOException {
        TaskRef ref = ref(name);
        Path taskDir = Files.createDirectories(dir.resolve(ref.allocationId().substring(0, 8)).resolve(name));
        Path secretsDir = Files.createDirectories(taskDir.resolve("secrets"));
        return TaskLaunch.builder(ref).taskDir(taskDir).secretsDir(secretsDir).environment(environment).user(user)
                .sockets(provisioner).build();
    }

    private static TaskRef ref(String name) {
        return new TaskRef(UUID.randomUUID().toString(), "default", "job", "group", name);
    }
}
