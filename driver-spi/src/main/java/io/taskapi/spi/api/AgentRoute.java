package io.taskapi.spi.api;

/**
 * A route an agent adds to the Task API, passed in {@link io.taskapi.spi.AgentContext#routes()}.
 *
 * <p>The path may hold {@code :name} segments and a last {@code *name} segment (the rest of the path); their values
 * arrive in {@link AgentRequest#params()}. A route must not clash with one of the plugin's own.
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
     * @param request an authenticated, authorized request
     * @return the answer
     * @throws AgentRouteException for an error answer ({@code {"errors":[...]}} with its status)
     */
    AgentResponse handle(AgentRequest request) throws AgentRouteException;
}
