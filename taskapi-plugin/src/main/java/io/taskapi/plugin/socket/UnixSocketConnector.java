package io.taskapi.plugin.socket;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.Scheduler;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty connector that serves any number of junixsocket listening channels, one per task, with a fixed set of
 * selectors (four that share the listening channels, one per core that share the connections) and no acceptor
 * threads: a thousand task sockets cost a thousand file descriptors and no extra thread.
 *
 * <p>Channels are added with {@link #register} while the connector runs. Every accepted connection knows the
 * {@link TaskSocket} it came in on and its peer's pid/uid/gid, read once at accept; handlers get both with
 * {@link SocketOrigin#of}.
 *
 * <p>The connector never binds, closes or deletes a listening channel: that is the caller's job
 * ({@link TaskSocketRegistry}). Stopping the connector stops accepting on every registered channel; starting it again
 * resumes.
 */
public final class UnixSocketConnector extends AbstractConnector {
    private static final Logger LOGGER = LoggerFactory.getLogger(UnixSocketConnector.class);
    private static final long SELECTOR_UPDATE_TIMEOUT_SECONDS = 5;

    // Listening channels are spread over this many selectors: each select costs junixsocket a pass over every
    // channel registered with that selector, and opening or closing a task socket waits for one select.
    private static final int LISTENER_SELECTORS = 4;
    // Connections are spread over one selector per core (at most four): the requests memory answers run on them.
    private static final int CONNECTION_SELECTORS =
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final TaskSocketSelectorManager selectorManager;
    private final ConnectionAdmission admission;
    private final RefusedConnections refused;
    private final Map<SelectableChannel, Registration> registrations = new ConcurrentHashMap<>();
    private final AtomicInteger nextListenerSelector = new AtomicInteger();
    // Admitted connections from doAccept() until their endpoint is open: a failure in between gives the place back.
    private final Map<SelectableChannel, SocketOrigin> acceptedOrigins = new ConcurrentHashMap<>();
    // Serializes arming and disarming acceptors against start, stop and setAccepting.
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * A connector that serves every connection it accepts.
     *
     * @param server the server whose thread pool, scheduler and buffer pool the connector uses
     * @param factories the connection factories; plain HTTP/1.1 when none is given
     */
    public UnixSocketConnector(Server server, ConnectionFactory... factories) {
        this(server, ConnectionAdmission.ADMIT_ALL, factories);
    }

    /**
     * @param server the server whose thread pool, scheduler and buffer pool the connector uses
     * @param admission decides at accept which connections are served
     * @param factories the connection factories; plain HTTP/1.1 when none is given
     */
    public UnixSocketConnector(Server server, ConnectionAdmission admission, ConnectionFactory... factories) {
        super(requireNonNull(server, "server is null"), null, null, null, 0,
                factories.length > 0 ? factories : new ConnectionFactory[] {new HttpConnectionFactory()});
        this.admission = requireNonNull(admission, "admission is null");
        this.refused = new RefusedConnections(admission);
        this.selectorManager = new TaskSocketSelectorManager(getExecutor(), getScheduler());
        installBean(selectorManager, true);
    }

    /**
     * Starts accepting connections on a task's listening channel.
     *
     * @param channel a bound listening channel; it is made non-blocking
     * @param socket the task socket every connection accepted on it belongs to
     * @return closing it stops accepting on the channel and closes the connections accepted on it (idempotent); it
     *     returns once the selector has let go of the channel, so that the caller can close the channel
     * @throws IOException when the channel cannot be made non-blocking
     * @throws IllegalStateException when the connector is not started or the channel is already registered
     */
    public Closeable register(AFUNIXServerSocketChannel channel, TaskSocket socket) throws IOException {
        return register(channel, socket, () -> { });
    }

    /**
     * Starts accepting connections on a task's listening channel, and says when it stops listening for good.
     *
     * @param channel a bound listening channel; it is made non-blocking
     * @param socket the task socket every connection accepted on it belongs to
     * @param onListenerLost run once, on a pool thread, if the channel is closed under the connector (junixsocket
     *     closes a listener whose bound name no longer leads to it); not run after the registration is closed
     * @return as for {@link #register(AFUNIXServerSocketChannel, TaskSocket)}
     * @throws IOException when the channel cannot be made non-blocking
     * @throws IllegalStateException when the connector is not started or the channel is already registered
     */
    public Closeable register(AFUNIXServerSocketChannel channel, TaskSocket socket, Runnable onListenerLost)
            throws IOException {
        requireNonNull(channel, "channel is null");
        requireNonNull(socket, "socket is null");
        requireNonNull(onListenerLost, "onListenerLost is null");
        lock.lock();
        try {
            if (!isStarted()) {
                throw new IllegalStateException("the Unix socket connector is not started");
            }
            if (channel.isBlocking()) {
                channel.configureBlocking(false);
            }
            Registration registration = new Registration(channel, socket, onListenerLost);
            if (registrations.putIfAbsent(channel, registration) != null) {
                throw new IllegalStateException("channel already registered for " + socket.hostPath());
            }
            if (isAccepting()) {
                registration.arm();
            }
            return registration;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many listening channels are registered */
    public int registeredChannels() {
        return registrations.size();
    }

    /** @return the selector manager all channels share (four for listeners, one per core for connections) */
    public SelectorManager getSelectorManager() {
        return selectorManager;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        lock.lock();
        try {
            if (isAccepting()) {
                registrations.values().forEach(Registration::arm);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void doStop() throws Exception {
        lock.lock();
        try {
            registrations.values().forEach(Registration::disarm);
        } finally {
            lock.unlock();
        }
        awaitSelectorUpdates();
        super.doStop();
    }

    @Override
    public void setAccepting(boolean accepting) {
        super.setAccepting(accepting);
        lock.lock();
        try {
            if (isStarted() && accepting) {
                registrations.values().forEach(Registration::arm);
            } else if (!accepting) {
                registrations.values().forEach(Registration::disarm);
            }
        } finally {
            lock.unlock();
        }
        if (!accepting) {
            awaitSelectorUpdates();
        }
    }

    /**
     * Waits until the selector has run every update submitted so far. Acceptors are registered and cancelled on the
     * selector thread; a channel closed before its registration runs makes Jetty log failures, so whoever deregisters
     * waits for the cancellation before closing the channel.
     */
    private void awaitSelectorUpdates() {
        for (int listeners = 0; listeners < LISTENER_SELECTORS; listeners++) {
            awaitSelectorUpdates(listeners);
        }
    }

    private void awaitSelectorUpdates(int listeners) {
        if (!selectorManager.isRunning()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            selectorManager.submit(listeners, selector -> done.complete(null));
            done.get(SELECTOR_UPDATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOGGER.warn("The task socket selector did not answer within {}s: {}", SELECTOR_UPDATE_TIMEOUT_SECONDS,
                    e.toString());
        }
    }

    /** Never called: with no acceptor threads, the selector accepts. */
    @Override
    protected void accept(int acceptorID) {
        throw new UnsupportedOperationException("the Unix socket connector accepts on its selector");
    }

    /** @return null: the connector has many listening channels, not one transport */
    @Override
    public Object getTransport() {
        return null;
    }

    /** Accepts one connection and reads its peer once; returns null when nothing (more) is pending. */
    private SelectableChannel acceptFrom(AFUNIXServerSocketChannel server) {
        while (true) {
            AFUNIXSocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                listenerFailed(server, e);
                return null;
            }
            if (channel == null) {
                return null;
            }
            Registration registration = registrations.get(server);
            if (registration == null) {
                IO.close(channel); // deregistered since the selector woke up
                continue;
            }
            try {
                AFUNIXSocketCredentials credentials = channel.getPeerCredentials();
                PeerCredentials peer = new PeerCredentials(credentials.getPid(), (int) credentials.getUid(),
                        (int) credentials.getGid());
                ConnectionAdmission.Admission admitted = admission.admit(registration.socket, peer);
                if (admitted == ConnectionAdmission.Admission.REFUSE) {
                    refused.refuse(channel, getScheduler());
                    continue;
                }
                acceptedOrigins.put(channel, new SocketOrigin(registration.socket, peer,
                        admitted == ConnectionAdmission.Admission.SERVE));
                return channel;
            } catch (IOException | RuntimeException e) {
                // Without a peer the connection cannot be authorized: drop it, keep the listener.
                LOGGER.warn("Closed a connection to {}: could not read its peer credentials: {}",
                        registration.socket.hostPath(), e.toString());
                IO.close(channel);
            }
        }
    }

    private void listenerFailed(AFUNIXServerSocketChannel server, IOException failure) {
        Registration registration = registrations.get(server);
        if (registration == null) {
            // Deregistered and closed by its owner while a connection was pending: nothing is lost.
            LOGGER.debug("Accept failed on a task socket that was just closed: {}", failure.toString());
            return;
        }
        String where = registration.socket.hostPath().toString();
        if (server.isOpen()) {
            LOGGER.warn("Accept failed on task socket {}: {}", where, failure.toString());
        } else {
            // junixsocket closes a listener whose bound name no longer leads to it (socket-recipe.md, finding 1).
            LOGGER.warn("Task socket {} stopped listening ({}); was its link or private name removed?", where,
                    failure.toString());
            if (registration.lost.compareAndSet(false, true)) {
                // Not on the selector thread: re-creating a socket waits for the selector.
                getExecutor().execute(registration.onListenerLost);
            }
        }
    }

    private void accepted(SelectableChannel channel) throws IOException {
        // Left in the map until the endpoint exists, so that a failure in between can give the admission back.
        SocketOrigin origin = acceptedOrigins.get(channel);
        if (origin == null) {
            IO.close(channel);
            return;
        }
        try {
            channel.configureBlocking(false);
            // The origin becomes the selection key's attachment, which newEndPoint() reads.
            selectorManager.accept(channel, origin);
        } catch (IOException | RuntimeException e) {
            // Jetty closes the channel without telling onAcceptFailed(): give the admission back here.
            selectorManager.giveBack(channel);
            throw e;
        }
    }

    private EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key)
            throws IOException {
        if (!(key.attachment() instanceof SocketOrigin origin)) {
            throw new IOException("connection without a task socket origin: " + channel);
        }
        UnixSocketEndPoint endPoint = new UnixSocketEndPoint((SocketChannel) channel, selector, key, getScheduler(),
                origin);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    /** One task's listening channel and its acceptor on the shared selector. Guarded by the connector's lock. */
    private final class Registration implements Closeable {
        private final AFUNIXServerSocketChannel channel;
        private final TaskSocket socket;
        private final Runnable onListenerLost;
        private final AtomicBoolean lost = new AtomicBoolean();
        private final int listeners = Math.floorMod(nextListenerSelector.getAndIncrement(), LISTENER_SELECTORS);
        private Closeable acceptor;
        private boolean closed;

        Registration(AFUNIXServerSocketChannel channel, TaskSocket socket, Runnable onListenerLost) {
            this.channel = channel;
            this.socket = socket;
            this.onListenerLost = onListenerLost;
        }

        void arm() {
            if (acceptor == null && !closed && channel.isOpen()) {
                acceptor = selectorManager.listenOn(channel, listeners);
            }
        }

        void disarm() {
            Closeable current = acceptor;
            acceptor = null;
            IO.close(current);
        }

        @Override
        public void close() {
            boolean wasArmed;
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                registrations.remove(channel, this);
                wasArmed = acceptor != null;
                disarm();
            } finally {
                lock.unlock();
            }
            if (wasArmed) {
                awaitSelectorUpdates(listeners);
            }
            // A process that inherited a connection must not keep using the API once the task's socket is gone.
            for (EndPoint endPoint : getConnectedEndPoints()) {
                if (endPoint instanceof UnixSocketEndPoint taskEndPoint
                        && taskEndPoint.origin().orElseThrow().socket() == socket) {
                    endPoint.close();
                }
            }
        }
    }

    /**
     * Selectors for the listening channels (a few, each with its share of them) and for the connections (one per
     * core, each with its share of them). junixsocket's selector polls every channel registered with it on each
     * select, so with one selector a thousand idle task sockets made every request of a busy one pay for a thousand
     * descriptors; now only connections that exist are polled on the request path, and the listeners' selectors
     * wake only to accept or to change a registration. Requests that memory can answer run on their connection's
     * selector thread, so several of them let those requests use every core.
     */
    private final class TaskSocketSelectorManager extends SelectorManager {
        private final ManagedSelector[] selectors = new ManagedSelector[LISTENER_SELECTORS + CONNECTION_SELECTORS];
        private final AtomicInteger nextConnectionSelector = new AtomicInteger();
        // Which listener selector the channel being registered goes to: chooseSelector() has no argument to say so.
        private final ThreadLocal<Integer> registeringListener = new ThreadLocal<>();

        TaskSocketSelectorManager(Executor executor, Scheduler scheduler) {
            super(executor, scheduler, LISTENER_SELECTORS + CONNECTION_SELECTORS);
        }

        Closeable listenOn(SelectableChannel channel, int listeners) {
            registeringListener.set(listeners);
            try {
                return acceptor(channel);
            } finally {
                registeringListener.remove();
            }
        }

        /** Runs an update on a listener selector, where acceptors are registered and cancelled. */
        void submit(int listeners, ManagedSelector.SelectorUpdate update) {
            selectors[listeners].submit(update);
        }

        @Override
        protected ManagedSelector newSelector(int id) {
            ManagedSelector selector = super.newSelector(id);
            selectors[id] = selector;
            return selector;
        }

        @Override
        protected ManagedSelector chooseSelector() {
            Integer listeners = registeringListener.get();
            if (listeners != null) {
                return selectors[listeners];
            }
            return selectors[LISTENER_SELECTORS
                    + Math.floorMod(nextConnectionSelector.getAndIncrement(), CONNECTION_SELECTORS)];
        }

        @Override
        protected Selector newSelector() throws IOException {
            // junixsocket channels can only be registered with junixsocket's own selector.
            return AFUNIXSelectorProvider.provider().openSelector();
        }

        @Override
        protected SelectableChannel doAccept(SelectableChannel server) {
            return acceptFrom((AFUNIXServerSocketChannel) server);
        }

        @Override
        protected void accepted(SelectableChannel channel) throws IOException {
            UnixSocketConnector.this.accepted(channel);
        }

        @Override
        protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key)
                throws IOException {
            return UnixSocketConnector.this.newEndPoint(channel, selector, key);
        }

        @Override
        public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment) {
            return getDefaultConnectionFactory().newConnection(UnixSocketConnector.this, endPoint);
        }

        @Override
        protected void endPointOpened(EndPoint endPoint) {
            super.endPointOpened(endPoint);
            // From here on its close gives the admission back (endPointClosed); before, a failure does (giveBack).
            if (endPoint instanceof UnixSocketEndPoint taskEndPoint) {
                acceptedOrigins.remove(taskEndPoint.getChannel());
            }
            onEndPointOpened(endPoint);
        }

        @Override
        protected void endPointClosed(EndPoint endPoint) {
            onEndPointClosed(endPoint);
            super.endPointClosed(endPoint);
            if (endPoint instanceof UnixSocketEndPoint taskEndPoint) {
                admission.released(taskEndPoint.origin().orElseThrow());
            }
        }

        @Override
        @SuppressWarnings("removal") // Jetty 12.1 still calls this overload; it goes when Jetty drops it.
        protected void onAcceptFailed(SelectableChannel channel, Throwable cause) {
            giveBack(channel);
            super.onAcceptFailed(channel, cause);
        }

        @Override
        protected void onAcceptFailed(SelectableChannel channel, Throwable cause, Object attachment) {
            giveBack(channel);
            super.onAcceptFailed(channel, cause, attachment);
        }

        /** Admitted, but it never became an endpoint: its place goes back. */
        void giveBack(SelectableChannel channel) {
            SocketOrigin origin = acceptedOrigins.remove(channel);
            if (origin != null) {
                admission.released(origin);
            }
        }
    }
}
