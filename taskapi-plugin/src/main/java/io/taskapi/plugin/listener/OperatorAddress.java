package io.taskapi.plugin.listener;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.config.HttpConfig;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;

/**
 * Where the operator listener answers, as Nomad advertises its HTTP address ({@code HTTPAddr}, the member's
 * {@code Addr} and {@code Port}): the configured host and the port actually bound (a configured port 0 is a free
 * one).
 */
public final class OperatorAddress {
    private final HttpConfig config;
    // A provider: the server holds the routes that show this address (a cycle otherwise).
    private final Provider<Server> server;

    /**
     * @param config the configured address and TLS
     * @param server the server whose operator connector is bound
     */
    @Inject
    public OperatorAddress(HttpConfig config, Provider<Server> server) {
        this.config = requireNonNull(config, "config is null");
        this.server = requireNonNull(server, "server is null");
    }

    /** @return the host the operator listener binds, empty without one */
    public String host() {
        return config.operatorAddress().map(address -> address.host()).orElse("");
    }

    /** @return the port it is bound to, 0 without one (or before it is bound) */
    public int port() {
        if (config.operatorAddress().isEmpty()) {
            return 0;
        }
        for (Connector connector : server.get().getConnectors()) {
            if (connector instanceof OperatorConnector operator && operator.getLocalPort() > 0) {
                return operator.getLocalPort();
            }
        }
        return config.operatorAddress().get().port();
    }

    /** @return {@code host:port}, empty without an operator listener */
    public Optional<String> hostAndPort() {
        return config.operatorAddress().map(address -> host() + ":" + port());
    }

    /** @return whether the operator listener serves HTTPS */
    public boolean tls() {
        return config.operatorTls().isPresent();
    }
}
