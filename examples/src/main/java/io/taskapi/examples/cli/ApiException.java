package io.taskapi.examples.cli;

import java.util.List;

/** The API answered with an error; the messages are its {@code errors}, which never hold a secret. */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> messages;

    /**
     * @param status the HTTP status
     * @param messages the {@code errors} of the answer
     */
    public ApiException(int status, List<String> messages) {
        super("Unexpected response code: " + status + " (" + String.join("; ", messages) + ")");
        this.status = status;
        this.messages = List.copyOf(messages);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the API's error messages */
    public List<String> messages() {
        return messages;
    }
}
