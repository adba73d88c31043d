package io.taskapi.plugin.socket;

/**
 * The process at the other end of a Unix socket connection, from SO_PEERCRED when the connection was accepted.
 *
 * @param pid its process id
 * @param uid its user id
 * @param gid its primary group id
 */
public record PeerCredentials(long pid, int uid, int gid) {}
