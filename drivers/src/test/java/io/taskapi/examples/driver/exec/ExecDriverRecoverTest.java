package io.taskapi.examples.driver.exec;

import static io.taskapi.examples.driver.Tasks.awaitDead;
import static io.taskapi.examples.driver.Tasks.awaitExit;
import static io.taskapi.examples.driver.Tasks.runningInSession;
import static io.taskapi.examples.driver.Tasks.stdout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.examples.driver.DoomedAgent;
import io.taskapi.examples.driver.Tasks;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.SocketRequest;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recovering exec tasks after the agent died: each task is started by a {@link DoomedAgent}, a JVM killed with SIGKILL
 * once it has the task's handle, and recovered by a new {@link ExecDriver} in this JVM, with the real Task API opening
 * the socket again.
 */
final class ExecDriverRecoverTest {
    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder().build();

    private static final String CURL = "curl -sS --max-time 10 -w '\\nstatus=%{http_code}\\n' "
            + "--unix-socket \"$NOMAD_SECRETS_DIR/api.sock\" localhost/v1/agent/health";
    /** Waits for the test to write to the FIFO {@code go} in the task directory. */
    private static final String WAIT_FOR_GO = "mkfifo go && echo ready && read line < go";

    private final List<SocketRequest> requests = new CopyOnWriteArrayList<>();

    @Test
    void aRunningTaskIsFoundAgainWithItsSocketAndItsExitCodeArrivesWhenItEnds() throws Exception {
        TestTask task = API.newTask("survivor");
        TaskHandle handle = startThenDie(task, WAIT_FOR_GO + " && " + CURL + "; exit 5");
        assertThat(ProcessHandle.of(taskPid(handle)).map(ProcessHandle::isAlive)).as("the task, without its agent")
                .contains(true);

        RunningTask recovered = new ExecDriver().recover(recordingLaunch(task), handle);

        // The same request as at start: the Task API opens the socket again at the path the task knows.
        assertThat(requests).containsExactly(task.socketRequest(Optional.empty(), FilesystemIsolation.NONE));
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(recovered.handle()).contains(handle);
        assertThat(recovered.id()).isEqualTo(Long.toString(taskPid(handle)));
        assertThat(recovered.exit().toCompletableFuture().isDone()).isFalse();

        Files.writeString(task.taskDir().resolve("go"), "go\n");

        assertThat(awaitExit(recovered)).isEqualTo(TaskExit.exited(5));
        assertThat(stdout(task)).as("the task called its socket, opened by the new agent").contains("status=401");
    }

    @Test
    void aTaskThatEndedWhileTheAgentWasDownGivesItsRealExitCode() throws Exception {
        TestTask task = API.newTask("ended");
        TaskHandle handle = startThenDie(task, WAIT_FOR_GO + "; exit 7");
        Files.writeString(task.taskDir().resolve("go"), "go\n");
        awaitDead(supervisorPid(handle));

        RunningTask recovered = new ExecDriver().recover(recordingLaunch(task), handle);

        assertThat(recovered.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(7));
        assertThat(requests).as("a task that has ended gets no socket").isEmpty();
    }

    @Test
    void aTaskKilledWhileTheAgentWasDownIsReportedWithSigkillsCode() throws Exception {
        TestTask task = API.newTask("killed");
        TaskHandle handle = startThenDie(task, "echo ready; exec sleep 60");
        ProcessHandle.of(taskPid(handle)).orElseThrow().destroyForcibly();    // the task, not its supervisor
        awaitDead(supervisorPid(handle));

        RunningTask recovered = new ExecDriver().recover(recordingLaunch(task), handle);

        // Not "killed": the driver did not kill it.
        assertThat(recovered.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.exited(137));
    }

