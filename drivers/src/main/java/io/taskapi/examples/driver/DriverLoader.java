package io.taskapi.examples.driver;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskDriver;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds task drivers with {@link ServiceLoader}: those on the class path, and those in the jars of a plugins
 * directory, each jar shipping {@code META-INF/services/io.taskapi.spi.driver.TaskDriver}.
 *
 * <p>The jars get one class loader whose parent is the agent's, so the SPI types ({@link TaskDriver},
 * {@code TaskLaunch}, …) are the agent's own: a driver compiled against {@code taskapi-driver-spi} (scope
 * {@code provided}) works unchanged. That loader stays open as long as the drivers live.
 *
 * <pre>{@code
 * Map<String, TaskDriver> drivers = DriverLoader.load(Path.of("/opt/taskapi/plugins"));
 * TaskDriver exec = drivers.get("exec");
 * }</pre>
 */
public final class DriverLoader {
    private DriverLoader() {}

    /**
     * @return the drivers on the class path, by name
     * @throws IllegalStateException when two have the same name, or one cannot be instantiated
     */
    public static Map<String, TaskDriver> load() {
        return load(DriverLoader.class.getClassLoader());
    }

    /**
     * @param pluginsDir a directory of driver jars ({@code *.jar}, not searched recursively); a missing directory
     *     has none
     * @return the drivers on the class path and in those jars, by name
     * @throws IOException when the directory cannot be listed or is not a directory
     * @throws IllegalStateException when two drivers have the same name, or one cannot be instantiated
     */
    public static Map<String, TaskDriver> load(Path pluginsDir) throws IOException {
        requireNonNull(pluginsDir, "pluginsDir is null");
        if (!Files.exists(pluginsDir)) {
            return load();
        }
        if (!Files.isDirectory(pluginsDir)) {
            throw new NotDirectoryException(pluginsDir.toString());
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> entries = Files.list(pluginsDir)) {
            for (Path jar : entries.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(Files::isRegularFile).sorted().toList()) {
                jars.add(toUrl(jar));
            }
        }
        if (jars.isEmpty()) {
            return load();
        }
        ClassLoader loader = new URLClassLoader("taskapi-driver-plugins", jars.toArray(URL[]::new),
                DriverLoader.class.getClassLoader());
        return load(loader);
    }

    /**
     * @param loader where to look (with its parents)
     * @return the drivers it finds, by name
     * @throws IllegalStateException when two have the same name, or one cannot be instantiated
     */
    public static Map<String, TaskDriver> load(ClassLoader loader) {
        requireNonNull(loader, "loader is null");
        Map<String, TaskDriver> drivers = new TreeMap<>();
        try {
            for (TaskDriver driver : ServiceLoader.load(TaskDriver.class, loader)) {
                TaskDriver previous = drivers.putIfAbsent(driver.name(), driver);
                if (previous != null) {
                    // Which one would win would depend on jar order: refuse instead.
                    throw new IllegalStateException("two task drivers are named '" + driver.name() + "': "
                            + describe(previous) + " and " + describe(driver));
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a task driver: " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(drivers);
    }

    private static String describe(TaskDriver driver) {
        CodeSource source = driver.getClass().getProtectionDomain().getCodeSource();
        return driver.getClass().getName() + (source == null ? "" : " (" + source.getLocation() + ")");
    }

    private static URL toUrl(Path jar) throws IOException {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IOException("cannot make a URL of " + jar, e);
        }
    }
}
