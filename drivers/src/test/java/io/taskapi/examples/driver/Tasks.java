package io.taskapi.examples.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.SocketProvisioner;
import io.taskapi.spi.driver.TaskExit;
import io.taskapi.spi.driver.TaskLaunch;
import io.taskapi.testing.TestTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;

/** What the driver tests share: launches with a config block, waiting for exits, reading task logs. */
public final class Tasks {
    /** How long any test task may run. */
    public static final Duration TASK_TIMEOUT = Duration.ofSeconds(20);

    private Tasks() {}

    /** @return the test task's launch (the extension's real Task API) with this config, environment and user */
    public static TaskLaunch launch(TestTask task, Map<String, Object> config, Map<String, String> environment,
                                    Optional<String> user) {
        return task.launch(config, environment, user);
    }

    /** @return the same launch, with its sockets from {@code sockets} */
    public static TaskLaunch withSockets(TaskLaunch launch, SocketProvisioner sockets) {
        return TaskLaunch.builder(launch.task()).taskDir(launch.taskDir()).secretsDir(launch.secretsDir())
                .config(launch.config()).environment(launch.environment()).user(launch.user()).sockets(sockets)
                .build();
    }

    /** @return the task's exit, waiting at most {@link #TASK_TIMEOUT} */
    public static TaskExit awaitExit(RunningTask running) throws Exception {
        return running.exit().toCompletableFuture().get(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return what the task wrote to its standard output */
    public static String stdout(TestTask task) {
        return read(TaskLogs.of(task.taskDir(), task.ref().taskName()).stdout());
    }

    /** @return what the task wrote to its standard error */
    public static String stderr(TestTask task) {
        return read(TaskLogs.of(task.taskDir(), task.ref().taskName()).stderr());
    }

    /** Waits until the task's standard output contains the text; fails with what it has. */
    public static void awaitStdout(TestTask task, String text) {
        poll(TASK_TIMEOUT).untilAsserted(() -> assertThat(stdout(task)).as("the log of %s", task).contains(text));
    }

    /**
     * Waits until the process has ended (or is a zombie, dead but not yet reaped by its new parent): a SIGKILL is
     * delivered asynchronously. Fails with the state it last saw.
     *
     * @param pid a process id
     */
    public static void awaitDead(long pid) {
        poll(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(processState(pid))
                .as("the state of process %d", pid).isIn("gone", "Z"));
    }

    /** @return the state letter in {@code /proc/PID/stat} ({@code R}, {@code S}, {@code Z}...), or "gone" */
    private static String processState(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return "gone";
        }
        // pid (comm) STATE ...: comm may hold spaces and parentheses, the state follows the last ')'.
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    /**
     * @param session a session id (a supervisor's pid)
     * @return the pids of the processes of that session that run (zombies have ended: only a parent has not reaped
     *     them)
     */
    public static List<Long> runningInSession(long session) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"));
                } catch (IOException e) {
                    continue;    // ended meanwhile
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(fields[3]) == session && !"Z".equals(fields[0])) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    private static ConditionFactory poll(Duration atMost) {
        return await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether the tests run as root (needed to give sockets away and to become other users) */
    public static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The socket belongs to the task, not to the driver's process: it is still there after the process ended, and
     * goes when the agent releases the task (done for good).
     *
     * @param task the task whose process ended
     */
    public static void assertSocketStaysUntilReleased(TestTask task) {
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).as("socket after the process ended")
                .isTrue();
        task.release();
        assertThat(Files.exists(task.socketPath(), LinkOption.NOFOLLOW_LINKS)).as("socket after release").isFalse();
    }
}
