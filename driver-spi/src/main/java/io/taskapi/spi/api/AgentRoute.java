package io.taskapi.spi.api;

/**
 * A route an agent adds to the Task API, passed in {@link io.taskapi.spi.AgentContext#routes()}.
 *
 * <p>The path may hold {@code :name} segments and a last {@code *name} segment (the rest of the path); their values
 * arrive in {@link AgentRequest#params()}. A route must not clash with one of the plugin's own.
 *
 * <p>A {@code GET} route that {@link #blocks()} answers Nomad's blocking queries ({@code ?index=N&wait=D}): the
 * plugin holds the request, without a thread, until the agent's {@link AgentStateIndex} passes {@code N} (or the
 * wait is over), then calls {@link #handle} again. Any other route answers at once.
 */
public interface AgentRoute {
    /** @return the HTTP method, upper case */
    String method();

    /** @return the path, for example {@code /v1/job/:id} */
    String path();

    /** @return what the caller's policies must allow */
    AgentPermission permission();

    /** @return what {@code ?help=1} answers */
    String help();

    /**
     * Whether a {@code GET} on this route with {@code ?index=N} waits, as Nomad's blocking queries do, until the
     * agent's state index passes {@code N}. A route that says so must read only state covered by the
     * {@link AgentStateIndex} given with {@link io.taskapi.spi.AgentContext.Builder#stateIndex} (a context with a
     * blocking route and no state index is refused); its {@link #handle} may then run several times for one request.
     * Since SPI 1.2.
     *
     * @return false by default: the route answers at once, with the index, as before SPI 1.2
     */
    default boolean blocks() {
        return false;
    }

    /**
     * @param request an authenticated, authorized request
     * @return the answer
     * @throws AgentRouteException for an error answer ({@code {"errors":[...]}} with its status)
     */
    AgentResponse handle(AgentRequest request) throws AgentRouteException;
}
