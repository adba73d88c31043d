package io.taskapi.examples.driver.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does, but on a PATH the caller chooses. */
public final class Executables {
    /**
     * The PATH a task gets when its environment has none: Nomad's executor default. The agent's own PATH is not used,
     * since the agent's environment is not the task's.
     */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private Executables() {}

    /**
     * @param command a program name ({@code curl}), a path relative to {@code baseDir} ({@code local/run.sh}) or an
     *     absolute path
     * @param baseDir where relative paths start: the task directory, the task's working directory
     * @param path the PATH to search a bare name on
     * @return the program's absolute path, when it exists and is executable (by this process)
     */
    public static Optional<Path> find(String command, Path baseDir, String path) {
        if (command.isEmpty()) {
            return Optional.empty();
        }
        if (command.indexOf('/') >= 0) {
            Path candidate = baseDir.resolve(command).normalize();
            return isExecutableFile(candidate) ? Optional.of(candidate) : Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty() || !dir.startsWith("/")) {
                // A relative PATH entry would depend on the working directory: skip it, as a safe shell does.
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (isExecutableFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutableFile(Path candidate) {
        return Files.isRegularFile(candidate) && Files.isExecutable(candidate);
    }
}
