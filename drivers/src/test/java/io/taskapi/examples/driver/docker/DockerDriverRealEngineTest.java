package io.taskapi.examples.driver.docker;

import static io.taskapi.examples.driver.Tasks.awaitExit;
import static io.taskapi.examples.driver.Tasks.awaitStdout;
import static io.taskapi.examples.driver.Tasks.launch;
import static io.taskapi.examples.driver.Tasks.stderr;
import static io.taskapi.examples.driver.Tasks.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taskapi.spi.driver.DriverHealth;
import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.PrivateDockerEngine;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import io.taskapi.testing.UnixHttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The docker driver against a real engine (a private {@code dockerd}, see {@link PrivateDockerEngine}) and the real
 * Task API: the seed job as Nomad's documentation gives it, as {@code nobody} too, Nomad's mounts, the image's own
 * {@code PATH}, an untagged image, stop, restart, recovery, and the engine stopping under a running task.
 */
final class DockerDriverRealEngineTest {
    @RegisterExtension
    static final PrivateDockerEngine ENGINE = new PrivateDockerEngine();

    /** ACLs off, as in the agent's {@code -dev} without {@code -acl-enabled}: the seed job's identity may write. */
    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().config("acl.enabled", "false").build();

    /** Runs until SIGTERM, which it answers with exit code 3 ("started" first, so a test can wait for it). */
    private static final List<String> UNTIL_TERM = List.of("/bin/sh", "-c",
            "trap 'echo term; exit 3' TERM; echo started; while :; do sleep 0.1; done");

    private DockerDriver driver;

    @BeforeEach
    void configure() throws Exception {
        driver = new DockerDriver();
        driver.configure(Map.of("endpoint", ENGINE.endpoint()));
    }

    /** examples/jobs/taskapi-example.docker.hcl's config, interpolated as the agent does for a driver with an image. */
    private static Map<String, Object> seedConfig(String token) {
        return Map.of("image", PrivateDockerEngine.IMAGE, "args", List.of(
                "--unix-socket", "/secrets/api.sock",
                "-H", "Authorization: Bearer " + token,
                "--data-binary", "{\"Meta\": {\"example\": \"Hello World!\"}}",
                "--fail-with-body",
                "--verbose",
                "localhost/v1/client/metadata"));
    }

    @Test
    void theSeedJobSetsTheNodesMetadataThroughItsSocket() throws Exception {
        TestTask task = API.newTask("taskapi");
        String token = task.identity();

        TaskExit exit = awaitExit(driver.start(launch(task, seedConfig(token), Map.of("NOMAD_TOKEN", token),
                Optional.empty())));

        assertThat(exit).as("stderr: %s", stderr(task)).isEqualTo(TaskExit.exited(0));
        assertThat(stdout(task)).contains("\"example\":\"Hello World!\"");
        assertThat(stderr(task)).contains("POST /v1/client/metadata");
        assertThat(ENGINE.containers()).isEmpty();
        System.out.println("[real docker engine] " + stdout(task).strip());
    }

    @Test
    void theSeedJobRunsAsNobody() throws Exception {
        TestTask task = API.newTask("taskapi-nobody");
        String token = task.identity();

        TaskExit exit = awaitExit(driver.start(launch(task, seedConfig(token), Map.of("NOMAD_TOKEN", token),
                Optional.of("nobody"))));

        assertThat(exit).as("stderr: %s", stderr(task)).isEqualTo(TaskExit.exited(0));
        assertThat(stdout(task)).contains("\"example\":\"Hello World!\"");
    }

    @Test
    void theImagesPathIsTheContainersAndNomadsDirectoriesAreMounted() throws Exception {
        TestTask task = API.newTask("mounts");
        // No PATH in the task's environment, as the agent builds it for a driver that runs an image: curl is only on
        // the image's PATH, and the image's entrypoint is plain "curl".
        TaskExit exit = awaitExit(driver.start(launch(task, Map.of("image", PrivateDockerEngine.IMAGE,
                "entrypoint", List.of("/bin/sh", "-c"), "args", List.of(
                        "echo PATH=$PATH; curl --version >/dev/null && echo curl-found;"
                        + " echo shared > $NOMAD_ALLOC_DIR/from-task; echo own > $NOMAD_TASK_DIR/from-task;"
                        + " test -d /secrets && echo secrets-dir")),
                Map.of("NOMAD_ALLOC_DIR", "/alloc", "NOMAD_TASK_DIR", "/local"), Optional.empty())));

        assertThat(exit).as("stderr: %s", stderr(task)).isEqualTo(TaskExit.exited(0));
        assertThat(stdout(task)).isEqualTo("PATH=" + PrivateDockerEngine.TOOLS_DIR + ":/bin\ncurl-found\n"
                + "secrets-dir\n");
        Path allocRoot = task.taskDir().getParent();
        assertThat(Files.readString(allocRoot.resolve("alloc").resolve("from-task"))).isEqualTo("shared\n");
        assertThat(Files.readString(task.taskDir().resolve("local").resolve("from-task"))).isEqualTo("own\n");
    }

