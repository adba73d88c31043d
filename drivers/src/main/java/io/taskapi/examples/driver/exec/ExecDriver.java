package io.taskapi.examples.driver.exec;

import io.taskapi.examples.driver.DriverConfig;
import io.taskapi.examples.driver.process.Executables;
import io.taskapi.examples.driver.process.HostProcessLauncher;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskLaunch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code driver = "exec"}: runs a host program.
 *
 * <pre>
 * config {
 *   command = "/bin/sh"              # required: a name looked up on the task's PATH, a path relative to the task
 *                                    #   directory, or an absolute path
 *   args    = ["-c", "echo hello"]   # optional
 * }
 * </pre>
 *
 * <p>Unlike Nomad's exec driver, this one does not chroot the task into its directory nor put it in cgroups: its
 * isolation is {@link FilesystemIsolation#NONE}, so the task sees the host's filesystem and is told the host path of
 * its secrets directory. What it does enforce is the task's {@code user} (a real {@code setpriv} privilege drop) and
 * its environment (the agent's is not inherited). See {@link HostProcessLauncher} for the steps.
 *
 * <p>Each task runs under a small supervisor process ({@code setsid sh}) that owns it and records its exit code in
 * {@code <taskDir>/supervisor/}, so the task survives the agent and {@link #recover(TaskLaunch, TaskHandle)} finds it
 * again, with its real exit code, after the agent restarts.
 */
public final class ExecDriver implements TaskDriver {
    /** The driver's name. */
    public static final String NAME = "exec";
    /** The config keys this driver reads. */
    public static final Set<String> CONFIG_KEYS = Set.of("command", "args");

    private final HostProcessLauncher launcher;

    /** The driver as the agent finds it with {@link java.util.ServiceLoader}. */
    public ExecDriver() {
        this.launcher = new HostProcessLauncher(NAME);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FilesystemIsolation isolation() {
        return launcher.isolation();
    }

    @Override
    public RunningTask start(TaskLaunch launch) throws TaskDriverException {
        DriverConfig config = DriverConfig.of(NAME, launch.config(), CONFIG_KEYS);
        String command = config.requiredString("command");
        // Resolved here, against the task's PATH and directory, so that the process gets an absolute program and a
        // missing program is an error at start rather than an exit code 127 in the task's log.
        Path program = Executables.find(command, launch.taskDir(), HostProcessLauncher.taskPath(launch))
                .orElseThrow(() -> new TaskDriverException("driver " + NAME + ": command '" + command
                        + "' not found (or not executable) on the task's PATH or in its directory"));
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(config.strings("args"));
        return launcher.launch(launch, argv);
    }

    /**
     * Finds a task again after an agent restart through its supervisor (see {@link HostProcessLauncher}): still
     * running, its socket is requested again as at start; ended while the agent was down, its real exit code is
     * there. The task's config is not read again: the process already runs, or has ended.
     */
    @Override
    public RunningTask recover(TaskLaunch launch, TaskHandle handle) throws TaskDriverException {
        return launcher.recover(launch, handle);
    }

    @Override
    public String toString() {
        return "ExecDriver";
    }
}
