package io.taskapi.plugin.config;

/**
 * What the hosting agent tells the plugin about itself ({@code agent.*}), for the answers Nomad's agent routes give.
 *
 * @param region the agent's region ({@code agent.region}, default {@code global}), shown by {@code /v1/agent/self},
 *     {@code /v1/regions} and {@code /v1/agent/members}
 */
public record AgentConfig(String region) {
    static AgentConfig read(Settings settings) {
        String region = settings.string(TaskApiConfig.AGENT_REGION, "global");
        settings.check(TaskApiConfig.AGENT_REGION, !region.isBlank(), "must not be empty");
        return new AgentConfig(region);
    }
}