    @Test
    void anImageWithoutATagIsLatest() throws Exception {
        TestTask task = API.newTask("untagged");

        TaskExit exit = awaitExit(driver.start(launch(task, Map.of("image", PrivateDockerEngine.UNTAGGED_IMAGE,
                "args", List.of("--version")), Map.of(), Optional.empty())));

        assertThat(exit).as("stderr: %s", stderr(task)).isEqualTo(TaskExit.exited(0));
        assertThat(stdout(task)).startsWith("curl ");
    }

    @Test
    void stopSendsSigtermThenKillsAfterTheGracePeriod() throws Exception {
        TestTask polite = API.newTask("polite");
        RunningTask running = driver.start(launch(polite, Map.of("image", PrivateDockerEngine.IMAGE,
                "entrypoint", UNTIL_TERM), Map.of(), Optional.empty()));
        awaitStdout(polite, "started");

        running.stop(Duration.ofSeconds(10));

        assertThat(running.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(3));
        assertThat(stdout(polite)).isEqualTo("started\nterm\n");

        TestTask stubborn = API.newTask("stubborn");
        RunningTask ignoring = driver.start(launch(stubborn, Map.of("image", PrivateDockerEngine.IMAGE,
                "entrypoint", List.of("/bin/sh", "-c", "trap '' TERM; echo started; while :; do sleep 0.1; done")),
                Map.of(), Optional.empty()));
        awaitStdout(stubborn, "started");

        ignoring.stop(Duration.ofMillis(500));

        assertThat(ignoring.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.killed(137));
        assertThat(ENGINE.containers()).isEmpty();
    }

    @Test
    void aRestartRunsANewContainerWithTheSameSocketAndAppendsToTheLogs() throws Exception {
        TestTask task = API.newTask("again");
        String token = task.identity();
        Map<String, Object> config = Map.of("image", PrivateDockerEngine.IMAGE, "entrypoint", List.of("/bin/sh",
                "-c", "curl -sS --unix-socket /secrets/api.sock -H \"X-Nomad-Token: $NOMAD_TOKEN\""
                        + " -o /dev/null -w '%{http_code}\\n' localhost/v1/agent/health"));

        for (int attempt = 0; attempt < 2; attempt++) {
            TaskExit exit = awaitExit(driver.start(launch(task, config, Map.of("NOMAD_TOKEN", token),
                    Optional.empty())));
            assertThat(exit).as("stderr: %s", stderr(task)).isEqualTo(TaskExit.exited(0));
        }

        assertThat(stdout(task)).isEqualTo("200\n200\n");
        assertThat(ENGINE.containers()).isEmpty();
    }

