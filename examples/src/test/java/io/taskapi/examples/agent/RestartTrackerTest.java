package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.examples.agent.RestartTracker.Decision;
import io.taskapi.examples.agent.RestartTracker.Decision.Action;
import io.taskapi.examples.jobspec.RestartPolicy;
import io.taskapi.examples.jobspec.RestartPolicy.Mode;
import io.taskapi.testing.TestingClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartTrackerTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final RestartPolicy TWICE_FAIL =
            new RestartPolicy(2, Duration.ofMinutes(1), Duration.ofSeconds(1), Mode.FAIL);

    private final TestingClock clock = new TestingClock(START);

    @Test
    void restartsWithinTheAttemptsThenFailsInNomadsWords() {
        RestartTracker tracker = new RestartTracker(TWICE_FAIL, "service", clock);

        Decision first = tracker.next(1, false);
        clock.advance(Duration.ofSeconds(2));
        Decision second = tracker.next(1, false);
        clock.advance(Duration.ofSeconds(2));
        Decision third = tracker.next(1, false);

        assertThat(first).isEqualTo(new Decision(Action.RESTART, Duration.ofSeconds(1), "Restart within policy"));
        assertThat(first.eventType()).contains("Restarting");
        assertThat(first.displayMessage()).isEqualTo("Task restarting in 1s");
        assertThat(second).isEqualTo(first);
        assertThat(third.action()).isEqualTo(Action.FAIL);
        assertThat(third.delay()).isZero();
        assertThat(third.eventType()).contains("Not Restarting");
        assertThat(third.displayMessage())
                .isEqualTo("Exceeded allowed attempts 2 in interval 1m0s and mode is \"fail\"")
                .isEqualTo(third.reason());
    }

    @Test
    void theCountStartsAgainWhenTheIntervalHasEnded() {
        RestartTracker tracker = new RestartTracker(TWICE_FAIL, "batch", clock);

        assertThat(tracker.next(1, false).action()).isEqualTo(Action.RESTART);
        assertThat(tracker.next(1, false).action()).isEqualTo(Action.RESTART);
        clock.advance(Duration.ofMinutes(1)); // the window [START, START + 1m) is over
        assertThat(tracker.next(1, false).action()).isEqualTo(Action.RESTART);
        clock.advance(Duration.ofSeconds(59));
        assertThat(tracker.next(1, false).action()).isEqualTo(Action.RESTART);
        clock.advance(Duration.ofMillis(999)); // still inside the second window: its third failure
        assertThat(tracker.next(1, false).action()).isEqualTo(Action.FAIL);
    }

    @Test
    void theWindowBeginsWhenTheTrackerIsMadeNotAtTheFirstFailure() {
        RestartTracker tracker = new RestartTracker(TWICE_FAIL, "service", clock);
        clock.advance(Duration.ofSeconds(50));

        tracker.next(1, false);
        tracker.next(1, false);
        clock.advance(Duration.ofSeconds(10)); // a minute after the start: a new window, though the failures are recent

        assertThat(tracker.next(1, false).action()).isEqualTo(Action.RESTART);
    }

    @Test
    void modeDelayWaitsForTheIntervalsEndThenCountsAfresh() {
        RestartPolicy policy = new RestartPolicy(2, Duration.ofMinutes(30), Duration.ofSeconds(15), Mode.DELAY);
        RestartTracker tracker = new RestartTracker(policy, "service", clock);

        clock.advance(Duration.ofSeconds(10));
        assertThat(tracker.next(1, false).delay()).isEqualTo(Duration.ofSeconds(15));
        clock.advance(Duration.ofSeconds(100));
        assertThat(tracker.next(1, false).delay()).isEqualTo(Duration.ofSeconds(15));
        clock.advance(Duration.ofMillis(5_500));
        Decision delayed = tracker.next(1, false);

        assertThat(delayed.action()).isEqualTo(Action.RESTART);
        assertThat(delayed.delay()).isEqualTo(Duration.ofMinutes(30).minusSeconds(10 + 100).minusMillis(5_500));
        assertThat(delayed.reason()).isEqualTo("Exceeded allowed attempts, applying a delay");
        assertThat(delayed.eventType()).contains("Restarting");
        assertThat(delayed.displayMessage())
                .isEqualTo("Exceeded allowed attempts, applying a delay - Task restarting in 28m4.5s");

        clock.advance(delayed.delay()); // restarted at the window's end, and it fails again at once
        Decision fresh = tracker.next(1, false);
        assertThat(fresh.delay()).isEqualTo(Duration.ofSeconds(15));
        assertThat(fresh.displayMessage()).isEqualTo("Task restarting in 15s");
        assertThat(tracker.next(1, false).delay()).isEqualTo(Duration.ofSeconds(15));
        assertThat(tracker.next(1, false).reason()).isEqualTo("Exceeded allowed attempts, applying a delay");
    }

    @Test
    void aBatchTaskThatExitsZeroIsComplete() {
        RestartTracker tracker = new RestartTracker(TWICE_FAIL, "batch", clock);

        Decision decision = tracker.next(0, false);

        assertThat(decision).isEqualTo(new Decision(Action.COMPLETE, Duration.ZERO,
                "Restart unnecessary as task terminated successfully"));
        assertThat(decision.eventType()).isEmpty();
        assertThat(decision.displayMessage()).isEmpty();
        assertThat(new RestartTracker(TWICE_FAIL, "sysbatch", clock).next(0, false).action())
                .isEqualTo(Action.COMPLETE);
    }

    @Test
    void aServiceTaskThatExitsZeroIsRestartedAndCounted() {
        RestartTracker tracker = new RestartTracker(TWICE_FAIL, "service", clock);

        assertThat(tracker.next(0, false).action()).isEqualTo(Action.RESTART);
        assertThat(tracker.next(0, false).action()).isEqualTo(Action.RESTART);
        assertThat(tracker.next(0, false).action()).isEqualTo(Action.FAIL);
    }

    @Test
    void zeroAttemptsNeverRestarts() {
        RestartPolicy never = new RestartPolicy(0, Duration.ofMinutes(1), Duration.ofSeconds(1), Mode.FAIL);

        Decision failed = new RestartTracker(never, "service", clock).next(0, false);
        assertThat(failed).isEqualTo(new Decision(Action.FAIL, Duration.ZERO, "Policy allows no restarts"));
        assertThat(failed.displayMessage()).isEqualTo("Policy allows no restarts");
        assertThat(new RestartTracker(never, "batch", clock).next(0, false).action()).isEqualTo(Action.COMPLETE);
        assertThat(new RestartTracker(never, "batch", clock).next(3, false).action()).isEqualTo(Action.FAIL);
    }

    @Test
    void aKilledTaskStaysStoppedAndIsNotCounted() {
        RestartTracker tracker = new RestartTracker(TWICE_FAIL, "service", clock);

        Decision killed = tracker.next(137, true);

        assertThat(killed).isEqualTo(new Decision(Action.KILLED, Duration.ZERO, ""));
        assertThat(killed.eventType()).isEmpty();
        assertThat(tracker.next(1, false).action()).isEqualTo(Action.RESTART);
        assertThat(tracker.next(1, false).action()).isEqualTo(Action.RESTART);
    }

    @Test
    void aFailedStartCountsAsAFailureUnlessItCannotBeRecovered() {
        RestartTracker tracker = new RestartTracker(TWICE_FAIL, "batch", clock);

        assertThat(tracker.startFailed(true).action()).isEqualTo(Action.RESTART);
        assertThat(tracker.startFailed(false))
                .isEqualTo(new Decision(Action.FAIL, Duration.ZERO, "Error was unrecoverable"));
    }

    @Test
    void refusesWhatItCannotDecideFor() {
        assertThatThrownBy(() -> new RestartTracker(TWICE_FAIL, "system", clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown job type \"system\"");
        assertThatThrownBy(() -> new Decision(Action.FAIL, Duration.ofSeconds(1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
