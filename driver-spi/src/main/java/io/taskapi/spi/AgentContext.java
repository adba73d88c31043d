package io.taskapi.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What an agent hands the plugin when it starts it.
 *
 * @param config plain string settings, for example {@code identity.audience=nomadproject.io}; unknown keys are
 *     rejected so that a typo never silently weakens security
 * @param state the agent-side state the plugin reads through
 */
public record AgentContext(Map<String, String> config, AgentState state) {
    /**
     * Copies the configuration and checks that nothing is missing.
     *
     * @param config see the record component of that name
     * @param state see the record component of that name
     */
    public AgentContext {
        config = Map.copyOf(requireNonNull(config, "config is null"));
        requireNonNull(state, "state is null");
    }
}
