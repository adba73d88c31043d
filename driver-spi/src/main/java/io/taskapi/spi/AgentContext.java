package io.taskapi.spi;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.api.AgentRoute;
import java.util.List;
import java.util.Map;

/**
 * What an agent hands the plugin when it starts it.
 *
 * @param config plain string settings, for example {@code identity.audience=nomadproject.io}; unknown keys are
 *     rejected so that a typo never silently weakens security
 * @param state the agent-side state the plugin reads through
 * @param routes routes the agent adds to the API (its jobs, say), served behind the same checks as the plugin's
 */
public record AgentContext(Map<String, String> config, AgentState state, List<AgentRoute> routes) {
    /**
     * Copies the configuration and checks that nothing is missing.
     *
     * @param config see the record component of that name
     * @param state see the record component of that name
     * @param routes see the record component of that name
     */
    public AgentContext {
        config = Map.copyOf(requireNonNull(config, "config is null"));
        requireNonNull(state, "state is null");
        routes = List.copyOf(requireNonNull(routes, "routes is null"));
    }

    /**
     * A context without agent routes.
     *
     * @param config plain string settings
     * @param state the agent-side state
     */
    public AgentContext(Map<String, String> config, AgentState state) {
        this(config, state, List.of());
    }
}
