package io.taskapi.examples.driver.docker;

import static io.taskapi.examples.driver.Tasks.assertSocketStaysUntilReleased;
import static io.taskapi.examples.driver.Tasks.awaitExit;
import static io.taskapi.examples.driver.Tasks.launch;
import static io.taskapi.examples.driver.Tasks.stderr;
import static io.taskapi.examples.driver.Tasks.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.examples.driver.Tasks;
import io.taskapi.spi.driver.DriverHealth;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.UnixHttpClient;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker driver against a recording Docker Engine (no engine runs here) and the real Task API: the requests it
 * makes, the bind mount and environment that let a container reach its socket, stop, failures, a missing engine.
 */
final class DockerDriverTest {
    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().build();

    private static final String IMAGE = "curlimages/curl:8.10.1";

    /**
     * The container's process: it calls the socket the way a container would, at $NOMAD_UNIX_ADDR with $NOMAD_TOKEN,
     * through the bind mount the driver asked for (the engine maps /secrets to the host path).
     */
    private static final RecordingDockerEngine.Program CALLS_ITS_SOCKET = container -> {
        String address = container.env("NOMAD_UNIX_ADDR").orElseThrow();
        Path socket = container.hostPath(address.substring("unix://".length()));
        try (UnixHttpClient client = UnixHttpClient.forSocket(socket)) {
            UnixHttpClient.Request request = client.get("/v1/agent/health");
            container.env("NOMAD_TOKEN").ifPresent(request::bearer);
            container.print("status=" + request.send().status());
        }
        return 0;
    };

    @TempDir
    Path dir;

    private RecordingDockerEngine engine;
    private DockerDriver driver;

    @BeforeEach
    void startEngine() throws Exception {
        engine = new RecordingDockerEngine(dir.resolve("docker.sock"));
        driver = new DockerDriver(engine.socket(), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @AfterEach
    void stopEngine() throws Exception {
        engine.close();
    }

    @Test
    void runsTheImageWithTheSecretsDirectoryBoundAtSlashSecretsAndItsSocketInTheEnvironment() throws Exception {
        TestTask task = API.newTask("web");
        String token = task.identity();
        engine.program(CALLS_ITS_SOCKET);

        RunningTask running = driver.start(launch(task, Map.of("image", IMAGE, "command", "/bin/sh",
                "args", List.of("-c", "curl --unix-socket /secrets/api.sock ...")),
                Map.of("NOMAD_TOKEN", token), Optional.empty()));
        TaskExit exit = awaitExit(running);

        assertThat(exit).isEqualTo(TaskExit.exited(0));
        String id = running.id();
        List<String> calls = engine.calls();
        assertThat(calls.subList(0, 3)).containsExactly(
                "GET /_ping",
                "POST /containers/create?name=web-" + task.allocationId(),
                "POST /containers/" + id + "/start");
        // The output is followed while the container runs, in parallel with the wait; the removal comes last.
        assertThat(calls.subList(3, 5)).containsExactlyInAnyOrder(
                "POST /containers/" + id + "/wait",
                "GET /containers/" + id + "/logs?stdout=1&stderr=1&timestamps=1&follow=1");
        // Then what the engine logged after the follow ended (nothing here: the output is written once), and removal.
        assertThat(calls.get(5)).startsWith("GET /containers/" + id + "/logs?stdout=1&stderr=1&timestamps=1&since=");
        assertThat(calls).hasSize(7).last().isEqualTo("DELETE /containers/" + id + "?force=1&v=1");
        JsonNode spec = engine.onlyRequest("POST", "/containers/create").json();
        assertThat(spec.path("Image").asText()).isEqualTo(IMAGE);
        assertThat(texts(spec.path("Cmd"))).containsExactly("/bin/sh", "-c", "curl --unix-socket /secrets/api.sock ...");
        assertThat(spec.has("Entrypoint")).isFalse();
        Path allocRoot = task.taskDir().getParent();
        assertThat(texts(spec.path("HostConfig").path("Binds"))).as("Nomad's three mounts").containsExactly(
                allocRoot.resolve("alloc") + ":/alloc",
                task.taskDir().resolve("local") + ":/local",
                task.secretsDir() + ":/secrets");
        assertThat(texts(spec.path("Env"))).contains(
                "NOMAD_SECRETS_DIR=/secrets",
                "NOMAD_UNIX_ADDR=unix:///secrets/api.sock",
                "NOMAD_TASK_NAME=web",
                "NOMAD_TOKEN=" + token);
        assertThat(spec.has("User")).isFalse();
        assertThat(spec.path("Labels").path("com.hashicorp.nomad.alloc_id").asText()).isEqualTo(task.allocationId());
        assertThat(spec.path("Labels").path("com.hashicorp.nomad.task_name").asText()).isEqualTo("web");
        // What the "container" got from the real Task API through that bind and environment, copied to the task log.
        assertThat(stdout(task)).isEqualTo("status=200\n");
        assertThat(engine.containers()).isEmpty();
        assertSocketStaysUntilReleased(task);
        assertThat(driver.isolation()).isEqualTo(FilesystemIsolation.IMAGE);
        System.out.println("[docker task log] " + stdout(task).strip());
    }

    @Test
    void aTaskUserBecomesTheContainersNumericUserAndOwnsTheSocket() throws Exception {
        assumeTrue(Tasks.isRoot(), "needs root to give the socket to nobody");
        TestTask task = API.newTask("as-nobody");
        engine.program(container -> {
            Path socket = container.hostPath("/secrets/api.sock");
            container.print("owner=" + Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            return 0;
        });

        awaitExit(driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.of("nobody"))));

        JsonNode spec = engine.onlyRequest("POST", "/containers/create").json();
        assertThat(spec.path("User").asText()).isEqualTo("65534:65534");
        assertThat(spec.has("Cmd")).as("no command nor args: the image's CMD").isFalse();
        assertThat(stdout(task)).isEqualTo("owner=65534\n");
    }

    @Test
    void argsAloneAreTheCmdAndEntrypointReplacesTheImages() throws Exception {
        TestTask task = API.newTask("args");

        awaitExit(driver.start(launch(task, Map.of("image", IMAGE, "args", List.of("-sS", "x"),
                "entrypoint", List.of("/usr/bin/curl")), Map.of(), Optional.empty())));

        JsonNode spec = engine.onlyRequest("POST", "/containers/create").json();
        assertThat(texts(spec.path("Cmd"))).containsExactly("-sS", "x");
        assertThat(texts(spec.path("Entrypoint"))).containsExactly("/usr/bin/curl");
    }

    @Test
    void theExitCodeAndBothOutputStreamsAreReported() throws Exception {
        TestTask task = API.newTask("exit3");
        engine.program(container -> {
            container.print("to stdout");
            container.stderr.writeBytes("to stderr\n".getBytes(StandardCharsets.UTF_8));
            return 3;
        });

        TaskExit exit = awaitExit(driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty())));

