package io.taskapi.plugin.http;

import io.taskapi.plugin.authz.Permission;
import io.taskapi.spi.state.StateUnavailableException;

/**
 * One API route. Routes are a Guice multibinder set; each says what it answers and how, and the handler in front of
 * them has already authenticated the caller.
 */
public interface ApiRoute {
    /** @return the HTTP method, upper case */
    String method();

    /** @return the exact path, for example {@code /v1/agent/health} */
    String path();

    /** @return what the caller's policies must allow; checked before {@code ?help=1} and before the route runs */
    Permission permission();

    /** @return what {@code ?help=1} answers: one or two sentences on what the route does and needs */
    String help();

    /**
     * @param request the authenticated request
     * @return the body to send with 200, serialized as JSON, or an {@link ApiResponse} for anything else
     * @throws ApiException for an answer with an error status
     * @throws StateUnavailableException when state the route needs cannot be read (503)
     */
    Object handle(ApiRequest request) throws ApiException, StateUnavailableException;
}
