package io.taskapi.examples.driver.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the task back the default SIGINT and SIGQUIT. A shell without job control starts a background command with
 * both ignored (POSIX), the task would inherit that through {@code exec}, and a task that expects them (a JVM's
 * shutdown on SIGINT, nginx's graceful stop on SIGQUIT) would not see them. The task is started through
 * {@code env --default-signal=INT,QUIT} (GNU coreutils 8.31 or later) when the host has it; elsewhere the task keeps
 * them ignored, which the driver's own stop (SIGTERM, then SIGKILL) does not need.
 */
final class DefaultSignals {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSignals.class);
    private static final Optional<Path> ENV = probe();

    private DefaultSignals() {}

    /** @return {@code env}, when it can reset the signals ({@code --default-signal}) */
    static Optional<Path> env() {
        return ENV;
    }

    private static Optional<Path> probe() {
        Optional<Path> env = Executables.find("env", Path.of("/"), Executables.DEFAULT_PATH);
        if (env.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(env.get().toString(), "--default-signal=INT,QUIT", "/bin/sh", "-c",
                    ":").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return env;
            }
            process.destroyForcibly();
        } catch (IOException e) {
            // not usable: as if absent
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("{} has no --default-signal (GNU coreutils 8.31 or later): host tasks start with SIGINT and SIGQUIT"
                + " ignored", env.get());
        return Optional.empty();
    }
}
