package io.taskapi.plugin.config;

import static java.util.Objects.requireNonNull;

/**
 * A listener address, {@code host:port}.
 *
 * @param host a host name or IP address
 * @param port a TCP port, 0 for any free port
 */
public record HostAndPort(String host, int port) {
    /**
     * @param host see the record component of that name
     * @param port see the record component of that name
     */
    public HostAndPort {
        requireNonNull(host, "host is null");
        if (host.isBlank() || port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a listener address: " + host + ":" + port);
        }
    }

    /**
     * @param key the setting's name, for the error message
     * @param text {@code host:port}
     * @return the address
     * @throws IllegalArgumentException when it is not {@code host:port}
     */
    public static HostAndPort parse(String key, String text) {
        int colon = text.lastIndexOf(':');
        try {
            if (colon > 0) {
                return new HostAndPort(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the one message below
        }
        throw new IllegalArgumentException(key + " must be host:port, such as 127.0.0.1:4646, not '" + text + "'");
    }
}
