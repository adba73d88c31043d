package io.taskapi.plugin.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the embedded store lives ({@code state.data-dir}).
 *
 * @param dataDir where the embedded store keeps what the agent does not store itself, if anywhere
 */
public record StateConfig(Optional<Path> dataDir) {
    /**
     * Checks that nothing is missing.
     *
     * @param dataDir see the record component of that name
     */
    public StateConfig {
        requireNonNull(dataDir, "dataDir is null");
    }

    static StateConfig read(Settings settings) {
        Optional<String> text = settings.optional(TaskApiConfig.STATE_DATA_DIR);
        Optional<Path> dataDir = Optional.empty();
        if (text.isPresent()) {
            try {
                dataDir = Optional.of(Path.of(text.get()));
            } catch (IllegalArgumentException e) {
                settings.problem(TaskApiConfig.STATE_DATA_DIR, TaskApiConfig.STATE_DATA_DIR + " is not a path: "
                        + e.getMessage());
            }
        }
        settings.check(TaskApiConfig.STATE_DATA_DIR, dataDir.map(Path::isAbsolute).orElse(true),
                TaskApiConfig.STATE_DATA_DIR + " must be an absolute path");
        return new StateConfig(dataDir);
    }
}
