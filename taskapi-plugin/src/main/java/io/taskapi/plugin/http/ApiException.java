package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A request that ends with an error status. The messages become the body {@code {"errors":[...]}}, so they are
 * written for the caller and never hold a secret. No stack trace is kept: this is an answer, not a fault.
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> messages;

    /**
     * @param status an HTTP status of 400 or more
     * @param messages one message per problem, at least one
     */
    public ApiException(int status, List<String> messages) {
        super(String.join("; ", messages), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("an error needs a message");
        }
        this.status = status;
        this.messages = List.copyOf(messages);
    }

    /**
     * @param status an HTTP status of 400 or more
     * @param message what went wrong
     */
    public ApiException(int status, String message) {
        this(status, List.of(requireNonNull(message, "message is null")));
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the messages for the body */
    public List<String> messages() {
        return messages;
    }

    /** @return a 403 with Nomad's message */
    public static ApiException permissionDenied() {
        return new ApiException(403, "Permission denied");
    }
}
