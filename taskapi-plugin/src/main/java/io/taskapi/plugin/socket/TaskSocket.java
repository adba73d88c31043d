package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.SocketRequest;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * One open task socket.
 *
 * @param request what the driver asked for
 * @param ownerUid the task user's uid when the task has a user: only it may connect
 * @param hostPath where the socket is exposed: {@code <secrets>/api.sock}
 * @param bindPath the short name it was bound through (what Jetty reports as the local address)
 */
public record TaskSocket(SocketRequest request, OptionalInt ownerUid, Path hostPath, Path bindPath) {
    private static final int ROOT_UID = 0;

    /**
     * Checks that nothing is missing.
     *
     * @param request see the record component of that name
     * @param ownerUid see the record component of that name
     * @param hostPath see the record component of that name
     * @param bindPath see the record component of that name
     */
    public TaskSocket {
        requireNonNull(request, "request is null");
        requireNonNull(ownerUid, "ownerUid is null");
        requireNonNull(hostPath, "hostPath is null");
        requireNonNull(bindPath, "bindPath is null");
    }

    /**
     * @param peer a connecting process
     * @param allowRootPeer whether root may use a socket that belongs to a task user
     * @return whether the peer may use this socket: anyone when the task has no user, otherwise the task's user (and
     *     root where allowed)
     */
    public boolean serves(PeerCredentials peer, boolean allowRootPeer) {
        return ownerUid.isEmpty() || peer.uid() == ownerUid.getAsInt() || (allowRootPeer && peer.uid() == ROOT_UID);
    }
}
