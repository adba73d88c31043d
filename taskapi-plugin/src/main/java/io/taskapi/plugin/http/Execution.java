package io.taskapi.plugin.http;

/**
 * How a request runs. A request that cannot block is served on the I/O thread that read it, with no thread
 * hand-off; the others run on the worker pool, at most {@code socket.max-in-flight} of one task socket at a time,
 * after their body (if they read one) has arrived, holding no thread. Every {@link Route} states it: a wrong
 * {@link #IN_MEMORY} stalls every task socket, so there is no default.
 */
public enum Execution {
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
