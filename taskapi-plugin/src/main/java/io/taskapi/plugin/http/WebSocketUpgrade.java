package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * What a route returns to turn its request into a WebSocket: the chain has authenticated and authorized it like any
 * request, and upgrades it (Jetty's {@code ServerWebSocketContainer}) in place of writing an answer. A request that is
 * not a WebSocket handshake gets a 400 instead.
 *
 * @param creator makes the endpoint for the upgraded connection
 */
public record WebSocketUpgrade(WebSocketCreator creator) {
    /** @param creator see the record component of that name */
    public WebSocketUpgrade {
        requireNonNull(creator, "creator is null");
    }
}
