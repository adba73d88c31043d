package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A request that ends with an error status. The messages become the body {@code {"errors":[...]}}, so they are
 * written for the caller and never hold a secret. No stack trace is kept: this is an answer, not a fault.
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> messages;
    private final transient Map<String, Object> details;

    /**
     * @param status an HTTP status of 400 or more
     * @param messages one message per problem, at least one
     */
    public ApiException(int status, List<String> messages) {
        this(status, messages, Map.of());
    }

    /**
     * An error whose body carries more than the messages, next to {@code "errors"} (Nomad's 409 for a failed
     * check-and-set carries the variable as it is, for example).
     *
     * @param status an HTTP status of 400 or more
     * @param messages one message per problem, at least one
     * @param details more top-level fields of the body; never a secret
     */
    public ApiException(int status, List<String> messages, Map<String, Object> details) {
        super(String.join("; ", messages), null, false, false);
        this.details = Map.copyOf(details);
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

    /** @return more top-level fields of the body */
    public Map<String, Object> details() {
        return details;
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
