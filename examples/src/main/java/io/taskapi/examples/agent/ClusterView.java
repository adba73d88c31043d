package io.taskapi.examples.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.List;

/**
 * What the other agents of a cluster show of their jobs and allocations, so that this agent's list routes answer for
 * the whole cluster. Each job stays on the agent it was submitted to: only the lists are shared.
 */
interface ClusterView {
    /** A single agent: nothing to add. */
    ClusterView NONE = new ClusterView() {
        @Override
        public List<JsonNode> jobs() {
            return List.of();
        }

        @Override
        public List<JsonNode> allocations() {
            return List.of();
        }
    };

    /**
     * @return the other agents' jobs, as {@code /v1/jobs} lists them
     * @throws StateUnavailableException when the cluster's state cannot be trusted now
     */
    List<JsonNode> jobs() throws StateUnavailableException;

    /**
     * @return the other agents' allocations, as {@code /v1/allocations} lists them
     * @throws StateUnavailableException when the cluster's state cannot be trusted now
     */
    List<JsonNode> allocations() throws StateUnavailableException;
}
