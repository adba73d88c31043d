package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One task of a group, as the job file declares it (templates such as {@code ${NOMAD_SECRETS_DIR}} not yet
 * interpolated: that happens when the task starts, against its own environment).
 *
 * @param name the task's name, unique in its group
 * @param driver the driver that runs it, for example {@code exec}
 * @param config the driver's settings: strings, numbers ({@link Long} or {@link java.math.BigDecimal}), booleans,
 *     lists and maps, in source order
 * @param env the task's own environment variables
 * @param user the host user to run as, if set
 * @param identity how the default workload identity is delivered
 * @param restart the task's effective restart policy: its own {@code restart} block over its group's, over the job
 *     type's defaults (as Nomad merges them)
 */
public record TaskSpec(String name, String driver, Map<String, Object> config, Map<String, String> env,
                       Optional<String> user, IdentitySpec identity, RestartPolicy restart) {
    /** Copies the maps (keeping their order) and checks that nothing is missing. */
    public TaskSpec {
        requireNonNull(name, "name is null");
        requireNonNull(driver, "driver is null");
        config = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(config, "config is null")));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(env, "env is null")));
        requireNonNull(user, "user is null");
        requireNonNull(identity, "identity is null");
        requireNonNull(restart, "restart is null");
    }
}
