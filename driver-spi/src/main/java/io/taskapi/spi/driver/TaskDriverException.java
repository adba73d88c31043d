package io.taskapi.spi.driver;

/** A task could not be started. The message is shown to the operator and never holds a secret. */
public final class TaskDriverException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param cause the underlying failure, or {@code null}
     */
    public TaskDriverException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what went wrong */
    public TaskDriverException(String message) {
        super(message);
    }
}
