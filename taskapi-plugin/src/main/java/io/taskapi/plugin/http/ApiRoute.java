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
     * Whether serving this request may block its thread: a call to a store that may do disk or network I/O, or CPU
     * work without a small bound. A request that may not block is served on the I/O thread that read it, with no
     * thread hand-off; the others run on the worker pool, at most {@code socket.max-in-flight} of one task socket at
     * a time. Every route answers this itself: a wrong {@code false} stalls every task socket, so there is no
     * default.
     *
     * @param request the authenticated, authorized request
     * @return whether {@link #handle} may block
     */
    boolean mayBlock(ApiRequest request);

    /**
     * Whether the route reads the request body. If it does, the body is read before {@link #handle} runs, as it
     * arrives, holding no thread, within {@code http.max-body-bytes}, {@code http.request-body-timeout} and
     * {@code http.min-body-rate}; a route that does not never makes the server wait for one.
     *
     * @return whether {@link ApiRequest#body} is needed
     */
    boolean readsBody();

    /**
     * @param request the authenticated request
     * @return the body to send with 200, serialized as JSON, or an {@link ApiResponse} for anything else
     * @throws ApiException for an answer with an error status
     * @throws StateUnavailableException when state the route needs cannot be read (503)
     */
    Object handle(ApiRequest request) throws ApiException, StateUnavailableException;
}
