package io.taskapi.spi.state;

/**
 * A state backend could not answer (down, sealed, timed out). Callers fail closed: the request is refused with 503,
 * never allowed. The message must not hold a secret.
 */
public final class StateUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is unavailable
     * @param cause the underlying failure, or {@code null}
     */
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what is unavailable */
    public StateUnavailableException(String message) {
        super(message);
    }
}
