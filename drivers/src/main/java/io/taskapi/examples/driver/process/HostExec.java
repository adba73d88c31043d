package io.taskapi.examples.driver.process;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import io.taskapi.spi.driver.TaskDriverException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * An operator's command in a host task's context ({@code alloc exec}): the task's user (the same {@code setpriv}
 * drop as the task), its directory as the working directory, exactly its environment (its {@code NOMAD_TOKEN} only if
 * the task has one), the program looked up in the task's {@code PATH} by {@code env}. With a terminal, util-linux's
 * {@code script} gives the command a pseudo-terminal (Java cannot open one), and a resize sets the terminal's size
 * with {@code stty}, which also signals the command ({@code SIGWINCH}).
 *
 * @param privilegeDrop what comes before the command to become the task's user (empty: the agent's user)
 * @param env {@code env}, with the loader variables the task gets after the drop
 * @param taskDir the working directory
 * @param environment the task's environment (never logged: it may hold the task's token)
 * @param script util-linux's {@code script}, for a terminal
 * @param stty {@code stty}, for a terminal's size
 * @param setsid util-linux's {@code setsid}: the command leads a session of its own, so that what it leaves running in
 *     the background (reparented to init, no longer its descendant) is still found and killed with it
 */
record HostExec(List<String> privilegeDrop, List<String> env, Path taskDir, Map<String, String> environment,
                Optional<Path> script, Optional<Path> stty, Path setsid) {
    HostExec {
        privilegeDrop = List.copyOf(privilegeDrop);
        env = List.copyOf(env);
        requireNonNull(taskDir, "taskDir is null");
        environment = Map.copyOf(environment);
        requireNonNull(script, "script is null");
        requireNonNull(stty, "stty is null");
        requireNonNull(setsid, "setsid is null");
    }

    ExecProcess start(ExecCommand command) throws TaskDriverException {
        if (command.argv().get(0).indexOf('=') >= 0) {
            throw new TaskDriverException("a program name with '=' cannot be run in a task");
        }
        List<String> inTask = new ArrayList<>(privilegeDrop);
        inTask.addAll(env);
        inTask.addAll(command.argv());
        // script gives its child a session of its own (the terminal's); without one, setsid does.
        List<String> argv = new ArrayList<>(List.of(setsid.toString()));
        argv.addAll(inTask);
        if (command.tty()) {
            if (script.isEmpty() || stty.isEmpty()) {
                throw new TaskDriverException("this host has no util-linux script and stty: a command cannot get a"
                        + " terminal here; run it without one");
            }
            // -q quiet, -f flush at once, -e the command's exit code, -c the command (through sh, so quoted).
            argv = List.of(script.get().toString(), "-qfec", shellQuoted(inTask), "/dev/null");
        }
        ProcessBuilder builder = new ProcessBuilder(argv).directory(taskDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        if (command.tty()) {
            builder.environment().putIfAbsent("TERM", "xterm");
            builder.redirectErrorStream(true);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // The message names the program and errno, never the environment.
            throw new TaskDriverException("cannot start " + command.argv().get(0) + ": " + e.getMessage(), e);
        }
        long start = ProcStat.read(process.pid()).map(ProcStat::startTicks).orElse(0L);
        return new HostExecProcess(process, start, command.tty() ? stty : Optional.empty());
    }

    private static String shellQuoted(List<String> words) {
        StringBuilder quoted = new StringBuilder("exec");
        for (String word : words) {
            quoted.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        return quoted.toString();
    }

    /** The command's process; with a terminal, {@code script}'s. */
    private record HostExecProcess(Process process, long startTicks, Optional<Path> stty) implements ExecProcess {
        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return process.getErrorStream();
        }

        @Override
        public void resize(int height, int width) {
            if (stty.isEmpty() || height <= 0 || width <= 0) {
                return;
            }
            // The terminal script opened is its child's standard input.
            Optional<Path> terminal = process.children().findFirst().flatMap(child -> {
                try {
                    return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(child.pid()), "fd",
                            "0")));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }).filter(path -> path.toString().startsWith("/dev/pts/"));
            if (terminal.isEmpty()) {
                return;
            }
            try {
                Process resize = new ProcessBuilder(stty.get().toString(), "-F", terminal.get().toString(), "rows",
                        Integer.toString(height), "cols", Integer.toString(width)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                resize.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // The command has ended meanwhile: nothing to resize.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public CompletionStage<Integer> exitCode() {
            return process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public void kill() {
            List<ProcessHandle> descendants = process.descendants().toList();
            // The command's session, and the terminal's that script made: members that left the tree are in them.
            Set<Long> sessions = new HashSet<>(Set.of(process.pid()));
            descendants.forEach(child -> ProcStat.read(child.pid()).filter(stat -> stat.session() == stat.pid())
                    .ifPresent(stat -> sessions.add(stat.session())));
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            // A session id is not reused while a member lives; the start filters out a later one with that pid.
            for (ProcStat member : ProcStat.all()) {
                if (sessions.contains(member.session()) && member.isRunning() && member.startTicks() >= startTicks) {
                    ProcessHandle.of(member.pid()).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }
}
