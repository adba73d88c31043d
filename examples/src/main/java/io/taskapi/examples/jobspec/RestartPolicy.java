package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A task's effective {@code restart} block, Nomad's restart policy: how often the agent restarts the task on this node
 * before it gives up.
 *
 * <p>Always valid by Nomad's rules ({@code RestartPolicy.Validate}): the mode is {@code fail} or {@code delay}, a
 * {@code delay} policy allows at least one attempt, the interval is at least {@link #MIN_INTERVAL}, and
 * {@code attempts} restarts of {@code delay} each fit in the interval. The constructor refuses anything else with
 * {@link #problem}'s message.
 *
 * @param attempts how many restarts the interval allows; 0 means never restart
 * @param interval the window the attempts are counted in; it begins when the task first starts
 * @param delay how long to wait before each restart (Nomad adds up to 25% jitter; this agent does not)
 * @param mode what happens once the attempts are used up
 */
public record RestartPolicy(int attempts, Duration interval, Duration delay, Mode mode) {
    /** Nomad's {@code RestartPolicyMinInterval}. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(5);

    /** The longest interval or delay: Nomad's durations are 64-bit nanoseconds (the API's JSON carries them so). */
    public static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    /** Nomad's default for {@code service} (and {@code system}) jobs: 2 attempts in 30m, 15s apart, then fail. */
    public static final RestartPolicy SERVICE_DEFAULT =
            new RestartPolicy(2, Duration.ofMinutes(30), Duration.ofSeconds(15), Mode.FAIL);

    /** Nomad's default for {@code batch} and {@code sysbatch} jobs: 3 attempts in 24h, 15s apart, then fail. */
    public static final RestartPolicy BATCH_DEFAULT =
            new RestartPolicy(3, Duration.ofHours(24), Duration.ofSeconds(15), Mode.FAIL);

    /** What happens when a task fails more often than {@code attempts} within {@code interval}. */
    public enum Mode {
        /** The task is not restarted again and fails (Nomad may then reschedule the allocation elsewhere). */
        FAIL,
        /** The task waits until the interval ends, then restarts with a fresh count. */
        DELAY;

        /** {@return how job files and the API write it: {@code fail} or {@code delay}} */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param value {@code fail} or {@code delay}
         * @return the mode, or empty for anything else (case matters, as in Nomad)
         */
        public static Optional<Mode> of(String value) {
            for (Mode mode : values()) {
                if (mode.value().equals(value)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    /** Checks Nomad's rules; see the class comment. */
    public RestartPolicy {
        requireNonNull(interval, "interval is null");
        requireNonNull(delay, "delay is null");
        requireNonNull(mode, "mode is null");
        Optional<String> problem = problem(attempts, interval, delay, mode);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    /**
     * @param jobType the job's type, one of {@link JobSpec#TYPES}
     * @return the policy a task of such a job has when neither its group nor the task sets one (Nomad's defaults:
     *     {@link #SERVICE_DEFAULT} for service jobs, {@link #BATCH_DEFAULT} for batch and sysbatch jobs)
     */
    public static RestartPolicy defaultFor(String jobType) {
        requireNonNull(jobType, "jobType is null");
        return jobType.equals("service") ? SERVICE_DEFAULT : BATCH_DEFAULT;
    }

    /**
     * What Nomad's validation would say of these values, in this project's words.
     *
     * @param attempts restarts allowed per interval
     * @param interval the window
     * @param delay the wait before each restart
     * @param mode the mode
     * @return the first problem, or empty when they make a valid policy
     */
    public static Optional<String> problem(int attempts, Duration interval, Duration delay, Mode mode) {
        if (attempts < 0) {
            return Optional.of("restart attempts must not be negative, found " + attempts);
        }
        if (delay.isNegative()) {
            return Optional.of("restart delay must not be negative, found " + GoDuration.format(delay));
        }
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            return Optional.of("restart interval must be at least " + GoDuration.format(MIN_INTERVAL) + ", found "
                    + GoDuration.format(interval));
        }
        if (attempts == 0 && mode == Mode.DELAY) {
            return Optional.of("restart mode \"delay\" with 0 attempts is ambiguous: use mode \"fail\" to never "
                    + "restart, or allow at least one attempt");
        }
        if (!fitsInNanos(interval) || !fitsInNanos(delay)) {
            return Optional.of("restart interval and delay must be at most " + GoDuration.format(MAX_DURATION));
        }
        if (!fits(attempts, delay, interval)) {
            return Optional.of("restart: " + attempts + " attempts with a delay of " + GoDuration.format(delay)
                    + " do not fit in an interval of " + GoDuration.format(interval));
        }
        return Optional.empty();
    }

    /** Whether {@code attempts} delays fit in the interval; a product too large for a Duration does not. */
    private static boolean fits(int attempts, Duration delay, Duration interval) {
        try {
            return delay.multipliedBy(attempts).compareTo(interval) <= 0;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static boolean fitsInNanos(Duration duration) {
        return duration.compareTo(MAX_DURATION) <= 0;
    }
}
