/**
 * Task sockets: a driver sends a {@link io.taskapi.spi.socket.SocketRequest} to a
 * {@link io.taskapi.spi.socket.SocketProvisioner} and gets a {@link io.taskapi.spi.socket.SocketMount} back.
 */
package io.taskapi.spi.socket;
