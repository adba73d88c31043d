package io.taskapi.plugin.socket;

/**
 * Decides, when a task socket accepts a connection and before anything of it is read, whether to serve it. Called on
 * the selector thread: it must answer from memory.
 */
public interface ConnectionAdmission {
    /**
     * No limits, but the peer check all the same: a socket with a task user serves only that user (others are served
     * only to be told 403). What a bare connector (tests, tools) uses.
     */
    ConnectionAdmission ADMIT_ALL = new ConnectionAdmission() {
        @Override
        public Admission admit(TaskSocket socket, PeerCredentials peer) {
            return socket.serves(peer, false) ? Admission.SERVE : Admission.SERVE_REFUSAL;
        }

        @Override
        public void released(SocketOrigin origin) {
        }

        @Override
        public byte[] refusal() {
            throw new IllegalStateException("nothing is refused");
        }
    };

    /**
     * @param socket the task socket the connection came in on
     * @param peer the connecting process
     * @return what to do with the connection; every answer but {@link Admission#REFUSE} is later {@link #released}
     */
    Admission admit(TaskSocket socket, PeerCredentials peer);

    /**
     * Called once when an admitted connection closes.
     *
     * @param origin the connection's origin; {@link SocketOrigin#peerAllowed} tells which way it was admitted
     */
    void released(SocketOrigin origin);

    /** @return the whole HTTP response written to a refused connection before it is closed */
    byte[] refusal();

    /** What happens to an accepted connection. */
    enum Admission {
        /** Served: the peer may use the socket. */
        SERVE,
        /**
         * Served only to be told 403: the peer is not the task's user. Kept apart from {@link #SERVE} so that
         * strangers never use up the task's own connections, and bounded separately.
         */
        SERVE_REFUSAL,
        /** Closed at once with a 429: the socket has as many connections as it may. */
        REFUSE
    }
}
