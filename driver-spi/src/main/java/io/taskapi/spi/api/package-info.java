/**
 * Routes an agent adds to the Task API (its jobs and allocations, say). The plugin serves them on every listener
 * behind the same authentication, authorization, limits, errors and audit as its own routes; an agent route only
 * sees callers that passed all of that. A route that shows objects of several namespaces leaves out those the caller
 * may not read, as Nomad does, by asking {@link io.taskapi.spi.api.AgentRequest#access()}.
 *
 * <p><b>Query metadata.</b> The plugin sets Nomad's {@code X-Nomad-Index} on every answer of an agent route, and
 * {@code X-Nomad-KnownLeader}/{@code X-Nomad-LastContact} on its {@code GET} answers, as on its own routes. The index
 * is the plugin's index of the agent's part of the state, which moves on every successful write through an agent
 * route and every allocation that ends ({@link io.taskapi.spi.state.AllocationRegistry#onAllocationEnded}). An
 * agent that keeps an index of its own (a Raft index, a job's modify index) puts it in its answer as the
 * {@code X-Nomad-Index} header of {@link AgentResponse#headers()}; the plugin sends that instead (it must be an
 * unsigned integer). Agent routes do not block on {@code ?index=}: they answer at once, as their state can change
 * without the plugin hearing of it.
 */
package io.taskapi.spi.api;
