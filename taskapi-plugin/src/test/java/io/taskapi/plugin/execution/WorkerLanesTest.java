package io.taskapi.plugin.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One caller cannot take more than its share of the workers, and whatever it queues waits in order. */
@Timeout(30)
final class WorkerLanesTest {
    private final WorkerLanes lanes = new WorkerLanes(4);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        lanes.stop();
    }

    @Test
    void aBusyLaneRunsAtMostItsShareAndAnotherLaneStillGetsAWorker() throws Exception {
        Object hog = new Object();
        AtomicInteger hogRunning = new AtomicInteger();
        CountDownLatch hogStarted = new CountDownLatch(2);
        for (int i = 0; i < 10; i++) {
            lanes.submit(hog, 2, () -> {
                hogRunning.incrementAndGet();
                hogStarted.countDown();
                await(release);
            });
        }
        assertThat(hogStarted.await(10, TimeUnit.SECONDS)).isTrue();

        CountDownLatch otherRan = new CountDownLatch(1);
        lanes.submit(new Object(), 2, otherRan::countDown);

        assertThat(otherRan.await(10, TimeUnit.SECONDS)).as("another caller's task ran").isTrue();
        assertThat(hogRunning).hasValue(2);
    }

    @Test
    void queuedTasksOfALaneRunInOrderAsEarlierOnesFinish() throws Exception {
        Object caller = new Object();
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            int n = i;
            lanes.submit(caller, 1, () -> {
                order.add(n);
                all.countDown();
            });
        }

        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aFailingTaskGivesItsPlaceBack() throws Exception {
        Object caller = new Object();
        lanes.submit(caller, 1, () -> {
            throw new IllegalStateException("a bug in a route");
        });
        CountDownLatch next = new CountDownLatch(1);
        lanes.submit(caller, 1, next::countDown);

        assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
