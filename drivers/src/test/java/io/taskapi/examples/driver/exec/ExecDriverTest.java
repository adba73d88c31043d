package io.taskapi.examples.driver.exec;

import static io.taskapi.examples.driver.Tasks.assertSocketStaysUntilReleased;
import static io.taskapi.examples.driver.Tasks.awaitExit;
import static io.taskapi.examples.driver.Tasks.launch;
import static io.taskapi.examples.driver.Tasks.stderr;
import static io.taskapi.examples.driver.Tasks.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.taskapi.examples.driver.Tasks;
import io.taskapi.examples.driver.process.Executables;
import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.spi.driver.SocketUnavailableException;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exec driver with real processes, real users and the real plugin: Nomad's e2e TestTaskAPI matrix run by tasks
 * that curl their own socket, the task user's privilege drop, stop, exit codes, and failures.
 */
final class ExecDriverTest {
    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().build();

    private static final int NOBODY = 65534;
    private static final String CURL = "curl -sS --max-time 10 -w '\\nstatus=%{http_code}\\n' "
            + "--unix-socket \"$NOMAD_SECRETS_DIR/api.sock\" localhost/v1/agent/health";
    private static final String CURL_WITH_TOKEN = CURL + " -H \"Authorization: Bearer $NOMAD_TOKEN\"";

    private final ExecDriver driver = new ExecDriver();

    // ---- Nomad's e2e matrix (e2e/workload_id/taskapi_test.go), with real tasks

    @Test
    void aTaskWithoutATokenGets401() throws Exception {
        TestTask task = API.newTask("no-token");

        TaskExit exit = awaitExit(driver.start(shell(task, CURL, Map.of(), Optional.empty())));

        assertThat(exit).isEqualTo(TaskExit.exited(0));
        assertThat(stdout(task)).contains("status=401");
        System.out.println("[no-token task log] " + stdout(task).strip().replace('\n', ' '));
    }

    @Test
    void aTaskWithARandomTokenGets403() throws Exception {
        TestTask task = API.newTask("bad-token");

        TaskExit exit = awaitExit(driver.start(shell(task, CURL_WITH_TOKEN,
                Map.of("NOMAD_TOKEN", UUID.randomUUID().toString()), Optional.empty())));

        assertThat(exit.exitCode()).isZero();
        assertThat(stdout(task)).contains("status=403");
        System.out.println("[random-token task log] " + stdout(task).strip().replace('\n', ' '));
    }

    @Test
    void aTaskWithItsWorkloadIdentityGets200() throws Exception {
        TestTask task = API.newTask("wid");

        TaskExit exit = awaitExit(driver.start(shell(task, CURL_WITH_TOKEN, Map.of("NOMAD_TOKEN", task.identity()),
                Optional.empty())));

        assertThat(exit.exitCode()).isZero();
        assertThat(stdout(task)).contains("status=200").contains("\"ok\":true");
        System.out.println("[workload-identity task log] " + stdout(task).strip().replace('\n', ' '));
    }

    // ---- the task's user

    @Test
    void aTaskWithAUserRunsAsThatUserAndCanCallItsSocket() throws Exception {
        assumeTrue(Tasks.isRoot(), "needs root to give the socket to nobody and to become nobody");
        TestTask task = API.newTask("as-nobody");

        TaskExit exit = awaitExit(driver.start(shell(task, "id -u; id -g; " + CURL_WITH_TOKEN,
                Map.of("NOMAD_TOKEN", task.identity()), Optional.of("nobody"))));

        assertThat(exit.exitCode()).isZero();
        List<String> lines = stdout(task).lines().toList();
        assertThat(lines.get(0)).as("id -u").isEqualTo(Integer.toString(NOBODY));
        assertThat(lines.get(1)).as("id -g").isEqualTo(Integer.toString(NOBODY));
        assertThat(stdout(task)).contains("status=200");
        System.out.println("[nobody task log] " + stdout(task).strip().replace('\n', ' '));
    }

