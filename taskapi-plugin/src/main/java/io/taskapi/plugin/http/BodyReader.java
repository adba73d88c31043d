package io.taskapi.plugin.http;

import io.taskapi.plugin.config.HttpConfig;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads request bodies as they arrive, holding no thread while the client is slow: what has arrived is taken, and
 * Jetty is asked to call back when more has. A body must arrive within {@code http.request-body-timeout} in total
 * and, after its first second, at no less than {@code http.min-body-rate} bytes a second; otherwise it is answered
 * 408. One over {@code http.max-body-bytes} is answered 413 as soon as that is known.
 *
 * <p>Written here rather than with {@code Content.Source.asByteArrayAsync} because that one has no deadline and no
 * data rate, and a trickled body would hold its buffer and connection for as long as the client likes.
 */
public final class BodyReader {
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    // The buffer grows with what arrives, not with what the client declares it will send.
    private static final int INITIAL_BUFFER_BYTES = 16 * 1024;

    private final int maxBytes;
    private final long timeoutNanos;
    private final long minBytesPerSecond;

    /** @param config the size, time and rate limits */
    @Inject
    public BodyReader(HttpConfig config) {
        this(config.maxBodyBytes(), config.requestBodyTimeout(), config.minBodyRate());
    }

    BodyReader(int maxBytes, Duration timeout, long minBytesPerSecond) {
        this.maxBytes = maxBytes;
        this.timeoutNanos = timeout.toNanos();
        this.minBytesPerSecond = minBytesPerSecond;
    }

    /**
     * Starts reading a request's body; returns at once.
     *
     * @param request the request
     * @param done called once, with the body or with the error to answer; on whichever thread finishes the read (an
     *     I/O thread or the scheduler's), so it must not block
     */
    public void read(Request request, Consumer<Result> done) {
        long declared = request.getLength();
        if (declared > maxBytes) {
            done.accept(Result.failed(tooLarge()));
            return;
        }
        Read read = new Read(request, done, declared > 0 ? (int) declared : 0);
        read.start(request.getComponents().getScheduler());
    }

    private ApiException tooLarge() {
        return new ApiException(413, "Request body is larger than " + maxBytes + " bytes");
    }

    /**
     * A body or why there is none.
     *
     * @param body the bytes, when the body arrived whole
     * @param error what to answer otherwise
     */
    public record Result(byte[] body, ApiException error) {
        static Result of(byte[] body) {
            return new Result(body, null);
        }

        static Result failed(ApiException error) {
            return new Result(null, error);
        }
    }

    /** One body being read. Chunks are taken only by {@link #run}; the timer only decides that time is up. */
    private final class Read implements Invocable.Task {
        private final Request request;
        private final Consumer<Result> done;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final long startNanos = System.nanoTime();
        private byte[] bytes;
        private volatile int size;
        private volatile Scheduler.Task timer;
        private Scheduler scheduler;

        Read(Request request, Consumer<Result> done, int declared) {
            this.request = request;
            this.done = done;
            this.bytes = new byte[Math.min(Math.max(declared, 256), INITIAL_BUFFER_BYTES)];
        }

        void start(Scheduler scheduler) {
            this.scheduler = scheduler;
            run();
            // Most bodies arrive with their head: only one still arriving needs the clock.
            if (!finished.get()) {
                timer = scheduler.schedule(this::check, Math.min(CHECK_INTERVAL_NANOS, timeoutNanos),
                        TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            // Copying what arrived never blocks: Jetty may call this on its I/O thread.
            return InvocationType.NON_BLOCKING;
        }

        @Override
        // Only this method writes size (Jetty runs it one at a time); volatile so that the timer sees the progress.
        @SuppressWarnings("NonAtomicVolatileUpdate")
        public void run() {
            while (!finished.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    finish(Result.failed(new ApiException(400, "Request body could not be read")));
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                int length = buffer.remaining();
                if (size + (long) length > maxBytes) {
                    chunk.release();
                    finish(Result.failed(tooLarge()));
                    return;
                }
                if (size + length > bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(size + length, 2L * bytes.length)));
                }
                buffer.get(bytes, size, length);
                size += length;
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    finish(Result.of(Arrays.copyOf(bytes, size)));
                    return;
                }
            }
        }

        /** Runs on the scheduler: cuts off a body that is too slow, else looks again in a second. */
        private void check() {
            if (finished.get()) {
                return;
            }
            long elapsed = System.nanoTime() - startNanos;
            if (elapsed >= timeoutNanos) {
                finish(Result.failed(new ApiException(408, "Request body did not arrive within "
                        + Duration.ofNanos(timeoutNanos).toMillis() + " ms")));
                return;
            }
            if (elapsed >= CHECK_INTERVAL_NANOS && size < minBytesPerSecond * elapsed / 1_000_000_000L) {
                finish(Result.failed(new ApiException(408, "Request body arrives slower than "
                        + minBytesPerSecond + " bytes a second")));
                return;
            }
            timer = scheduler.schedule(this::check, Math.min(CHECK_INTERVAL_NANOS, timeoutNanos - elapsed),
                    TimeUnit.NANOSECONDS);
        }

        private void finish(Result result) {
            if (finished.compareAndSet(false, true)) {
                Scheduler.Task pending = timer;
                if (pending != null) {
                    pending.cancel();
                }
                done.accept(result);
            }
        }
    }
}
