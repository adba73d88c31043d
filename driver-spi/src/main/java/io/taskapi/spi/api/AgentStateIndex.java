package io.taskapi.spi.api;

import io.taskapi.spi.state.Subscription;
import java.util.function.LongConsumer;

/**
 * The index of the state an agent's own routes serve (its jobs and allocations), like Nomad's Raft index: a number
 * that only grows and moves on every change a query of those routes would show. Given to the plugin with
 * {@link io.taskapi.spi.AgentContext.Builder#stateIndex}, it lets the routes that {@linkplain AgentRoute#blocks()
 * block} hold a Nomad blocking query ({@code ?index=N&wait=D}) until the agent's state changes. Since SPI 1.2.
 *
 * <p>The contract:
 * <ul>
 *   <li>{@link #index()} is at least 1 (Nomad never answers index 0: a blocking client would spin) and never goes
 *       down, across restarts of the agent too (keep it with the state, or start above every index handed out).</li>
 *   <li>Every change a query of a blocking route would show (a job registered or stopped, an allocation's status or
 *       a task's state or events) raises it, and the change is visible to the routes once the new index is
 *       reported: a query that reads index {@code i} must see every change numbered {@code i} or less.</li>
 *   <li>After each change the agent calls the listeners of {@link #onChange} with the new index (or a later one).
 *       Calls may come from any thread and out of order; the plugin keeps the highest it has heard.</li>
 * </ul>
 *
 * <p>The plugin sends this index as {@code X-Nomad-Index} on every answer of an agent route that does not put one
 * of its own in {@link AgentResponse#headers()}, so that a client's next {@code ?index=} is in the same numbers.
 */
public interface AgentStateIndex {
    /** @return the current index: at least 1, never lower than one reported before */
    long index();

    /**
     * @param listener called with the new index after every change; the plugin's listener is quick, never blocks
     *     and never calls back into the agent (it only records the index and hands waiting queries to its workers),
     *     so the agent may call it while it holds its own locks
     * @return closing it stops the notifications
     */
    Subscription onChange(LongConsumer listener);
}
