package io.taskapi.examples.driver.java;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.driver.DriverConfig;
import io.taskapi.examples.driver.process.HostProcessLauncher;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.driver.TaskLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code driver = "java"}: runs a JVM, by default the agent's own ({@code java.home}).
 *
 * <pre>
 * config {
 *   jar_path    = "local/app.jar"          # either this (java -jar) ...
 *   class       = "com.example.Main"       # ... or this, with
 *   class_path  = "local/classes:lib/x.jar"  #   an optional class path
 *   jvm_options = ["-Xmx64m"]              # optional, before the jar or class
 *   args        = ["--port", "8080"]       # optional, after it
 * }
 * </pre>
 *
 * <p>Relative paths are relative to the task directory, the JVM's working directory. Everything else (user,
 * environment, logs, stop, the socket and its {@link FilesystemIsolation#NONE} isolation) is as for {@code exec}: see
 * {@link HostProcessLauncher}. Nomad's java driver chroots on Linux; this one does not. The JVM runs under a supervisor
 * process and is recovered after an agent restart as an {@code exec} task is.
 */
public final class JavaDriver implements TaskDriver {
    /** The driver's name. */
    public static final String NAME = "java";
    /** The config keys this driver reads. */
    public static final Set<String> CONFIG_KEYS = Set.of("jar_path", "class", "class_path", "jvm_options", "args");

    private final Path javaHome;
    private final HostProcessLauncher launcher;

    /** The driver as the agent finds it with {@link java.util.ServiceLoader}: tasks run on the agent's JVM. */
    public JavaDriver() {
        this(Path.of(System.getProperty("java.home")));
    }

    /** @param javaHome the JDK or JRE whose {@code bin/java} runs tasks */
    public JavaDriver(Path javaHome) {
        this.javaHome = requireNonNull(javaHome, "javaHome is null").toAbsolutePath();
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
        Optional<String> jar = config.optionalString("jar_path");
        Optional<String> mainClass = config.optionalString("class");
        Optional<String> classPath = config.optionalString("class_path");
        if (jar.isPresent() == mainClass.isPresent()) {
            throw new TaskDriverException("driver " + NAME + ": set exactly one of config.jar_path and config.class");
        }
        if (jar.isPresent() && classPath.isPresent()) {
            // java ignores -cp next to -jar: refuse rather than run with a class path the job did not get.
            throw new TaskDriverException("driver " + NAME + ": config.class_path has no effect with config.jar_path;"
                    + " put the class path in the jar's manifest, or use config.class");
        }
        Path java = javaHome.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new TaskDriverException("driver " + NAME + ": no java executable at " + java);
        }
        if (jar.isPresent() && !Files.isRegularFile(launch.taskDir().resolve(jar.get()))) {
            throw new TaskDriverException("driver " + NAME + ": config.jar_path " + jar.get()
                    + " is not a file (relative paths start at the task directory)");
        }

        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.addAll(config.strings("jvm_options"));
        if (jar.isPresent()) {
            argv.add("-jar");
            argv.add(jar.get());
        } else {
            classPath.ifPresent(cp -> {
                argv.add("-cp");
                argv.add(cp);
            });
            argv.add(mainClass.get());
        }
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
        return "JavaDriver[" + javaHome + "]";
    }
}
