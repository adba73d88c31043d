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
     * Gives each driver the operator's {@code plugin "NAME" { config { ... } }} block ({@link TaskDriver#configure});
     * called once, before the agent fingerprints the drivers.
     *
     * @param pluginConfigs each block by driver name
     * @throws TaskDriverException when a block names no loaded driver, or its driver refuses it
     */
    public void configure(Map<String, Map<String, Object>> pluginConfigs) throws TaskDriverException {
        for (Map.Entry<String, Map<String, Object>> block : new TreeMap<>(pluginConfigs).entrySet()) {
            TaskDriver driver = find(block.getKey()).orElseThrow(() -> new TaskDriverException("plugin \""
                    + block.getKey() + "\": no such driver on this agent (it has " + names() + ")"));
            driver.configure(block.getValue());
        }
    }

    /**
     * @param name a driver name
     * @return the driver
     */
    public Optional<TaskDriver> find(String name) {
        return Optional.ofNullable(drivers.get(name));
    }

    /** @return the driver names, sorted */
    public List<String> names() {
        return List.copyOf(drivers.keySet());
    }
}
