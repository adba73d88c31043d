package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskDriverException;
import io.taskapi.examples.driver.DriverLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The task drivers an agent runs tasks with, by the name job files give in {@code driver = "…"}: those on the class
 * path and those in a plugin directory's jars, found with {@link java.util.ServiceLoader}.
 */
public final class DriverCatalog {
    private final Map<String, TaskDriver> drivers;

    private DriverCatalog(Map<String, TaskDriver> drivers) {
        this.drivers = Collections.unmodifiableMap(drivers);
    }

    /**
     * @param pluginDir a directory of third-party driver jars (a missing one has none)
     * @return the drivers on the class path and in those jars, each under its name
     * @throws IOException when the directory cannot be read
     * @throws IllegalStateException when two drivers claim the same name
     */
    public static DriverCatalog load(Path pluginDir) throws IOException {
        return of(new ArrayList<>(DriverLoader.load(pluginDir).values()));
    }

    /**
     * @param drivers some drivers
     * @return a catalog of exactly these
     * @throws IllegalStateException when two drivers claim the same name
     */
    public static DriverCatalog of(List<TaskDriver> drivers) {
        Map<String, TaskDriver> byName = new TreeMap<>();
        for (TaskDriver driver : drivers) {
            TaskDriver other = byName.putIfAbsent(requireNonNull(driver.name(), "driver name is null"), driver);
            if (other != null) {
                throw new IllegalStateException("two drivers are named \"" + driver.name() + "\": "
                        + other.getClass().getName() + " and " + driver.getClass().getName());
            }
        }
        return new DriverCatalog(byName);
    }

    /**
     * @param extra drivers to add (a test's fake, say)
     * @return this catalog with them
     */
    public DriverCatalog with(List<TaskDriver> extra) {
        List<TaskDriver> all = new ArrayList<>(drivers.values());
        all.addAll(extra);
        return of(all);
    }

    /**
     * @param name a driver name
     * @return the driver
     */
    public Optional<TaskDriver> find(String name) {
        return Optional.ofNullable(drivers.get(name));
    }

    /**
     * Hands each driver its operator configuration ({@code plugin "NAME" { config { … } }}).
     *
     * @param config each driver's block, by driver name
     * @throws IllegalArgumentException naming every block for a driver that is not loaded and every block its driver
     *     refused, with the driver's reason
     */
    public void configure(Map<String, Map<String, Object>> config) {
        List<String> problems = new ArrayList<>();
        config.forEach((name, block) -> {
            TaskDriver driver = drivers.get(name);
            if (driver == null) {
                problems.add("plugin \"" + name + "\": no such driver here (loaded: " + names() + ")");
                return;
            }
            try {
                driver.configure(block);
            } catch (TaskDriverException e) {
                problems.add("plugin \"" + name + "\": " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** @return the driver names, sorted */
    public List<String> names() {
        return List.copyOf(drivers.keySet());
    }
}