    @Test
    void theTasksLoaderVariablesReachTheTaskButNotTheAgentsToolsThatRunAsRoot() throws Exception {
        assumeTrue(Tasks.isRoot(), "needs root to become nobody");
        TestTask task = API.newTask("preload");

        TaskExit exit = awaitExit(driver.start(shell(task, "echo \"LD_PRELOAD=$LD_PRELOAD\"",
                Map.of("LD_PRELOAD", "/no/such/preload.so"), Optional.of("nobody"))));

        assertThat(exit.exitCode()).isZero();
        assertThat(stdout(task)).isEqualTo("LD_PRELOAD=/no/such/preload.so\n");
        // The dynamic loader complains once per program it starts with the variable: only the task's shell. The
        // supervisor, mv and setpriv (root) never had it, or a task's user could run code as root.
        assertThat(stderr(task).lines().filter(line -> line.contains("cannot be preloaded")).count())
                .as("programs started with LD_PRELOAD, in %s", stderr(task)).isEqualTo(1);
    }

    @Test
    void anotherTasksUserCannotConnectToTheSocket() throws Exception {
        assumeTrue(Tasks.isRoot(), "needs root to give the socket to nobody and to become other users");
        TestTask owner = API.newTask("owner");
        String ownerToken = owner.identity();
        RunningTask running = driver.start(shell(owner, "echo ready; exec sleep 30", Map.of(), Optional.of("nobody")));
        Tasks.awaitStdout(owner, "ready");
        Path socket = owner.socketPath();
        assertThat(Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(NOBODY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");

        // Another task, run by this driver as another real user (daemon), aims at the first task's socket, even with
        // that task's token: the kernel refuses the connect.
        TestTask intruder = API.newTask("intruder");
        TaskExit intruderExit = awaitExit(driver.start(shell(intruder, "curl -sS -v --max-time 5 --unix-socket "
                + socket + " -H 'Authorization: Bearer " + ownerToken + "' localhost/v1/agent/health; "
                + "echo curl_exit=$?", Map.of(), Optional.of("daemon"))));
        // A bare uid with no passwd entry, through setpriv directly, as in the socket recipe.
        Process bare = new ProcessBuilder("setpriv", "--reuid=65533", "--regid=65533", "--clear-groups", "curl",
                "-sS", "-v", "--max-time", "5", "--unix-socket", socket.toString(), "localhost/v1/agent/health")
                .redirectErrorStream(true).start();
        String bareOutput = new String(bare.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bare.waitFor(10, TimeUnit.SECONDS)).isTrue();
        running.stop(Duration.ofSeconds(5));

        assertThat(intruderExit.exitCode()).isZero();
        assertThat(stdout(intruder)).contains("curl_exit=7");
        assertThat(stderr(intruder)).contains("Permission denied");
        assertThat(bare.exitValue()).as("curl exit code as uid 65533").isEqualTo(7);
        assertThat(bareOutput).contains("Permission denied");
        System.out.println("[daemon task log] " + stdout(intruder).strip() + " / " + stderr(intruder).lines()
                .filter(line -> line.contains("Permission denied")).findFirst().orElse(""));
        System.out.println("[uid 65533] curl exit " + bare.exitValue() + " / " + bareOutput.lines()
                .filter(line -> line.contains("Permission denied")).findFirst().orElse(""));
    }

    // ---- lifecycle

    @Test
    void theTaskGetsItsOwnEnvironmentAndDirectoryNotTheAgents() throws Exception {
        TestTask task = API.newTask("env");

        awaitExit(driver.start(shell(task, "pwd; echo \"PATH=$PATH\"; echo \"HOME=${HOME-unset}\"; "
                + "echo \"SECRETS=$NOMAD_SECRETS_DIR\"; echo \"ADDR=$NOMAD_UNIX_ADDR\"; echo \"TASK=$NOMAD_TASK_NAME\"",
                Map.of(), Optional.empty())));

        assertThat(stdout(task).lines().toList()).containsExactly(
                task.taskDir().toString(),
                "PATH=" + Executables.DEFAULT_PATH,
                "HOME=unset",
                "SECRETS=" + task.secretsDir(),       // isolation NONE: the host path
                "ADDR=unix://" + task.socketPath(),
                "TASK=env");
        assertThat(driver.isolation()).isEqualTo(FilesystemIsolation.NONE);
    }

    @Test
    void theTaskDoesNotIgnoreSigintNorSigquitThoughItsSupervisorStartedItInTheBackground() throws Exception {
        TestTask task = API.newTask("signals");

        awaitExit(driver.start(shell(task, "grep SigIgn /proc/$$/status", Map.of(), Optional.empty())));

        // A shell starts a background command with SIGINT and SIGQUIT ignored; env --default-signal undoes it.
        long ignored = Long.parseLong(stdout(task).strip().substring("SigIgn:".length()).strip(), 16);
        long intAndQuit = (1L << (2 - 1)) | (1L << (3 - 1));
        assertThat(ignored & intAndQuit).as("SIGINT and SIGQUIT ignored (SigIgn %x)", ignored).isZero();
    }

    @Test
    void theExitCodeIsReportedAndTheSocketStaysWithTheTaskUntilReleased() throws Exception {
        TestTask task = API.newTask("exit3");

        TaskExit exit = awaitExit(driver.start(shell(task, "test -S \"$NOMAD_SECRETS_DIR/api.sock\" && exit 3",
                Map.of(), Optional.empty())));

        assertThat(exit).isEqualTo(TaskExit.exited(3));
        assertSocketStaysUntilReleased(task);
    }

    @Test
    void stopSendsSigtermFirst() throws Exception {
        TestTask task = API.newTask("term");
        RunningTask running = driver.start(launch(task, Map.of("command", "sleep", "args", List.of("30")), Map.of(),
                Optional.empty()));
        assertThat(ProcessHandle.of(Long.parseLong(running.id()))).isPresent();

        running.stop(Duration.ofSeconds(10));

        // Ended by the SIGTERM itself: not killed after the grace period.
        assertThat(running.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(128 + 15));
        assertSocketStaysUntilReleased(task);
    }

    @Test
    void killingAnOperatorsCommandAlsoKillsWhatItLeftInTheBackground() throws Exception {
        TestTask task = API.newTask("exec-orphan");
        RunningTask running = driver.start(launch(task, Map.of("command", "sleep", "args", List.of("30")), Map.of(),
                Optional.empty()));
        // The shell ends at once; its sleep, reparented to init, is no longer its descendant.
        ExecProcess command = running.exec(new ExecCommand(List.of("sh", "-c", "sleep 300 & echo $!"), false));
        long orphan = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(command.stdout(),
                StandardCharsets.US_ASCII)).readLine().strip());
        assertThat(command.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();

        command.kill();

        Tasks.awaitDead(orphan);
        running.stop(Duration.ofSeconds(10));
    }

    @Test
    void anOperatorsCommandInTheTaskEndsWithTheTask() throws Exception {
        TestTask task = API.newTask("exec-outlived");
        RunningTask running = driver.start(launch(task, Map.of("command", "sleep", "args", List.of("30")), Map.of(),
                Optional.empty()));
        // alloc exec's command is the agent's child, outside the task's session: the task's end must reach it too.
        ExecProcess command = running.exec(new ExecCommand(List.of("sleep", "300"), false));

        running.stop(Duration.ofSeconds(10));

        assertThat(command.exitCode().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo(128 + 9);
        assertThatThrownBy(() -> running.exec(new ExecCommand(List.of("true"), false)))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("is not running");
    }

    @Test
    void stopKillsATaskThatIgnoresSigtermAndItsChildrenAfterTheGracePeriod() throws Exception {
        TestTask task = API.newTask("stubborn");
        // The ignored SIGTERM is inherited by the background sleep; its pid is the first line of the log.
        RunningTask running = driver.start(shell(task, "trap '' TERM; sleep 30 & echo $!; wait", Map.of(),
                Optional.empty()));
        Tasks.awaitStdout(task, "\n");
        long child = Long.parseLong(stdout(task).strip());

        running.stop(Duration.ofMillis(300));

        assertThat(running.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.killed(128 + 9));
        Tasks.awaitDead(child); // the child, SIGKILLed with its parent
        assertSocketStaysUntilReleased(task);
    }

    // ---- the socket belongs to the task: kept across restarts, gone when the agent releases the task

    @Test
    void aRestartKeepsTheTasksSocketAndItsConnectionsAndTheReleaseEndsThem() throws Exception {
        TestTask task = API.newTask("restart");
        TaskLaunch launch = shell(task, "test -S \"$NOMAD_SECRETS_DIR/api.sock\"", Map.of(), Optional.empty());
        assertThat(awaitExit(driver.start(launch))).isEqualTo(TaskExit.exited(0));
        Object inode = Files.getAttribute(task.socketPath(), "unix:ino", LinkOption.NOFOLLOW_LINKS);
        String identity = task.identity();
        try (SocketChannel kept = SocketChannel.open(UnixDomainSocketAddress.of(task.socketPath()))) {
            assertThat(health(kept, identity)).startsWith("HTTP/1.1 200");

            assertThat(awaitExit(driver.start(launch))).isEqualTo(TaskExit.exited(0)); // the agent restarts it

            assertThat(Files.getAttribute(task.socketPath(), "unix:ino", LinkOption.NOFOLLOW_LINKS)).isEqualTo(inode);
            assertThat(health(kept, identity)).as("the connection made before the restart").startsWith("HTTP/1.1 200");

            task.release(); // the agent: done for good

            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                assertThat(reader.submit(() -> kept.read(ByteBuffer.allocate(1))).get(10, TimeUnit.SECONDS))
                        .as("the connection, closed with the socket").isEqualTo(-1);
            } finally {
                reader.shutdownNow();
            }
            assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }

    /** One keep-alive request on {@code channel}; returns the whole response (head and body). */
    private static String health(SocketChannel channel, String token) throws Exception {
        String request = "GET /v1/agent/health HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\n\r\n";
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        StringBuilder response = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (true) {
            int end = response.indexOf("\r\n\r\n");
            if (end >= 0) {
                Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(response.substring(0, end));
                if (length.find() && response.length() >= end + 4 + Integer.parseInt(length.group(1))) {
                    return response.toString();
                }
            }
            buffer.clear();
            if (channel.read(buffer) < 0) {
                throw new AssertionError("the connection closed after: " + response);
            }
            response.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
        }
    }

    // ---- failures: a clear TaskDriverException, nothing left running

    @Test
    void aSocketThatCannotBeOpenedFailsTheStartAndNothingRuns() throws Exception {
        TestTask task = API.newTask("no-socket");
        // Had the driver started it, this task would still be running, findable by its unique command line.
        String seconds = "86399." + ThreadLocalRandom.current().nextInt(100_000_000, 1_000_000_000);
        TaskLaunch real = launch(task, Map.of("command", "sleep", "args", List.of(seconds)), Map.of(),
                Optional.empty());
        TaskLaunch refused = TaskLaunch.builder(real.task()).taskDir(real.taskDir()).secretsDir(real.secretsDir())
                .config(real.config()).environment(real.environment()).user(real.user()).sockets(request -> {
                    throw new SocketUnavailableException(SocketUnavailableException.Reason.OWNERSHIP_FAILED,
                            "cannot give the socket to the task user");
                }).build();

        assertThatThrownBy(() -> driver.start(refused)).isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("OWNERSHIP_FAILED").hasMessageContaining("cannot give the socket");
        List<ProcessHandle> started = ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(seconds)).toList();
        started.forEach(ProcessHandle::destroyForcibly);
        assertThat(started).as("processes of the refused task").isEmpty();
    }

    @Test
    void anUnknownUserFailsBeforeTheSocketIsOpened() {
        TestTask task = API.newTask("ghost");

        assertThatThrownBy(() -> driver.start(shell(task, "true", Map.of(), Optional.of("no-such-user-x7"))))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("unknown user 'no-such-user-x7'");
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aSecretsDirectoryOthersCanWriteIsRefused() throws Exception {
        TestTask task = API.newTask("shared");
        Files.setPosixFilePermissions(task.secretsDir(), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> driver.start(shell(task, "true", Map.of(), Optional.empty())))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("UNSAFE_DIRECTORY")
                .hasMessageContaining(task.secretsDir().toString()).hasMessageContaining("mode=0777")
                .hasMessageContaining("race");
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void configIsReadStrictlyAndArgumentsNeverAppearInMessages() {
        TestTask task = API.newTask("config");
        String secret = "s3cr3t-" + UUID.randomUUID();

        assertThatThrownBy(() -> driver.start(launch(task, Map.of("comand", "true"), Map.of(), Optional.empty())))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("unknown config key(s) [comand]");
        assertThatThrownBy(() -> driver.start(launch(task, Map.of("command", "no-such-program-x7",
                "args", List.of(secret)), Map.of(), Optional.empty())))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("no-such-program-x7")
                .hasMessageNotContaining(secret);
        assertThatThrownBy(() -> driver.start(launch(task, Map.of("command", "true", "args", "-x"), Map.of(),
                Optional.empty()))).isInstanceOf(TaskDriverException.class).hasMessageContaining("must be a list");
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    private static TaskLaunch shell(TestTask task, String script, Map<String, String> environment,
                                    Optional<String> user) {
        return launch(task, Map.of("command", "/bin/sh", "args", List.of("-c", script)), environment, user);
    }
}
