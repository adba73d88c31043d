/**
 * Routes an agent adds to the Task API (its jobs and allocations, say). The plugin serves them on every listener
 * behind the same authentication, authorization, limits, errors and audit as its own routes; an agent route only
 * sees callers that passed all of that. A route that shows objects of several namespaces leaves out those the caller
 * may not read, as Nomad does, by asking {@link io.taskapi.spi.api.AgentRequest#access()}.
 *
 * <p><b>Query metadata.</b> The plugin sets Nomad's {@code X-Nomad-Index} on every answer of an agent route, and
 * {@code X-Nomad-KnownLeader}/{@code X-Nomad-LastContact} on its {@code GET} answers, as on its own routes. The index
 * is the agent's own {@link AgentStateIndex} when it gave one ({@link io.taskapi.spi.AgentContext.Builder#stateIndex},
 * since SPI 1.2); without one, the plugin's index of the agent's part of the state, which moves on every successful
 * write through an agent route and every allocation that ends
 * ({@link io.taskapi.spi.state.AllocationRegistry#onAllocationEnded}). A route that puts an index of its own in its
 * answer (a job's modify index) as the {@code X-Nomad-Index} header of {@link AgentResponse#headers()} has the plugin
 * send that instead (it must be an unsigned integer).
 *
 * <p><b>Blocking queries.</b> A {@code GET} route whose {@link AgentRoute#blocks()} is true, in a context with a
 * state index, holds {@code ?index=N} as the plugin's own routes do: until the answer's index passes {@code N} (it
 * runs again after each change the agent reports) or {@code ?wait=} is over (default 5 minutes, at most 10, plus up
 * to a sixteenth of jitter). The other routes answer at once: their state may change without the plugin hearing of
 * it.
 */
package io.taskapi.spi.api;
