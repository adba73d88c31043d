/**
 * Task sockets: one Unix socket per task at {@code <secrets>/api.sock}, all served by one Jetty connector.
 *
 * <p>{@link io.taskapi.plugin.socket.TaskSocketRegistry} is the {@link io.taskapi.spi.driver.SocketProvisioner}
 * drivers call; it places each socket with {@link io.taskapi.plugin.socket.SocketPlacer} (bind privately through a
 * short root-only link, set owner and mode, then link into place) and registers its listening channel with the
 * {@link io.taskapi.plugin.socket.UnixSocketConnector}. Handlers learn which task and which peer process a request
 * came from with {@link io.taskapi.plugin.socket.SocketOrigin#of}.
 */
package io.taskapi.plugin.socket;
