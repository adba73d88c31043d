package io.taskapi.examples.driver.process;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.driver.TaskLogs;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskLaunch;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a task as a host process: what the {@code exec} and {@code java} drivers share.
 *
 * <ol>
 *   <li>resolve {@code launch.user()} with {@code getent passwd} (an unknown user fails before anything exists);</li>
 *   <li>make the log files ({@link TaskLogs});</li>
 *   <li>request the task's API socket with isolation {@link FilesystemIsolation#NONE} (the process sees the host's
 *       paths): the Task API checks the secrets directory and keeps the socket across restarts;</li>
 *   <li>start the process: working directory the task directory, environment exactly the task's (the agent's is not
 *       inherited), standard input {@code /dev/null}, output appended to the logs, and with a user, through
 *       {@code setpriv --reuid --regid --init-groups --no-new-privs};</li>
 *   <li>when it ends, complete {@link RunningTask#exit()}.</li>
 * </ol>
 *
 * <p>Thread-safe.
 */
public final class HostProcessLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(HostProcessLauncher.class);
    private static final File DEV_NULL = new File("/dev/null");

    private final String driver;

    /** @param driver the driver's name, for messages and logs */
    public HostProcessLauncher(String driver) {
        this.driver = requireNonNull(driver, "driver is null");
    }

    /** @return the isolation of a host process: none, the task sees the host's paths */
    public FilesystemIsolation isolation() {
        return FilesystemIsolation.NONE;
    }

    /**
     * @param launch the task
     * @return the PATH the task will have: its own, or {@link Executables#DEFAULT_PATH}
     */
    public static String taskPath(TaskLaunch launch) {
        return launch.environment().getOrDefault("PATH", Executables.DEFAULT_PATH);
    }

    /**
     * Starts the task.
     *
     * @param launch the task
     * @param command the program (an absolute path) and its arguments; the arguments are never logged nor put in a
     *     message, since the agent may have interpolated the task's token into them
     * @return the running task
     * @throws TaskDriverException when it cannot start; then nothing runs
     */
    public RunningTask launch(TaskLaunch launch, List<String> command) throws TaskDriverException {
        requireNonNull(launch, "launch is null");
        requireNonNull(command, "command is null");
        if (command.isEmpty() || !Path.of(command.get(0)).isAbsolute()) {
            throw new IllegalArgumentException("command must start with an absolute program path");
        }
        String program = command.get(0);
        Optional<HostUser> user = launch.user().isPresent()
                ? Optional.of(HostUser.resolve(driver, launch.user().get())) : Optional.empty();
        Optional<Path> setpriv = user.isPresent() ? Optional.of(setpriv()) : Optional.empty();
        TaskLogs logs;
        try {
            logs = TaskLogs.prepare(launch.taskDir(), launch.task().taskName());
        } catch (IOException e) {
            throw new TaskDriverException("driver " + driver + ": cannot prepare the task's logs: " + e.getMessage(),
                    e);
        }

        SocketNeeds needs = SocketNeeds.of(isolation());
        SocketMount mount = launch.apiSocket(user.map(u -> needs.withUser(u.name())).orElse(needs));
        try {
            List<String> argv = new ArrayList<>();
            if (user.isPresent()) {
                HostUser u = user.get();
                // A real privilege drop: setresgid, setgroups (the user's groups from NSS), setresuid, then exec.
                // --no-new-privs: a setuid binary the task runs cannot get root back.
                argv.addAll(List.of(setpriv.orElseThrow().toString(), "--reuid=" + u.uid(), "--regid=" + u.gid(),
                        "--init-groups", "--no-new-privs", "--"));
            }
            argv.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(argv).directory(launch.taskDir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.stdout().toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(logs.stderr().toFile()));
            // Exactly the task's environment: the agent's own (an operator's NOMAD_TOKEN, cloud credentials) must not
            // leak into a task. Never log this map: it holds the task's NOMAD_TOKEN.
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.putAll(launch.environmentWith(mount));
            environment.putIfAbsent("PATH", Executables.DEFAULT_PATH);
            Process process = builder.start();
            LOG.info("{} task {} (alloc {}) started: pid {}, program {}, user {}", driver, launch.task().taskName(),
                    launch.task().allocationId(), process.pid(), program, user.map(HostUser::name).orElse("(agent's)"));
            return HostProcessTask.watch(driver, launch.task(), process);
        } catch (IOException | RuntimeException e) {
            // IOException's message names the program and the errno, never the arguments.
            throw new TaskDriverException("driver " + driver + ": cannot start " + program + ": " + e.getMessage(), e);
        }
    }

    private Path setpriv() throws TaskDriverException {
        // The agent's PATH, not the task's: setpriv is the agent's tool, run before the privilege drop.
        String agentPath = System.getenv().getOrDefault("PATH", Executables.DEFAULT_PATH) + ":"
                + Executables.DEFAULT_PATH;
        return Executables.find("setpriv", Path.of("/"), agentPath).orElseThrow(() -> new TaskDriverException(
                "driver " + driver + ": the task has a user but setpriv (util-linux) is not installed, so its "
                        + "privileges cannot be dropped"));
    }
}
