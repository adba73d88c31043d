package io.taskapi.examples.driver;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskDriverException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A task's {@code config} block read strictly for one driver: a key the driver does not know is an error, as in
 * Nomad (where each driver's schema rejects unknown keys), so that a typo such as {@code comand} fails the start
 * instead of running something else.
 *
 * <p>Messages name keys and types, never values: the agent interpolates {@code ${NOMAD_TOKEN}} into config values.
 */
public final class DriverConfig {
    private final String driver;
    private final Map<String, Object> values;

    private DriverConfig(String driver, Map<String, Object> values) {
        this.driver = driver;
        this.values = values;
    }

    /**
     * @param driver the driver's name, for messages
     * @param config the task's {@code config} block
     * @param knownKeys every key this driver reads
     * @return the config
     * @throws TaskDriverException when the block has a key the driver does not know
     */
    public static DriverConfig of(String driver, Map<String, Object> config, Set<String> knownKeys)
            throws TaskDriverException {
        requireNonNull(driver, "driver is null");
        requireNonNull(config, "config is null");
        requireNonNull(knownKeys, "knownKeys is null");
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(knownKeys);
        if (!unknown.isEmpty()) {
            throw new TaskDriverException("driver " + driver + ": unknown config key(s) " + unknown
                    + "; this driver reads " + new TreeSet<>(knownKeys));
        }
        return new DriverConfig(driver, Map.copyOf(config));
    }

    /**
     * @param key the setting
     * @return its value
     * @throws TaskDriverException when it is missing, blank or not a string
     */
    public String requiredString(String key) throws TaskDriverException {
        return optionalString(key).orElseThrow(() -> new TaskDriverException("driver " + driver + ": config."
                + key + " is required"));
    }

    /**
     * @param key the setting
     * @return its value when set
     * @throws TaskDriverException when it is set but blank or not a string
     */
    public Optional<String> optionalString(String key) throws TaskDriverException {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String)) {
            throw new TaskDriverException("driver " + driver + ": config." + key + " must be a string, not "
                    + typeName(value));
        }
        String text = (String) value;
        if (text.isBlank()) {
            throw new TaskDriverException("driver " + driver + ": config." + key + " is blank");
        }
        return Optional.of(text);
    }

    /**
     * @param key the setting
     * @return its elements (strings, numbers and booleans as text), or an empty list when it is not set
     * @throws TaskDriverException when it is not a list, or holds a list, a map or a null
     */
    public List<String> strings(String key) throws TaskDriverException {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?>)) {
            throw new TaskDriverException("driver " + driver + ": config." + key + " must be a list, not "
                    + typeName(value));
        }
        List<?> list = (List<?>) value;
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            if (!(element instanceof String || element instanceof Number || element instanceof Boolean)) {
                throw new TaskDriverException("driver " + driver + ": config." + key + "[" + i
                        + "] must be a string, not " + typeName(element));
            }
        }
        return list.stream().map(String::valueOf).toList();
    }

    /**
     * @param key the setting
     * @return whether it is present
     */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    private static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        // Keys only: values may hold an interpolated token.
        return "DriverConfig[" + driver + ", keys=" + new TreeSet<>(values.keySet()) + "]";
    }
}
