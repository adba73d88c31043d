package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

/** A task's socket could not be made as requested. The message says why and never holds a secret. */
public final class SocketUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the socket could not be made. */
    public enum Reason {
        /** The request itself cannot be served, for example its secrets directory is not a directory. */
        INVALID_REQUEST,
        /**
         * The secrets directory, or a directory above it, can be written or renamed by a user other than root (and
         * the agent), so a task could race the socket's placement: the Task API refuses rather than warns.
         */
        UNSAFE_DIRECTORY,
        /** The task user does not exist on this host. */
        UNKNOWN_USER,
        /** The socket could not be given to the task user (the agent is not root, say), and failing closed is set. */
        OWNERSHIP_FAILED,
        /** The file system or the socket layer refused. */
        IO_FAILURE,
        /** The Task API is shutting down or closed. */
        CLOSED
    }

    private final Reason reason;

    /**
     * @param reason why
     * @param message what happened, for the driver's task event
     * @param cause the underlying failure, or {@code null}
     */
    public SocketUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = requireNonNull(reason, "reason is null");
    }

    /**
     * @param reason why
     * @param message what happened, for the driver's task event
     */
    public SocketUnavailableException(Reason reason, String message) {
        this(reason, message, null);
    }

    /** @return why the socket could not be made */
    public Reason reason() {
        return reason;
    }
}