        assertThat(exit).isEqualTo(TaskExit.exited(3));
        assertThat(stdout(task)).isEqualTo("to stdout\n");
        assertThat(stderr(task)).isEqualTo("to stderr\n");
    }

    @Test
    void aMissingImageIsPulledThenTheContainerCreated() throws Exception {
        TestTask task = API.newTask("pull");
        engine.missingImage(IMAGE);

        awaitExit(driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty())));

        List<String> calls = engine.calls();
        assertThat(calls.subList(0, 4)).containsExactly(
                "GET /_ping",
                "POST /containers/create?name=pull-" + task.allocationId(),
                "POST /images/create?fromImage=curlimages%2Fcurl%3A8.10.1",
                "POST /containers/create?name=pull-" + task.allocationId());
    }

    @Test
    void anImageWithoutATagIsLatestForThePullAndTheCreate() throws Exception {
        TestTask task = API.newTask("untagged");
        engine.missingImage("localhost:5000/tools/curl:latest");

        awaitExit(driver.start(launch(task, Map.of("image", "localhost:5000/tools/curl"), Map.of(),
                Optional.empty())));

        assertThat(engine.calls()).contains(
                "POST /images/create?fromImage=localhost%3A5000%2Ftools%2Fcurl%3Alatest");
        assertThat(engine.requests().stream().filter(r -> r.path().equals("/containers/create"))
                .map(r -> r.json().path("Image").asText())).containsOnly("localhost:5000/tools/curl:latest");
        assertThat(DockerDriver.withDefaultTag("busybox")).isEqualTo("busybox:latest");
        assertThat(DockerDriver.withDefaultTag("busybox:1.36")).isEqualTo("busybox:1.36");
        assertThat(DockerDriver.withDefaultTag("busybox@sha256:0123")).isEqualTo("busybox@sha256:0123");
    }

    // ---- the operator's plugin config and the fingerprint

    @Test
    void theEndpointOfThePluginConfigIsTheEngine() throws Exception {
        DockerDriver configured = new DockerDriver(dir.resolve("absent.sock"), Duration.ofSeconds(2),
                Duration.ofSeconds(5));
        assertThat(configured.fingerprint().healthy()).isFalse();

        configured.configure(Map.of("endpoint", "unix://" + engine.socket()));

        TestTask task = API.newTask("configured");
        assertThat(awaitExit(configured.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()))))
                .isEqualTo(TaskExit.exited(0));
        assertThat(configured.toString()).contains(engine.socket().toString());
    }

    @Test
    void thePluginConfigIsReadStrictly() {
        assertThatThrownBy(() -> driver.configure(Map.of("endpoint", "unix:///x.sock", "allow_privileged", true)))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("unknown config key(s) [allow_privileged]");
        assertThatThrownBy(() -> driver.configure(Map.of("endpoint", "tcp://127.0.0.1:2375")))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("config.endpoint must be unix:///");
        assertThatThrownBy(() -> driver.configure(Map.of("endpoint", 3)))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("endpoint");
    }

    @Test
    void theFingerprintIsHealthyWithTheEnginesVersionWhenItAnswers() {
        assertThat(driver.fingerprint()).isEqualTo(DriverHealth.healthy("Healthy").withAttributes(Map.of(
                "driver.docker", "1", "driver.docker.version", "27.0.3")));
    }

    @Test
    void theFingerprintIsUnhealthyWithTheReasonWhenNoEngineAnswers() throws Exception {
        Path absent = dir.resolve("absent.sock");
        DriverHealth health = new DockerDriver(absent, Duration.ofSeconds(2), Duration.ofSeconds(5)).fingerprint();

        assertThat(health.detected()).isTrue();
        assertThat(health.healthy()).isFalse();
        assertThat(health.description()).startsWith("Docker engine at " + absent + " does not answer: ");
        assertThat(health.attributes()).isEmpty();

        engine.shutDown(0);
        assertThat(driver.fingerprint().healthy()).as("an engine that stopped").isFalse();
    }

    // ---- the engine going away under a running task

    @Test
    void anEngineThatStopsUnderATaskFailsItKeepsItsOutputAndItsContainerGoesWhenTheEngineIsBack() throws Exception {
        TestTask task = API.newTask("orphan");
        engine.program(RecordingDockerEngine.untilSignalled(false));
        RunningTask running = driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()));

        await().atMost(Duration.ofSeconds(10)).until(() -> engine.calls().containsAll(List.of(
                "POST /containers/" + running.id() + "/wait",
                "GET /containers/" + running.id() + "/logs?stdout=1&stderr=1&timestamps=1&follow=1")));

        engine.shutDown(0);    // the container "exits 0" because the engine stopped it

        assertThatThrownBy(() -> awaitExit(running)).hasCauseInstanceOf(TaskDriverException.class)
                .cause().hasMessageContaining("the Docker engine at " + engine.socket() + " stopped answering while"
                        + " task orphan ran").hasMessageContaining("gave exit code 0, which is the engine's doing");
        assertThat(stdout(task)).isEqualTo("running\n");
        assertThat(engine.containers()).hasSize(1);

        engine.startAgain();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(engine.containers()).isEmpty());
        assertThat(stdout(task)).as("nothing twice").isEqualTo("running\n");
    }

    @Test
    void aContainerLeftByADeadAgentIsReplaced() throws Exception {
        TestTask task = API.newTask("again");
        String name = "again-" + task.allocationId();
        engine.leftover(name);

        awaitExit(driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty())));

        assertThat(engine.calls().subList(0, 4)).containsExactly(
                "GET /_ping",
                "POST /containers/create?name=" + name,
                "DELETE /containers/" + name + "?force=1&v=1",
                "POST /containers/create?name=" + name);
    }

    @Test
    void stopSendsSigtermAndTheContainerEnds() throws Exception {
        TestTask task = API.newTask("term");
        engine.program(RecordingDockerEngine.untilSignalled(false));
        RunningTask running = driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()));
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isTrue();

        running.stop(Duration.ofSeconds(10));

        assertThat(running.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(143));
        assertThat(engine.calls()).contains("POST /containers/" + running.id() + "/kill?signal=SIGTERM")
                .doesNotContain("POST /containers/" + running.id() + "/kill?signal=SIGKILL");
        assertSocketStaysUntilReleased(task);
    }

    @Test
    void stopKillsAContainerThatIgnoresSigtermAfterTheGracePeriod() throws Exception {
        TestTask task = API.newTask("stubborn");
        engine.program(RecordingDockerEngine.untilSignalled(true));
        RunningTask running = driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()));

        running.stop(Duration.ofMillis(300));

        assertThat(running.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.killed(137));
        List<String> kills = new ArrayList<>(engine.calls());
        kills.removeIf(call -> !call.contains("/kill"));
        assertThat(kills).containsExactly("POST /containers/" + running.id() + "/kill?signal=SIGTERM",
                "POST /containers/" + running.id() + "/kill?signal=SIGKILL");
        assertThat(engine.containers()).isEmpty();
        assertSocketStaysUntilReleased(task);
    }

    // ---- recovering containers after an agent restart (the engine keeps them; the handle is the container's id)

    @Test
    void theHandleIsTheContainersId() throws Exception {
        TestTask task = API.newTask("handle");
        RunningTask running = driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()));

        assertThat(running.handle()).contains(TaskHandle.of("docker", 1, Map.of("container.id", running.id())));
        awaitExit(running);
    }

    @Test
    void aRunningContainerIsRecoveredWithItsSocketRequestedAsAtStart() throws Exception {
        TestTask task = API.newTask("survivor");
        String id = engine.startedByADeadAgent("survivor-" + task.allocationId(),
                RecordingDockerEngine.untilSignalled(false));
        List<SocketRequest> requests = new CopyOnWriteArrayList<>();

        RunningTask recovered = new DockerDriver(engine.socket(), Duration.ofSeconds(2), Duration.ofSeconds(5))
                .recover(recording(task, requests), handle(id));

        assertThat(requests).containsExactly(task.socketRequest(Optional.empty(), FilesystemIsolation.IMAGE));
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(recovered.id()).isEqualTo(id);
        assertThat(recovered.exit().toCompletableFuture().isDone()).isFalse();
        assertThat(engine.calls()).startsWith("GET /containers/" + id + "/json");

        recovered.stop(Duration.ofSeconds(10));

        assertThat(recovered.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(143));
        assertThat(stdout(task)).isEqualTo("running\n");
        assertThat(engine.containers()).isEmpty();
    }

    @Test
    void aContainerThatExitedWhileTheAgentWasDownGivesItsExitCodeAndOutputAndIsRemoved() throws Exception {
        TestTask task = API.newTask("ended");
        String id = engine.startedByADeadAgent("ended-" + task.allocationId(), container -> {
            container.print("done");
            return 7;
        });
        engine.container(id).exit.get(10, TimeUnit.SECONDS);
        List<SocketRequest> requests = new CopyOnWriteArrayList<>();

        RunningTask recovered = driver.recover(recording(task, requests), handle(id));

        assertThat(recovered.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(7));
        assertThat(stdout(task)).isEqualTo("done\n");
        assertThat(engine.containers()).isEmpty();
        assertThat(requests).as("a task that has ended gets no socket").isEmpty();
    }

    @Test
    void aContainerTheEngineNoLongerKnowsCannotBeRecovered() {
        TestTask task = API.newTask("gone");
        String id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        assertThatThrownBy(() -> driver.recover(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()),
                handle(id))).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("container 0123456789ab no longer exists");
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aHandleTheDriverCannotReadFailsTheRecoveryAndTheTasksContainerIsRemoved() {
        TestTask task = API.newTask("unreadable");
        engine.startedByADeadAgent("unreadable-" + task.allocationId(), RecordingDockerEngine.untilSignalled(true));

        assertThatThrownBy(() -> driver.recover(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()),
                TaskHandle.of("docker", 1, Map.of("container", "x")))).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("has no 'container.id'");
        assertThatThrownBy(() -> driver.recover(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()),
                TaskHandle.of("exec", 1, Map.of()))).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("driver exec's");
        assertThat(engine.containers()).isEmpty();
    }

    private static TaskHandle handle(String id) {
        return TaskHandle.of("docker", 1, Map.of("container.id", id));
    }

    /** The launch a restarted agent builds, its socket requests recorded on their way to the Task API. */
    private static TaskLaunch recording(TestTask task, List<SocketRequest> requests) {
        return Tasks.withSockets(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty()), request -> {
            requests.add(request);
            return API.api().openSocket(request);
        });
    }

    // ---- failures

    @Test
    void withoutAnEngineTheStartFailsAtOnceWithAClearMessage() {
        TestTask task = API.newTask("no-engine");
        Path absent = dir.resolve("absent.sock");
        DockerDriver noEngine = new DockerDriver(absent, Duration.ofSeconds(2), Duration.ofSeconds(5));

        // The connect itself fails (the reason is the errno text), rather than waiting out a timeout.
        assertThatThrownBy(() -> noEngine.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty())))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("no Docker engine at " + absent)
                .hasMessageNotContaining("timed out").hasMessageNotContaining("no answer within");
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang fails here instead of stalling the build
    void anEngineThatNeverAnswersIsATimeoutNotAHang() throws Exception {
        TestTask task = API.newTask("stuck");
        Path stuck = dir.resolve("stuck.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(stuck));    // listens, never accepts: connects queue, reads wait
            DockerDriver stuckEngine = new DockerDriver(stuck, Duration.ofMillis(500), Duration.ofMillis(500));

            assertThatThrownBy(() -> stuckEngine.start(launch(task, Map.of("image", IMAGE), Map.of(),
                    Optional.empty()))).isInstanceOf(TaskDriverException.class)
                    .hasMessageContaining("no Docker engine at " + stuck).hasMessageContaining("500 ms");
        }
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aCreateTheEngineRefusesFailsTheStartAndLeavesTheSocketToTheTask() {
        TestTask task = API.newTask("refused");
        String token = task.identity();
        engine.failCreateWith(500);

        assertThatThrownBy(() -> driver.start(launch(task, Map.of("image", IMAGE), Map.of("NOMAD_TOKEN", token),
                Optional.empty()))).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("HTTP 500").hasMessageContaining("create failed on purpose")
                .hasMessageNotContaining(token);
        assertSocketStaysUntilReleased(task);
    }

    @Test
    void aStartTheEngineRefusesRemovesTheContainerAndLeavesTheSocketToTheTask() {
        TestTask task = API.newTask("no-start");
        engine.failStartWith(500);

        assertThatThrownBy(() -> driver.start(launch(task, Map.of("image", IMAGE), Map.of(), Optional.empty())))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("start failed on purpose");
        assertThat(engine.calls()).last().asString().startsWith("DELETE /containers/");
        assertThat(engine.containers()).isEmpty();
        assertSocketStaysUntilReleased(task);
    }

    @Test
    void configIsReadStrictly() {
        TestTask task = API.newTask("config");

        assertThatThrownBy(() -> driver.start(launch(task, Map.of(), Map.of(), Optional.empty())))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("config.image is required");
        assertThatThrownBy(() -> driver.start(launch(task, Map.of("image", IMAGE, "ports", List.of("http")),
                Map.of(), Optional.empty()))).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("unknown config key(s) [ports]");
        assertThat(engine.calls()).isEmpty();
    }

    @Test
    void theEngineIsDockerHostWhenThatIsAUnixAddress() {
        assertThat(DockerDriver.defaultSocket("unix:///run/user/1000/docker.sock"))
                .isEqualTo(Path.of("/run/user/1000/docker.sock"));
        assertThat(DockerDriver.defaultSocket(null)).isEqualTo(DockerDriver.DEFAULT_SOCKET);
        assertThat(DockerDriver.defaultSocket("tcp://10.0.0.1:2375")).isEqualTo(DockerDriver.DEFAULT_SOCKET);
    }

    @Test
    void containerNamesAreNomadsWithWhatDockerRefusesReplaced() {
        assertThat(DockerDriver.containerName(new TaskRef("a1", "default", "j", "g", "web")))
                .isEqualTo("web-a1");
        assertThat(DockerDriver.containerName(new TaskRef("a1", "default", "j", "g", "my task:1")))
                .isEqualTo("my_task_1-a1");
        assertThat(DockerDriver.containerName(new TaskRef("a1", "default", "j", "g", ".hidden")))
                .isEqualTo("task.hidden-a1");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
