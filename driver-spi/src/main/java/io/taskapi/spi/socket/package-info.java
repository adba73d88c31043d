/**
 * Task sockets, as the agent sees them: a {@link io.taskapi.spi.socket.SocketProvisioner} (the running
 * {@link io.taskapi.spi.TaskApi}) turns a {@link io.taskapi.spi.socket.SocketRequest} into a
 * {@link io.taskapi.spi.driver.SocketMount} or a {@link io.taskapi.spi.socket.SocketUnavailableException}. Drivers
 * do not use this package: they call {@link io.taskapi.spi.driver.TaskLaunch#apiSocket}.
 */
package io.taskapi.spi.socket;