    @Test
    void aTaskWhoseSupervisorWasKilledCannotBeRecoveredAndIsStopped() throws Exception {
        TestTask task = API.newTask("orphan");
        TaskHandle handle = startThenDie(task, "echo ready; exec sleep 60");
        ProcessHandle.of(supervisorPid(handle)).orElseThrow().destroyForcibly();
        awaitDead(supervisorPid(handle));
        assertThat(ProcessHandle.of(taskPid(handle)).map(ProcessHandle::isAlive)).as("the task, unsupervised")
                .contains(true);

        assertThatThrownBy(() -> new ExecDriver().recover(recordingLaunch(task), handle))
                .isInstanceOf(TaskDriverException.class)
                .hasMessageContaining("its supervisor (pid " + supervisorPid(handle) + ") is gone")
                .hasMessageContaining("left no exit code in " + task.taskDir().resolve("supervisor/exit"));
        awaitDead(taskPid(handle));
        assertThat(requests).isEmpty();
    }

    @Test
    void aHandleTheDriverCannotReadFailsTheRecoveryAndTheTaskIsStopped() throws Exception {
        TestTask task = API.newTask("unreadable");
        TaskHandle handle = startThenDie(task, "echo ready; exec sleep 60");
        TaskHandle broken = TaskHandle.of("exec", 1, Map.of("supervisor.pid", "x"));

        assertThatThrownBy(() -> new ExecDriver().recover(recordingLaunch(task), broken))
                .isInstanceOf(TaskDriverException.class).hasMessageContaining("handle is unreadable");
        assertThatThrownBy(() -> new ExecDriver().recover(recordingLaunch(task), TaskHandle.of("docker", 1,
                Map.of()))).isInstanceOf(TaskDriverException.class).hasMessageContaining("driver docker's");
        // Found by the record the driver keeps in the task's directory.
        awaitDead(taskPid(handle));
        awaitDead(supervisorPid(handle));
    }

    @Test
    void stoppingARecoveredTaskLeavesNoProcessOfIt() throws Exception {
        TestTask task = API.newTask("stubborn");
        // Ignores SIGTERM, and has children (inheriting that) which would outlive it.
        TaskHandle handle = startThenDie(task, "trap '' TERM; sleep 60 & sleep 60 & echo ready; wait");
        RunningTask recovered = new ExecDriver().recover(recordingLaunch(task), handle);
        assertThat(runningInSession(supervisorPid(handle))).hasSize(4);   // supervisor, task, two sleeps

        recovered.stop(Duration.ofMillis(300));

        assertThat(recovered.exit().toCompletableFuture().getNow(null)).isEqualTo(TaskExit.killed(137));
        assertThat(runningInSession(supervisorPid(handle))).isEmpty();
        assertThat(ProcessHandle.of(taskPid(handle)).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    @Test
    void aTaskEndingLeavesNoChildBehind() throws Exception {
        TestTask task = API.newTask("parent");
        RunningTask running = new ExecDriver().start(Tasks.launch(task, Map.of("command", "/bin/sh",
                "args", List.of("-c", "sleep 60 & echo $!")), Map.of(), Optional.empty()));

        assertThat(awaitExit(running)).isEqualTo(TaskExit.exited(0));
        awaitDead(Long.parseLong(stdout(task).strip()));   // the background sleep went with the task
    }

    private static TaskHandle startThenDie(TestTask task, String script) throws Exception {
        TaskHandle handle = DoomedAgent.startThenDie("exec", task, Map.of("command", "/bin/sh",
                "args", List.of("-c", script)), Optional.empty());
        assertThat(handle.driver()).isEqualTo("exec");
        assertThat(handle.version()).isEqualTo(1);
        if (script.contains("echo ready")) {
            Tasks.awaitStdout(task, "ready");
        }
        return handle;
    }

    /** The launch the restarted agent builds: the same task, its sockets recorded on their way to the Task API. */
    private TaskLaunch recordingLaunch(TestTask task) {
        return Tasks.withSockets(task.launch(Map.of(), Optional.empty()), request -> {
            requests.add(request);
            return API.api().openSocket(request);
        });
    }

    private static long supervisorPid(TaskHandle handle) {
        return Long.parseLong(handle.state().get("supervisor.pid"));
    }

    private static long taskPid(TaskHandle handle) {
        return Long.parseLong(handle.state().get("task.pid"));
    }
}
