package io.taskapi.spi.api;

import java.util.List;

/** An agent route's error answer: the plugin sends {@code {"errors":[...]}} with the status. Never hold a secret. */
public final class AgentRouteException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> messages;

    /**
     * @param status a status of 400 or more
     * @param messages one per problem, at least one
     */
    public AgentRouteException(int status, List<String> messages) {
        super(String.join("; ", messages), null, false, false);
        if (status < 400 || status > 599 || messages.isEmpty()) {
            throw new IllegalArgumentException("an error needs a status of 400 or more and a message");
        }
        this.status = status;
        this.messages = List.copyOf(messages);
    }

    /**
     * @param status a status of 400 or more
     * @param message what went wrong
     */
    public AgentRouteException(int status, String message) {
        this(status, List.of(message));
    }

    /** @return the status */
    public int status() {
        return status;
    }

    /** @return the messages */
    public List<String> messages() {
        return messages;
    }
}
