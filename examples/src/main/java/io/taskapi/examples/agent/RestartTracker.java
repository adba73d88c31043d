package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.examples.jobspec.GoDuration;
import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.RestartPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides, each time a task ends, whether it starts again: Nomad's client-side restart tracker
 * ({@code client/allocrunner/taskrunner/restarts}) for one task, applying its {@link RestartPolicy}.
 *
 * <p>The rules, as in Nomad: failures are counted in a window of {@code interval} that begins when the tracker is
 * made (so make it when the task first starts) and begins again at the first failure after it has ended. Within the
 * window the task is restarted after {@code delay} up to {@code attempts} times; one more failure fails the task
 * ({@code mode = "fail"}) or restarts it once the window has ended, with a fresh count ({@code mode = "delay"}). A
 * batch or sysbatch task that exits 0 is complete; a service task is restarted even after exit 0, as Nomad restarts
 * anything a service runs. Nomad adds up to 25% random jitter to {@code delay}; this tracker does not, so its decisions
 * follow from its clock alone.
 *
 * <p>Not thread-safe: its owner (the task's runner) calls it from one thread at a time.
 */
public final class RestartTracker {
    /** Nomad's task event type for a restart on its way ({@code structs.TaskRestarting}). */
    public static final String RESTARTING = "Restarting";
    /** Nomad's task event type for a task the policy lets die ({@code structs.TaskNotRestarting}). */
    public static final String NOT_RESTARTING = "Not Restarting";

    /** Nomad's restart reasons, which its events carry as {@code RestartReason}. */
    static final String REASON_WITHIN_POLICY = "Restart within policy";
    static final String REASON_DELAY = "Exceeded allowed attempts, applying a delay";
    static final String REASON_NO_RESTARTS = "Policy allows no restarts";
    static final String REASON_UNRECOVERABLE = "Error was unrecoverable";
    static final String REASON_SUCCESS = "Restart unnecessary as task terminated successfully";

    private final RestartPolicy policy;
    private final boolean restartOnSuccess;
    private final Clock clock;
    private Instant windowStart;
    private int count;

    /**
     * Starts the first window now.
     *
     * @param policy the task's effective policy ({@code TaskSpec.restart()})
     * @param jobType the job's type, one of {@link JobSpec#TYPES}: only {@code service} tasks restart after exit 0
     * @param clock the clock windows are measured with
     */
    public RestartTracker(RestartPolicy policy, String jobType, Clock clock) {
        this.policy = requireNonNull(policy, "policy is null");
        requireNonNull(jobType, "jobType is null");
        if (!JobSpec.TYPES.contains(jobType)) {
            throw new IllegalArgumentException("unknown job type \"" + jobType + "\"");
        }
        this.restartOnSuccess = jobType.equals("service");
        this.clock = requireNonNull(clock, "clock is null");
        this.windowStart = clock.instant();
    }

    /**
     * Decides after the task's process has ended.
     *
     * @param exitCode its exit code (0 is success; a task ended by a signal it did not ask for is a failure)
     * @param killed whether the agent stopped it on purpose (job stopped or replaced, agent shutting down): then
     *     nothing is counted and it is never restarted
     * @return what to do
     */
    public Decision next(int exitCode, boolean killed) {
        if (killed) {
            return new Decision(Decision.Action.KILLED, Duration.ZERO, "");
        }
        return decide(exitCode == 0, false);
    }

    /**
     * Decides after the task failed to start (the driver refused or could not launch it).
     *
     * @param recoverable whether trying again could succeed (Nomad's {@code structs.IsRecoverable}); if not, the
     *     task fails at once
     * @return what to do
     */
    public Decision startFailed(boolean recoverable) {
        return decide(false, !recoverable);
    }

    private Decision decide(boolean successful, boolean unrecoverable) {
        if (policy.attempts() == 0) {
            if (successful && !restartOnSuccess) {
                return new Decision(Decision.Action.COMPLETE, Duration.ZERO, REASON_NO_RESTARTS);
            }
            return new Decision(Decision.Action.FAIL, Duration.ZERO, REASON_NO_RESTARTS);
        }
        Instant now = clock.instant();
        Instant windowEnd = windowStart.plus(policy.interval());
        // Nomad starts a new window only strictly after the end; at the very end, a delay of zero would be given
        // without the count being reset, so the end itself already belongs to the next window here.
        if (!now.isBefore(windowEnd)) {
            count = 0;
            windowStart = now;
            windowEnd = now.plus(policy.interval());
        }
        count++;
        if (unrecoverable) {
            return new Decision(Decision.Action.FAIL, Duration.ZERO, REASON_UNRECOVERABLE);
        }
        if (successful && !restartOnSuccess) {
            return new Decision(Decision.Action.COMPLETE, Duration.ZERO, REASON_SUCCESS);
        }
        if (count > policy.attempts()) {
            if (policy.mode() == RestartPolicy.Mode.FAIL) {
                return new Decision(Decision.Action.FAIL, Duration.ZERO, "Exceeded allowed attempts "
                        + policy.attempts() + " in interval " + GoDuration.format(policy.interval())
                        + " and mode is \"fail\"");
            }
            // The count starts again at the next decision, which comes after the window's end.
            return new Decision(Decision.Action.RESTART, Duration.between(now, windowEnd), REASON_DELAY);
        }
        return new Decision(Decision.Action.RESTART, policy.delay(), REASON_WITHIN_POLICY);
    }

    /**
     * What to do with a task that ended.
     *
     * @param action restart it, fail it, let it be complete, or leave it stopped
     * @param delay for {@link Action#RESTART}, how long to wait before starting it again; zero otherwise
     * @param reason Nomad's {@code RestartReason}, empty for {@link Action#KILLED}
     */
    public record Decision(Action action, Duration delay, String reason) {
        /** What happens to the task. */
        public enum Action {
            /** Start it again after {@link #delay()}; the task is pending meanwhile. */
            RESTART,
            /** Do not start it again: it failed (Nomad's {@code FailsTask}). */
            FAIL,
            /** Do not start it again: a batch task that succeeded. */
            COMPLETE,
            /** Do not start it again: the agent stopped it on purpose. */
            KILLED
        }

        /** Checks the arguments. */
        public Decision {
            requireNonNull(action, "action is null");
            requireNonNull(delay, "delay is null");
            requireNonNull(reason, "reason is null");
            if (delay.isNegative() || (action != Action.RESTART && !delay.isZero())) {
                throw new IllegalArgumentException("a delay is only for a restart, and not negative");
            }
        }

        /**
         * @return the task event to record, Nomad's type ({@link #RESTARTING}, {@link #NOT_RESTARTING}); empty when
         *     the decision needs none (a completed task's exit already has its {@code Terminated} event, a killed
         *     one its {@code Killed} event)
         */
        public Optional<String> eventType() {
            return switch (action) {
                case RESTART -> Optional.of(RESTARTING);
                case FAIL -> Optional.of(NOT_RESTARTING);
                case COMPLETE, KILLED -> Optional.empty();
            };
        }

        /**
         * @return the event's {@code DisplayMessage} as Nomad words it: {@code Task restarting in 15s}, prefixed with
         *     the reason when that is not the usual one ({@code Exceeded allowed attempts, applying a delay - Task
         *     restarting in 29m45s}); for a failure the reason itself ({@code Exceeded allowed attempts 2 in interval
         *     30m0s and mode is "fail"}); empty when there is no event
         */
        public String displayMessage() {
            return switch (action) {
                case RESTART -> {
                    String in = "Task restarting in " + GoDuration.format(delay);
                    yield reason.equals(REASON_WITHIN_POLICY) ? in : reason + " - " + in;
                }
                case FAIL -> reason;
                case COMPLETE, KILLED -> "";
            };
        }
    }
}
