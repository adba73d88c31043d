package io.taskapi.plugin.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent's flat string settings while they are read: every read names its key, and every problem (a bad value, a
 * value out of range, an unknown key) is collected rather than thrown, so that {@link #finish} reports them all at
 * once and an operator fixes a configuration in one round. A read that fails answers its fallback, so reading goes on.
 */
final class Settings {
    private final Map<String, String> values;
    private final Set<String> known = new LinkedHashSet<>();
    // the first problem of each key: a later check of a key that is already wrong would only repeat it
    private final Map<String, String> problems = new LinkedHashMap<>();

    /** @param values the agent's settings */
    Settings(Map<String, String> values) {
        this.values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    /**
     * @param key a setting
     * @return its trimmed value, if it is set
     */
    Optional<String> optional(String key) {
        known.add(key);
        return Optional.ofNullable(values.get(key)).map(String::trim);
    }

    String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
        return choice(key, Map.of("true", true, "false", false), fallback, "true or false");
    }

    int integer(String key, int fallback) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            problem(key, key + " must be a whole number, not '" + values.get(key) + "'");
            return fallback;
        }
    }

    Duration duration(String key, Duration fallback) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Durations.parse(key, value.get());
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return fallback;
        }
    }

    <T> T choice(String key, Map<String, T> choices, T fallback, String expected) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return fallback;
        }
        T chosen = choices.get(value.get());
        if (chosen == null) {
            problem(key, key + " must be " + expected + ", not '" + values.get(key) + "'");
            return fallback;
        }
        return chosen;
    }

    /**
     * Records a problem with a key unless the condition holds, or the key already has one.
     *
     * @param key the setting the message is about
     * @param condition what must hold
     * @param message what is wrong, naming the key
     */
    void check(String key, boolean condition, String message) {
        if (!condition) {
            problem(key, message);
        }
    }

    /**
     * @param key a setting
     * @return whether a problem was recorded for it (checks that depend on it are then skipped)
     */
    boolean hasProblem(String key) {
        return problems.containsKey(key);
    }

    void problem(String key, String message) {
        problems.putIfAbsent(key, message);
    }

    /**
     * Ends the reading.
     *
     * @throws IllegalArgumentException naming every key with a problem and every unknown key, when there is any
     */
    void finish() {
        List<String> all = new ArrayList<>(problems.values());
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            all.add("unknown Task API settings " + unknown + "; known settings are " + known);
        }
        if (all.size() == 1) {
            throw new IllegalArgumentException(all.get(0));
        }
        if (!all.isEmpty()) {
            throw new IllegalArgumentException(all.size() + " problems in the Task API settings: "
                    + String.join("; ", all));
        }
    }
}
