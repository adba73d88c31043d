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
     * How this request runs. A request that cannot block is served on the I/O thread that read it, with no thread
     * hand-off; the others run on the worker pool, at most {@code socket.max-in-flight} of one task socket at a time,
     * after their body (if they read one) has arrived, holding no thread. Every route answers this itself: a wrong
     * {@link Execution#IN_MEMORY} stalls every task socket, so there is no default.
     *
     * @param request the authenticated, authorized request
     * @return how {@link #handle} runs for it
     */
    Execution execution(ApiRequest request);

    /** How a route's {@link #handle} runs. */
    enum Execution {
        /** Answers from memory and never blocks: runs on the I/O thread. */
        IN_MEMORY(false, false),
        /** May block (a store that may do disk or network I/O, CPU work without a small bound): runs on a worker. */
        BLOCKING(true, false),
        /**
         * Reads the request body, then may block: the body is read as it arrives, within {@code http.max-body-bytes},
         * {@code http.request-body-timeout} and {@code http.min-body-rate}, then the route runs on a worker. Routes
         * that do not read one never make the server wait for a body.
         */
        BLOCKING_WITH_BODY(true, true);

        private final boolean mayBlock;
        private final boolean readsBody;

        Execution(boolean mayBlock, boolean readsBody) {
            this.mayBlock = mayBlock;
            this.readsBody = readsBody;
        }

        /** @return whether the route may block its thread */
        public boolean mayBlock() {
            return mayBlock;
        }

        /** @return whether the route reads {@link ApiRequest#body} */
        public boolean readsBody() {
            return readsBody;
        }
    }

    /**
     * @param request the authenticated request
     * @return the body to send with 200, serialized as JSON, or an {@link ApiResponse} for anything else
     * @throws ApiException for an answer with an error status
     * @throws StateUnavailableException when state the route needs cannot be read (503)
     */
    Object handle(ApiRequest request) throws ApiException, StateUnavailableException;
}
