package io.taskapi.plugin.execution;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.taskapi.plugin.config.HttpConfig;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool for requests that may block (a body to act on, a store that may do I/O), shared by every task
 * socket and the operator listener, with one lane per caller: a lane runs at most its share of requests at once and
 * queues the rest in order, so that one task, however busy or hostile, holds at most {@code socket.max-in-flight}
 * workers and never all of them.
 *
 * <p>Work never waits on a client here: bodies are read before a request is queued, and answers are written
 * asynchronously. A waiting request holds a queue entry, not a thread; each connection has at most one request in
 * flight, so a lane's queue is bounded by its connections.
 */
public final class WorkerLanes extends AbstractLifeCycle {
    /** The prefix of every worker thread's name, so that tests and thread dumps can tell workers apart. */
    public static final String THREAD_NAME_PREFIX = "taskapi-worker-";

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLanes.class);
    private static final long STOP_WAIT_SECONDS = 5;

    private final ThreadPoolExecutor workers;
    private final Cache<Object, Lane> lanes = CacheBuilder.newBuilder().weakKeys().build();

    /** @param config how many workers there are */
    @Inject
    public WorkerLanes(HttpConfig config) {
        this(config.maxThreads());
    }

    WorkerLanes(int threads) {
        AtomicInteger ids = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, THREAD_NAME_PREFIX + ids.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs a task on a worker, in the caller's lane.
     *
     * @param caller who the work is for: a task socket, or the operator listener; lanes are held weakly by it
     * @param share the most tasks of this caller that may run at once
     * @param task what to run; it must not throw (it answers its own request)
     * @return false when the pool has stopped and the task will never run
     */
    public boolean submit(Object caller, int share, Runnable task) {
        requireNonNull(task, "task is null");
        if (workers.isShutdown()) {
            return false;
        }
        Lane lane = lane(requireNonNull(caller, "caller is null"), share);
        if (lane.admit(task)) {
            dispatch(lane, task);
        }
        return true;
    }

    /** @return how many tasks are running or waiting for a worker, over every lane */
    public int busy() {
        return workers.getActiveCount() + workers.getQueue().size();
    }

    @Override
    protected void doStop() throws Exception {
        workers.shutdown();
        if (!workers.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("{} requests still running {}s after stop; interrupting them", workers.getActiveCount(),
                    STOP_WAIT_SECONDS);
            workers.shutdownNow();
        }
    }

    private void dispatch(Lane lane, Runnable task) {
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("a worker task failed", e);
                } finally {
                    Runnable next = lane.finished();
                    if (next != null) {
                        // Back of the pool's queue, not run here: other lanes' work waiting meanwhile goes first.
                        dispatch(lane, next);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // Only after stop: the server is going away and closes the connection.
            LOG.debug("worker pool stopped; request dropped");
        }
    }

    private Lane lane(Object caller, int share) {
        try {
            return lanes.get(caller, () -> new Lane(share));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** One caller's share: how many of its tasks run, and the ones waiting their turn. */
    private static final class Lane {
        private final int share;
        private final Queue<Runnable> waiting = new ArrayDeque<>();
        private int running;

        Lane(int share) {
            this.share = share;
        }

        /** @return whether the task may run now; if not, it runs when one of the lane's tasks finishes */
        synchronized boolean admit(Runnable task) {
            if (running < share) {
                running++;
                return true;
            }
            waiting.add(task);
            return false;
        }

        /** @return the next task to run in the finished one's place, if any */
        synchronized Runnable finished() {
            Runnable next = waiting.poll();
            if (next == null) {
                running--;
            }
            return next;
        }
    }
}
