package io.taskapi.examples.driver.docker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.driver.TaskLogs;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskHandle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running container. A daemon thread follows its output into the task's logs as it comes
 * ({@code GET /containers/{id}/logs?follow=1}), another waits for it ({@code POST /containers/{id}/wait}); when it
 * ends and its output is in, it is removed, and only then {@link #exit()} completes. When the engine stops answering
 * (an engine that stops kills its containers), {@link #exit()} fails with a {@link TaskDriverException} that says so,
 * instead of passing the engine's doing off as the task's exit code; the container is removed once the engine is back.
 *
 * <p>Thread-safe.
 */
final class ContainerTask implements RunningTask {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerTask.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    /** How long the output may take to arrive after the container stopped. */
    private static final Duration FOLLOWER_DRAIN = Duration.ofSeconds(10);
    private static final int SIGKILL_EXIT = 128 + 9;
    /** Exit code reported when the engine no longer knows the container, so its real one is lost. */
    static final int UNKNOWN_EXIT = 255;

    private final DockerEngine engine;
    private final TaskRef task;
    private final String id;
    private final TaskLogs logs;
    private final CompletableFuture<TaskExit> exit = new CompletableFuture<>();
    private final AtomicBoolean sentKill = new AtomicBoolean();
    private volatile Thread follower;
    /** The engine's time of the last message written to the logs, so that nothing is written twice. */
    private final AtomicReference<Instant> lastLogged = new AtomicReference<>();

    private ContainerTask(DockerEngine engine, TaskRef task, String id, TaskLogs logs) {
        this.engine = requireNonNull(engine, "engine is null");
        this.task = requireNonNull(task, "task is null");
        this.id = requireNonNull(id, "id is null");
        this.logs = requireNonNull(logs, "logs is null");
    }

    /** The handle's format: {@value #CONTAINER_ID} is the container's id. */
    static final int HANDLE_VERSION = 1;
    static final String CONTAINER_ID = "container.id";

    /** A container that was started (or found running again after an agent restart): a thread waits for it. */
    static ContainerTask watch(DockerEngine engine, TaskRef task, String id, TaskLogs logs,
                               Optional<String> since) {
        ContainerTask running = new ContainerTask(engine, task, id, logs);
        Thread follower = new Thread(() -> running.followLogs(since), "docker-logs-" + DockerDriver.shortId(id));
        follower.setDaemon(true);
        running.follower = follower;
        follower.start();
        Thread waiter = new Thread(running::awaitContainer, "docker-wait-" + DockerDriver.shortId(id));
        waiter.setDaemon(true);
        waiter.start();
        return running;
    }

    /**
     * A container that ended while the agent was down: its output is copied and it is removed, as after any end, and
     * the exit is complete when this returns.
     */
    static ContainerTask ended(DockerEngine engine, TaskRef task, String id, TaskLogs logs, int code) {
        ContainerTask ended = new ContainerTask(engine, task, id, logs);
        ended.finishEnded(code);
        return ended;
    }

    /** @return the container's id (driver {@code docker}, version 1): the engine keeps containers past the agent */
    @Override
    public Optional<TaskHandle> handle() {
        return Optional.of(TaskHandle.of(DockerDriver.NAME, HANDLE_VERSION, Map.of(CONTAINER_ID, id)));
    }

    @Override
    public boolean canExec() {
        return true;
    }

    /**
     * The engine's exec: the command runs in the container as its configured user, with its environment and working
     * directory, as {@code docker exec} does.
     */
    @Override
    public ExecProcess exec(ExecCommand command) throws TaskDriverException {
        if (exit.isDone()) {
            throw new TaskDriverException("task " + task.taskName() + " is not running");
        }
        ObjectNode spec = DockerEngine.mapper().createObjectNode().put("AttachStdin", true).put("AttachStdout", true)
                .put("AttachStderr", true).put("Tty", command.tty());
        command.argv().forEach(spec.putArray("Cmd")::add);
        if (command.tty()) {
            spec.putArray("Env").add("TERM=xterm");
        }
        try {
            String execId = engine.createExec(id, spec);
            return new DockerExec(engine, execId, engine.startExec(execId, command.tty()), command.tty());
        } catch (IOException e) {
            throw new TaskDriverException("cannot run " + command.argv().get(0) + " in container "
                    + id.substring(0, Math.min(12, id.length())) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletionStage<TaskExit> exit() {
        return exit.minimalCompletionStage();
    }

    /**
     * SIGTERM through the engine, SIGKILL after the grace period (explicit kills rather than {@code /stop}, so that
     * the driver knows whether it had to kill).
     *
     * @throws IllegalStateException when the engine cannot be reached, or the container does not end
     */
    @Override
    public void stop(Duration grace) {
        requireNonNull(grace, "grace is null");
        if (exit.isDone()) {
            return;
        }
        try {
            engine.kill(id, "SIGTERM");
            if (!awaitExit(grace.isNegative() ? Duration.ZERO : grace)) {
                sentKill.set(true);
                engine.kill(id, "SIGKILL");
            }
        } catch (IOException e) {
            throw new IllegalStateException("docker task " + task.taskName() + ": cannot stop container "
                    + DockerDriver.shortId(id) + ": " + e.getMessage(), e);
        }
        if (!awaitExit(KILL_WAIT)) {
            throw new IllegalStateException("docker task " + task.taskName() + ": container "
                    + DockerDriver.shortId(id) + " did not end " + KILL_WAIT.toSeconds() + "s after SIGKILL");
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * The waiting thread: wait for the container, let the log follower drain, remove the container, report. A wait
     * that breaks is retried while the engine still answers; an engine that no longer answers (stopped or crashed,
     * with or without a code from the wait) fails the task, as Nomad's driver does when its wait fails.
     */
    private void awaitContainer() {
        OptionalInt code = OptionalInt.empty();
        String engineFailure = null;
        long backoffMillis = 250;
        while (code.isEmpty() && engineFailure == null) {
            try {
                code = OptionalInt.of(engine.waitForExit(id));
            } catch (IOException e) {
                LOG.warn("docker task {}: waiting for container {} failed: {}", task.taskName(),
                        DockerDriver.shortId(id), e.getMessage());
                try {
                    Optional<DockerEngine.ContainerState> state = engine.inspect(id);
                    if (state.isEmpty()) {
                        LOG.warn("docker task {}: container {} vanished; its exit code is unknown", task.taskName(),
                                DockerDriver.shortId(id));
                        code = OptionalInt.of(UNKNOWN_EXIT);
                    } else if (!state.get().running()) {
                        code = OptionalInt.of(state.get().exitCode());
                    }
                    // still running and the engine answers: the wait broke on its own, wait again
                } catch (IOException inspectFailure) {
                    engineFailure = e.getMessage();
                }
            }
            if (code.isEmpty() && engineFailure == null) {
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    engineFailure = "interrupted";
                }
                backoffMillis = Math.min(backoffMillis * 2, 10_000);
            }
        }
        awaitFollower();
        if (engineFailure == null) {
            // A follow can end before the engine has logged the container's last lines: copy what is left.
            engineFailure = unlessTheEngineAnswered(() -> appendLogs(false, sinceLastLogged()), "copy the output of");
        }
        if (engineFailure == null) {
            engineFailure = unlessTheEngineAnswered(() -> engine.remove(id), "remove");
        }
        if (engineFailure != null) {
            failBecauseTheEngineIsGone(code, engineFailure);
            return;
        }
        int exitCode = code.getAsInt();
        boolean killed = sentKill.get() && exitCode == SIGKILL_EXIT;
        LOG.info("docker task {} (alloc {}) ended: container {}, exit code {}{}", task.taskName(),
                task.allocationId(), DockerDriver.shortId(id), exitCode, killed ? " (killed)" : "");
        exit.complete(killed ? TaskExit.killed(exitCode) : TaskExit.exited(exitCode));
    }

    /** A call to the engine after the wait. */
    private interface EngineCall {
        void run() throws IOException;
    }

    /**
     * @return null when the engine answered (a refusal is only logged), else why it did not: the engine answered the
     *     wait but no longer answers, so it is shutting down, and that is what ended the container (it stops every
     *     container then): the code cannot be the task's own
     */
    private String unlessTheEngineAnswered(EngineCall call, String what) {
        try {
            call.run();
            return null;
        } catch (DockerEngine.EngineError e) {
            LOG.warn("docker task {}: cannot {} container {}: {}", task.taskName(), what, DockerDriver.shortId(id),
                    e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage();
        }
    }

    private void failBecauseTheEngineIsGone(OptionalInt code, String why) {
        String message = "driver " + DockerDriver.NAME + ": the Docker engine at " + engine.socket()
                + " stopped answering while task " + task.taskName() + " ran (" + why + ")"
                + (code.isPresent() ? "; container " + DockerDriver.shortId(id) + " gave exit code "
                + code.getAsInt() + ", which is the engine's doing, not the task's: an engine that stops kills its"
                + " containers" : "") + "; the task's output up to then is in its logs, and the container is"
                + " removed when the engine answers again";
        LOG.warn("{}", message);
        Thread remover = new Thread(this::removeWhenTheEngineIsBack, "docker-remove-" + DockerDriver.shortId(id));
        remover.setDaemon(true);
        remover.start();
        exit.completeExceptionally(new TaskDriverException(message));
    }

    /**
     * After the engine went away: once it answers again, copies what the container printed since the logs were last
     * written, and removes it (an engine without live-restore keeps the stopped container; with live-restore it may
     * still run, and the force-removal ends it: its task was reported failed).
     */
    private void removeWhenTheEngineIsBack() {
        long backoffMillis = 500;
        while (true) {
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, 30_000);
            try {
                engine.ping();
            } catch (IOException e) {
                continue;
            }
            try {
                appendLogs(false, sinceLastLogged());
                engine.remove(id);
                LOG.info("docker task {}: container {} removed now that the engine answers again", task.taskName(),
                        DockerDriver.shortId(id));
                return;
            } catch (DockerEngine.EngineError e) {
                if (e.status() == 404) {
                    return;    // gone already
                }
                LOG.warn("docker task {}: cannot remove container {} yet: {}", task.taskName(),
                        DockerDriver.shortId(id), e.getMessage());
            } catch (IOException | RuntimeException e) {
                LOG.warn("docker task {}: cannot remove container {} yet: {}", task.taskName(),
                        DockerDriver.shortId(id), e.getMessage());
            }
        }
    }

    /** Copies the rest of the output of a container that ended while the agent was down, then removes it. */
    private void finishEnded(int code) {
        try {
            appendLogs(false, since(logs));
        } catch (IOException | RuntimeException e) {
            LOG.warn("docker task {}: cannot copy the output of container {}: {}", task.taskName(),
                    DockerDriver.shortId(id), e.getMessage());
        }
        try {
            engine.remove(id);
        } catch (IOException | RuntimeException e) {
            LOG.warn("docker task {}: cannot remove container {}: {}", task.taskName(), DockerDriver.shortId(id),
                    e.getMessage());
        }
        exit.complete(TaskExit.exited(code));
    }

    /** The follower: streams the container's output into the task's logs as it comes, until the container stops. */
    private void followLogs(Optional<String> since) {
        try {
            appendLogs(true, since);
        } catch (IOException | RuntimeException e) {
            LOG.warn("docker task {}: following the output of container {} stopped: {}", task.taskName(),
                    DockerDriver.shortId(id), e.getMessage());
        }
    }

    private void appendLogs(boolean follow, Optional<String> since) throws IOException {
        try (OutputStream stdout = Files.newOutputStream(logs.stdout(), StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
             OutputStream stderr = Files.newOutputStream(logs.stderr(), StandardOpenOption.APPEND,
                        LinkOption.NOFOLLOW_LINKS)) {
            engine.copyLogs(id, follow, since, lastLogged, stdout, stderr);
        }
    }

    /** The follower ends when the container stops; a follower cut off by a dying engine ends with it. */
    private void awaitFollower() {
        Thread current = follower;
        if (current == null) {
            return;
        }
        try {
            current.join(FOLLOWER_DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the engine's {@code since} for what came after the last message written (or the logs' time) */
    private Optional<String> sinceLastLogged() {
        Instant last = lastLogged.get();
        return last == null ? since(logs) : Optional.of(epochSeconds(last));
    }

    private static String epochSeconds(Instant time) {
        return time.getEpochSecond() + "." + String.format(Locale.ROOT, "%09d", time.getNano());
    }

    /**
     * @return the engine's {@code since} for output not yet in the logs: the later of the two files' modification
     *     times (seconds.nanoseconds), or empty when both are empty (everything is new)
     */
    static Optional<String> since(TaskLogs logs) {
        try {
            long stdoutSize = Files.size(logs.stdout());
            long stderrSize = Files.size(logs.stderr());
            if (stdoutSize == 0 && stderrSize == 0) {
                return Optional.empty();
            }
            Instant last = Collections.max(List.of(Files.getLastModifiedTime(logs.stdout()).toInstant(),
                    Files.getLastModifiedTime(logs.stderr()).toInstant()));
            return Optional.of(epochSeconds(last));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "ContainerTask[" + task.taskName() + ", " + DockerDriver.shortId(id) + "]";
    }
}
