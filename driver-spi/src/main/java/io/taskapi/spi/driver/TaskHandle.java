package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a driver needs to find a running task again after the agent restarts (Nomad's {@code TaskHandle}): the agent
 * stores it, durably, before it reports the task running, and gives it back to
 * {@link TaskDriver#recover(TaskLaunch, TaskHandle)}.
 *
 * <p>The state is the driver's own, as strings: a container id, a supervisor's pid and start time, a file. The agent
 * stores it as it is and may show it to operators, so it must never hold a secret.
 */
public final class TaskHandle {
    private final String driver;
    private final int version;
    private final Map<String, String> state;

    private TaskHandle(String driver, int version, Map<String, String> state) {
        this.driver = driver;
        this.version = version;
        this.state = state;
    }

    /**
     * @param driver the driver's {@link TaskDriver#name()}
     * @param version the format of {@code state}, so a newer driver can read (or refuse) an older handle
     * @param state the driver's state for the task; never a secret
     * @return the handle
     */
    public static TaskHandle of(String driver, int version, Map<String, String> state) {
        requireNonNull(driver, "driver is null");
        requireNonNull(state, "state is null");
        if (driver.isBlank()) {
            throw new IllegalArgumentException("driver is blank");
        }
        return new TaskHandle(driver, version, Map.copyOf(state));
    }

    /** @return the driver that made it */
    public String driver() {
        return driver;
    }

    /** @return the format of {@link #state()} */
    public int version() {
        return version;
    }

    /** @return the driver's state */
    public Map<String, String> state() {
        return state;
    }

    /**
     * @param key a key the driver put in its state
     * @return its value
     * @throws TaskDriverException when the handle has no such key (a handle from another driver or version)
     */
    public String require(String key) throws TaskDriverException {
        String value = state.get(requireNonNull(key, "key is null"));
        if (value == null) {
            throw new TaskDriverException("driver " + driver + ": the task's handle (version " + version
                    + ") has no '" + key + "'");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskHandle other && driver.equals(other.driver) && version == other.version
                && state.equals(other.state);
    }

    @Override
    public int hashCode() {
        return (driver.hashCode() * 31 + version) * 31 + state.hashCode();
    }

    @Override
    public String toString() {
        return "TaskHandle[" + driver + " v" + version + ", " + new TreeMap<>(state) + "]";
    }
}