    @Test
    void aCommandRunsInTheContainerWithItsInputOutputExitCodeAndATerminal() throws Exception {
        TestTask shell = API.newTask("exec-into");
        RunningTask running = driver.start(launch(shell, Map.of("image", PrivateDockerEngine.IMAGE,
                "entrypoint", UNTIL_TERM), Map.of(), Optional.empty()));
        awaitStdout(shell, "started");
        assertThat(running.canExec()).isTrue();

        ExecProcess command = running.exec(new ExecCommand(List.of("sh", "-c",
                "read line; echo \"got $line\"; echo oops >&2; exit 3"), false));
        command.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
        command.stdin().close();
        assertThat(new String(command.stdout().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("got hello\n");
        assertThat(new String(command.stderr().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("oops\n");
        assertThat(command.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(3);
        // A session's end kills its command, ended or not: an ended exec's pid is no longer its to kill.
        command.kill();

        // With a terminal the engine ends the whole stream when input ends: the command ends by itself here.
        ExecProcess terminal = running.exec(new ExecCommand(List.of("sh", "-c", "sleep 1; echo $TERM"), true));
        terminal.resize(30, 100);
        assertThat(new String(terminal.stdout().readAllBytes(), StandardCharsets.UTF_8)).contains("xterm");
        assertThat(terminal.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();

        ExecProcess endless = running.exec(new ExecCommand(List.of("sleep", "300"), false));
        endless.kill();
        assertThat(endless.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS)).isNotZero();
        assertThat(running.exit().toCompletableFuture().isDone()).as("the task itself runs on").isFalse();
        running.stop(Duration.ofSeconds(10));
    }

    @Test
    void aRunningContainerIsRecoveredByItsIdAndOneThatEndedGivesItsCodeAndOutput() throws Exception {
        TestTask survivor = API.newTask("survivor");
        // As an agent that died would have left it: created and started with this driver's spec, nobody watching.
        RunningTask first = driver.start(launch(survivor, Map.of("image", PrivateDockerEngine.IMAGE,
                "entrypoint", UNTIL_TERM), Map.of(), Optional.empty()));
        awaitStdout(survivor, "started");
        TaskHandle handle = first.handle().orElseThrow();

        RunningTask recovered = new DockerDriver(ENGINE.socket(), Duration.ofSeconds(2), Duration.ofSeconds(10))
                .recover(launch(survivor, Map.of("image", PrivateDockerEngine.IMAGE), Map.of(), Optional.empty()),
                        handle);

        assertThat(recovered.id()).isEqualTo(first.id());
        assertThat(recovered.exit().toCompletableFuture().isDone()).isFalse();
        recovered.stop(Duration.ofSeconds(10));
        assertThat(recovered.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(3));

        TestTask ended = API.newTask("ended");
        String id = startUnwatched(ended, "echo done; exit 7");

        RunningTask found = driver.recover(launch(ended, Map.of("image", PrivateDockerEngine.IMAGE), Map.of(),
                Optional.empty()), TaskHandle.of("docker", 1, Map.of("container.id", id)));

        assertThat(found.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(7));
        assertThat(stdout(ended)).isEqualTo("done\n");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ENGINE.containers()).isEmpty());
    }

    @Test
    void anEngineThatStopsUnderATaskFailsItWithItsOutputKeptAndItsContainerGoesWhenTheEngineIsBack()
            throws Exception {
        TestTask task = API.newTask("orphan");
        RunningTask running = driver.start(launch(task, Map.of("image", PrivateDockerEngine.IMAGE,
                "entrypoint", List.of("/bin/sh", "-c",
                        "trap 'echo bye; exit 0' TERM; echo started; while :; do sleep 0.1; done")),
                Map.of(), Optional.empty()));
        awaitStdout(task, "started");

        ENGINE.stop();    // dockerd stops its containers: this one says bye and exits 0

        assertThatThrownBy(() -> awaitExit(running)).cause().isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("stopped answering while task orphan ran");
        assertThat(stdout(task)).startsWith("started\n");
        DriverHealth down = driver.fingerprint();
        assertThat(down.healthy()).isFalse();
        assertThat(down.description()).startsWith("Docker engine at " + ENGINE.socket() + " does not answer");

        assertThat(ENGINE.start()).as("dockerd starts again: %s", ENGINE.log()).isTrue();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ENGINE.containers()).isEmpty());
        assertThat(stdout(task)).as("what it printed, once").isIn("started\n", "started\nbye\n");
        DriverHealth up = driver.fingerprint();
        assertThat(up.healthy()).isTrue();
        assertThat(up.attributes()).containsEntry("driver.docker", "1").containsKey("driver.docker.version");
    }

    /** Creates and starts a container as a dead agent would have, and waits for it to end. */
    private static String startUnwatched(TestTask task, String script) throws Exception {
        try (UnixHttpClient client = UnixHttpClient.at(ENGINE.socket()).timeout(Duration.ofSeconds(30))) {
            HttpResponse created = client.request("POST", "/containers/create?name=" + task.ref().taskName() + "-"
                    + task.allocationId()).json("{\"Image\":\"" + PrivateDockerEngine.IMAGE + "\",\"Entrypoint\":"
                    + "[\"/bin/sh\",\"-c\",\"" + script + "\"]}").send();
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            String id = created.json().path("Id").asText();
            assertThat(client.request("POST", "/containers/" + id + "/start").send().status()).isEqualTo(204);
            assertThat(client.request("POST", "/containers/" + id + "/wait").send().status()).isEqualTo(200);
            return id;
        }
    }
}
