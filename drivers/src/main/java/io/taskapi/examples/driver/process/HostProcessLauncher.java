package io.taskapi.examples.driver.process;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.driver.TaskLogs;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.SocketMount;
import io.taskapi.spi.driver.SocketNeeds;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskLaunch;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a task as a host process under a supervisor, and finds it again after an agent restart: what the
 * {@code exec} and {@code java} drivers share.
 *
 * <ol>
 *   <li>resolve {@code launch.user()} with {@code getent passwd} (an unknown user fails before anything exists);</li>
 *   <li>make the log files ({@link TaskLogs}) and the supervisor's directory ({@code <taskDir>/supervisor}, the
 *       agent's, {@code 0700});</li>
 *   <li>request the task's API socket with isolation {@link FilesystemIsolation#NONE} (the process sees the host's
 *       paths): the Task API checks the secrets directory and keeps the socket across restarts;</li>
 *   <li>start the supervisor, {@code setsid /bin/sh -p -c SCRIPT}, which starts the task: working directory the task
 *       directory, environment exactly the task's (the agent's is not inherited), standard input {@code /dev/null},
 *       output appended to the logs, and with a user, through
 *       {@code setpriv --reuid --regid --init-groups --no-new-privs};</li>
 *   <li>when the supervisor ends, complete {@link RunningTask#exit()} with the exit code it recorded.</li>
 * </ol>
 *
 * <p>Why a supervisor: the task must outlive the agent (a crash, or a stop that leaves tasks running) and its exit code
 * must not be lost with the agent. Only a process's parent learns its exit status, so the parent is a small process
 * that lives exactly as long as the task and writes the status to a file; {@code setsid} puts it and the task in their
 * own session, so a Ctrl-C at the agent's terminal or the agent's death reaches neither, and the session names every
 * process of the task ({@link TaskSession}). A shell is the supervisor because every host has one: no binary to ship.
 *
 * <p>Thread-safe.
 */
public final class HostProcessLauncher {
    /**
     * The supervisor: {@code sh -p -c SCRIPT taskapi-supervisor <state dir> <mv> <command...>}, started in the task
     * directory.
     *
     * <ul>
     *   <li>The task starts first, from a subshell that shifts the supervisor's own arguments away, before the script
     *       sets any variable: a variable of the task's environment with the same name would otherwise reach it
     *       changed.</li>
     *   <li>Then the supervisor ignores HUP, INT, QUIT and TERM. It does not forward them: a trapped signal makes
     *       {@code wait} return early with 128+n, and a shell cannot always tell that from the task's own status
     *       (bash reaps in the background, dash does not), so the exit code could be a lie. The driver signals the
     *       task itself. Set after the task started, so the task does not inherit the ignored signals.</li>
     *   <li>It writes the task's pid, waits for the task (a plain {@code wait}, never interrupted, gives the real
     *       status, 128+n when signal n ended it), writes the status, and exits with it. Files are written to a
     *       temporary name and renamed, by relative names once in the directory, so a reader never sees half a file
     *       and renaming the directory away cannot redirect the writes.</li>
     *   <li>{@code -p}: bash (some hosts' {@code /bin/sh}) then imports no functions from the task's environment, which
     *       could otherwise redefine {@code echo} in this shell running as the agent's user. Only builtins and the
     *       absolute {@code mv} run here, so the task's {@code PATH} does not matter either.</li>
     * </ul>
     */
    static final String SCRIPT = String.join("\n",
            "{ shift 2; exec \"$@\"; } &",
            "child=$!",
            "trap '' HUP INT QUIT TERM",
            "cd -P -- \"$1\" || { kill -KILL \"$child\"; exit 125; }",
            "{ echo \"$child\" > pid.tmp && \"$2\" -f -- pid.tmp pid; } || { kill -KILL \"$child\"; exit 125; }",
            "wait \"$child\"",
            "code=$?",
            "echo \"$code\" > exit.tmp && \"$2\" -f -- exit.tmp exit",
            "exit \"$code\"");

    private static final Logger LOG = LoggerFactory.getLogger(HostProcessLauncher.class);
    private static final File DEV_NULL = new File("/dev/null");
    private static final Path SHELL = Path.of("/bin/sh");
    /** How long the supervisor may take to start the task and record its pid. */
    private static final Duration PID_WAIT = Duration.ofSeconds(10);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final Set<String> LOADER_VARIABLES = Set.of("GCONV_PATH", "GLIBC_TUNABLES", "LOCPATH", "NLSPATH");

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
     * @return the running task; its {@link RunningTask#handle()} finds it again after an agent restart
     * @throws TaskDriverException when it cannot start; then nothing runs
     */
    public RunningTask launch(TaskLaunch launch, List<String> command) throws TaskDriverException {
        requireNonNull(launch, "launch is null");
        requireNonNull(command, "command is null");
        if (command.isEmpty() || !Path.of(command.get(0)).isAbsolute()) {
            throw new IllegalArgumentException("command must start with an absolute program path");
        }
        String program = command.get(0);
        Optional<HostUser> user = user(launch);
        Optional<Path> setpriv = user.isPresent() ? Optional.of(tool("setpriv", "its privileges cannot be dropped"))
                : Optional.empty();
        Path setsid = tool("setsid", "its supervisor cannot have its own session");
        Path mv = tool("mv", "its supervisor cannot record its exit");
        TaskLogs logs;
        try {
            logs = TaskLogs.prepare(launch.taskDir(), launch.task().taskName());
        } catch (IOException e) {
            throw new TaskDriverException("driver " + driver + ": cannot prepare the task's logs: " + e.getMessage(),
                    e);
        }
        SupervisorDir dir = SupervisorDir.of(launch.taskDir());
        try {
            stopLeftover(dir);
            dir.prepareForStart();
        } catch (IOException e) {
            throw new TaskDriverException("driver " + driver + ": cannot prepare the supervisor's directory: "
                    + e.getMessage(), e);
        }

        SocketMount mount = launch.apiSocket(socketNeeds(user));
        // Never log this map: it holds the task's NOMAD_TOKEN.
        Map<String, String> environment = taskEnvironment(launch, mount);
        Map<String, String> loaderVariables = loaderVariables(environment, user);
        Process supervisor;
        try {
            List<String> argv = new ArrayList<>(List.of(setsid.toString(), SHELL.toString(), "-p", "-c", SCRIPT,
                    "taskapi-supervisor", dir.path().toString(), mv.toString()));
            argv.addAll(privilegeDrop(user, setpriv));
            argv.addAll(envPrefix(program, loaderVariables));
            argv.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(argv).directory(launch.taskDir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.stdout().toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(logs.stderr().toFile()));
            // Exactly the task's environment: the agent's own (an operator's NOMAD_TOKEN, cloud credentials) must not
            // leak into a task.
            builder.environment().clear();
            builder.environment().putAll(environment);
            supervisor = builder.start();
        } catch (IOException | RuntimeException e) {
            // IOException's message names the program and the errno, never the arguments.
            throw new TaskDriverException("driver " + driver + ": cannot start " + program + ": " + e.getMessage(), e);
        }
        // Read at once: a supervisor whose task ends at once is reaped (and gone from /proc) soon after.
        long supervisorStart = ProcStat.read(supervisor.pid()).map(ProcStat::startTicks).orElse(-1L);
        SupervisorRecord record = awaitTaskPid(supervisor, supervisorStart, dir);
        try {
            dir.writeRecord(record);
        } catch (IOException e) {
            LOG.warn("{} task {}: cannot write {}/record: {} (the agent's handle still finds the task)", driver,
                    launch.task().taskName(), dir, e.getMessage());
        }
        LOG.info("{} task {} (alloc {}) started: pid {} (supervisor {}), program {}, user {}", driver,
                launch.task().taskName(), launch.task().allocationId(), record.taskPid(), record.supervisorPid(),
                program, user.map(HostUser::name).orElse("(agent's)"));
        return HostProcessTask.started(driver, launch.task(), dir, record, supervisor,
                exec(user, setpriv, launch.taskDir(), environment, loaderVariables));
    }

    /**
     * Finds a task {@link #launch} started, after an agent restart. See
     * {@link io.taskapi.spi.driver.TaskDriver#recover(TaskLaunch, TaskHandle)}.
     *
     * @param launch the task, as the agent would start it
     * @param handle what {@link RunningTask#handle()} gave
     * @return the task, running (its socket requested again, as at start) or already ended (its real exit code)
     * @throws TaskDriverException when it cannot be recovered; then nothing of it runs
     */
    public RunningTask recover(TaskLaunch launch, TaskHandle handle) throws TaskDriverException {
        requireNonNull(launch, "launch is null");
        requireNonNull(handle, "handle is null");
        SupervisorDir dir = SupervisorDir.of(launch.taskDir());
        String taskName = launch.task().taskName();
        SupervisorRecord record;
        try {
            record = SupervisorRecord.of(driver, handle);
        } catch (TaskDriverException e) {
            // The record the driver kept in the task's directory still says which processes are the task's.
            stopAll(safeRecord(dir));
            throw e;
        }
        try {
            dir.check();
        } catch (IOException e) {
            stopAll(Optional.of(record));
            throw new TaskDriverException("driver " + driver + ": cannot recover task " + taskName
                    + ": the supervisor's directory is unsafe or missing: " + e.getMessage(), e);
        }
        Optional<SupervisorRecord> onDisk = dir.readRecord();
        if (onDisk.isPresent() && !onDisk.get().equals(record)) {
            // Started again after this handle was stored (the agent died before storing the new one).
            stopAll(onDisk);
            stopAll(Optional.of(record));
            throw new TaskDriverException("driver " + driver + ": cannot recover task " + taskName + ": the handle"
                    + " names supervisor pid " + record.supervisorPid() + " but the task was started again since"
                    + " (supervisor pid " + onDisk.get().supervisorPid() + "); its processes were stopped");
        }
        boolean sameBoot = record.boot().equals(ProcStat.bootId());
        if (sameBoot && ProcStat.isRunning(record.supervisorPid(), record.supervisorStart())) {
            HostExec exec;
            try {
                // As at start, so that the Task API opens the same socket again at the same path.
                Optional<HostUser> user = user(launch);
                SocketMount mount = launch.apiSocket(socketNeeds(user));
                exec = exec(user, user.isPresent() ? Optional.of(tool("setpriv", "its privileges cannot be dropped"))
                        : Optional.empty(), launch.taskDir(), taskEnvironment(launch, mount), new TreeMap<>());
            } catch (TaskDriverException e) {
                stopAll(Optional.of(record));
                throw e;
            }
            LOG.info("{} task {} (alloc {}) recovered: pid {} (supervisor {}) still runs", driver, taskName,
                    launch.task().allocationId(), record.taskPid(), record.supervisorPid());
            return HostProcessTask.recovered(driver, launch.task(), dir, record, exec);
        }
        Optional<Integer> code = dir.exitCode();
        if (code.isPresent()) {
            LOG.info("{} task {} (alloc {}) recovered: it ended with exit code {} while the agent was down", driver,
                    taskName, launch.task().allocationId(), code.get());
            return HostProcessTask.alreadyEnded(driver, launch.task(), dir, record);
        }
        stopAll(Optional.of(record));
        throw new TaskDriverException("driver " + driver + ": cannot recover task " + taskName
                + ": its supervisor (pid " + record.supervisorPid() + ") is gone"
                + (sameBoot ? "" : " (the host rebooted)") + " and left no exit code in "
                + dir.path().resolve(SupervisorDir.EXIT)
                + "; what was left of the task was stopped");
    }

    /**
     * What comes between the supervisor (or setpriv) and the program: {@code env}, to give the task back the default
     * SIGINT and SIGQUIT ({@link DefaultSignals}) and the loader variables kept from the agent's helpers. Their values
     * are paths, not secrets, and are in env's arguments only until it execs the program.
     */
    private List<String> envPrefix(String program, Map<String, String> loaderVariables) throws TaskDriverException {
        Optional<Path> signals = DefaultSignals.env();
        if (signals.isEmpty() && loaderVariables.isEmpty()) {
            return List.of();
        }
        // env reads an argument with '=' as a variable to set: such a program path must not follow it.
        if (program.indexOf('=') >= 0) {
            if (!loaderVariables.isEmpty()) {
                throw new TaskDriverException("driver " + driver + ": a program path with '=' cannot be started with"
                        + " the task's " + loaderVariables.keySet() + " as another user");
            }
            return List.of();
        }
        List<String> prefix = new ArrayList<>();
        prefix.add(signals.isPresent() ? signals.get().toString() : tool("env", "the task's "
                + loaderVariables.keySet() + " cannot reach it").toString());
        signals.ifPresent(env -> prefix.add("--default-signal=INT,QUIT"));
        loaderVariables.forEach((name, value) -> prefix.add(name + "=" + value));
        return prefix;
    }

    /** @return whether the C library reads the variable to load code or data (never honoured for the agent's tools) */
    private static boolean isLoaderVariable(String name) {
        return name.startsWith("LD_") || LOADER_VARIABLES.contains(name);
    }

    /** The socket a host process needs, at start and again at recovery: the same request both times. */
    private SocketNeeds socketNeeds(Optional<HostUser> user) {
        SocketNeeds needs = SocketNeeds.of(isolation());
        return user.map(u -> needs.withUser(u.name())).orElse(needs);
    }

    private Optional<HostUser> user(TaskLaunch launch) throws TaskDriverException {
        return launch.user().isPresent() ? Optional.of(HostUser.resolve(driver, launch.user().get()))
                : Optional.empty();
    }

    /** Waits for the supervisor to record the task's pid; on failure kills what runs and throws. */
    private SupervisorRecord awaitTaskPid(Process supervisor, long supervisorStart, SupervisorDir dir)
            throws TaskDriverException {
        String boot = ProcStat.bootId();
        long deadline = System.nanoTime() + PID_WAIT.toNanos();
        try {
            while (true) {
                Optional<Long> pid = dir.taskPid();
                if (pid.isPresent()) {
                    // The task may have ended already: then its start is unknown, and it is never signalled by pid.
                    long taskStart = ProcStat.read(pid.get()).filter(p -> p.session() == supervisor.pid())
                            .map(ProcStat::startTicks).orElse(-1L);
                    return new SupervisorRecord(boot, supervisor.pid(), supervisorStart, pid.get(), taskStart);
                }
                if (supervisor.waitFor(5, TimeUnit.MILLISECONDS) && dir.taskPid().isEmpty()) {
                    // Looked at again: a task that ends at once (`true`) lets its supervisor record its pid and end
                    // between the look above and this wait.
                    throw new TaskDriverException("driver " + driver + ": the task's supervisor ended with code "
                            + supervisor.exitValue() + " before it started the task (see the task's stderr log)");
                }
                if (System.nanoTime() > deadline) {
                    throw new TaskDriverException("driver " + driver + ": the task's supervisor did not start the task"
                            + " within " + PID_WAIT.toSeconds() + "s");
                }
            }
        } catch (TaskDriverException e) {
            stopAll(Optional.of(new SupervisorRecord(boot, supervisor.pid(), supervisorStart, -1, -1)));
            throw e;
        } catch (InterruptedException e) {
            stopAll(Optional.of(new SupervisorRecord(boot, supervisor.pid(), supervisorStart, -1, -1)));
            Thread.currentThread().interrupt();
            throw new TaskDriverException("driver " + driver + ": interrupted while starting the task", e);
        }
    }

    /**
     * A task left by an agent that died before it stored the task's handle is killed before the task starts again:
     * never two copies of a task.
     */
    private void stopLeftover(SupervisorDir dir) throws IOException {
        if (!dir.path().toFile().exists()) {
            return;
        }
        dir.check();
        Optional<SupervisorRecord> leftover = dir.readRecord();
        if (leftover.isPresent() && !TaskSession.members(leftover.get(), true).isEmpty()) {
            LOG.warn("{}: a previous run of this task (supervisor pid {}) still runs; killing it", driver,
                    leftover.get().supervisorPid());
            stopAll(leftover);
        }
    }

    private static Optional<SupervisorRecord> safeRecord(SupervisorDir dir) {
        try {
            dir.check();
            return dir.readRecord();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Kills every process of the task, its supervisor too. */
    private void stopAll(Optional<SupervisorRecord> record) {
        if (record.isEmpty()) {
            return;
        }
        try {
            int killed = TaskSession.kill(record.get(), true, KILL_WAIT);
            if (killed > 0) {
                LOG.info("{}: killed {} process(es) of a task that cannot run on (session {})", driver, killed,
                        record.get().supervisorPid());
            }
        } catch (RuntimeException e) {
            LOG.error("{}: cannot kill the processes of session {}: {}", driver, record.get().supervisorPid(),
                    e.getMessage());
        }
    }

    /**
     * With a user, the supervisor, mv and setpriv run as the agent's user (root): the C library must not load what the
     * task's environment names. Those variables are taken out of it here and reach the task through env, after the
     * privilege drop.
     */
    private static Map<String, String> loaderVariables(Map<String, String> environment, Optional<HostUser> user) {
        Map<String, String> loaderVariables = new TreeMap<>();
        if (user.isPresent()) {
            environment.keySet().stream().filter(HostProcessLauncher::isLoaderVariable).toList()
                    .forEach(name -> loaderVariables.put(name, environment.remove(name)));
        }
        return loaderVariables;
    }

    /** The task's environment as at its start (after a recovery: as the agent gives it now). */
    private static Map<String, String> taskEnvironment(TaskLaunch launch, SocketMount mount) {
        Map<String, String> environment = new HashMap<>(launch.environmentWith(mount));
        environment.putIfAbsent("PATH", Executables.DEFAULT_PATH);
        return environment;
    }

    /**
     * A real privilege drop: setresgid, setgroups (the user's groups from NSS), setresuid, then exec.
     * {@code --no-new-privs}: a setuid binary the task runs cannot get root back.
     */
    private static List<String> privilegeDrop(Optional<HostUser> user, Optional<Path> setpriv) {
        if (user.isEmpty()) {
            return List.of();
        }
        HostUser u = user.get();
        return List.of(setpriv.orElseThrow().toString(), "--reuid=" + u.uid(), "--regid=" + u.gid(),
                "--init-groups", "--no-new-privs", "--");
    }

    /** How an operator's command runs in this task: as the task, where the task runs, with its environment. */
    private HostExec exec(Optional<HostUser> user, Optional<Path> setpriv, Path taskDir,
                          Map<String, String> environment, Map<String, String> loaderVariables)
            throws TaskDriverException {
        Map<String, String> commandEnvironment = new HashMap<>(environment);
        Map<String, String> loader = new TreeMap<>(loaderVariables);
        loader.putAll(loaderVariables(commandEnvironment, user));
        List<String> env = new ArrayList<>(List.of(tool("env", "a command cannot be run in the task").toString()));
        loader.forEach((name, value) -> env.add(name + "=" + value));
        return new HostExec(privilegeDrop(user, setpriv), env, taskDir, commandEnvironment,
                optionalTool("script"), optionalTool("stty"), tool("setsid", "a command cannot be run in the task"));
    }

    private Optional<Path> optionalTool(String name) {
        try {
            return Optional.of(tool(name, "unused"));
        } catch (TaskDriverException e) {
            return Optional.empty();
        }
    }

    private Path tool(String name, String consequence) throws TaskDriverException {
        // The agent's PATH, not the task's: these run before the privilege drop.
        String agentPath = System.getenv().getOrDefault("PATH", Executables.DEFAULT_PATH) + ":"
                + Executables.DEFAULT_PATH;
        return Executables.find(name, Path.of("/"), agentPath).orElseThrow(() -> new TaskDriverException(
                "driver " + driver + ": " + name + " is not installed, so " + consequence));
    }
}
