package io.taskapi.spi.driver;

/**
 * How a task ended. Drivers make one with {@link #exited(int)} or {@link #killed(int)}.
 */
public final class TaskExit {
    private final int exitCode;
    private final boolean killed;

    private TaskExit(int exitCode, boolean killed) {
        this.exitCode = exitCode;
        this.killed = killed;
    }

    /**
     * @param exitCode the process's exit code (128 + n when a signal n ended it)
     * @return a task that ended by itself
     */
    public static TaskExit exited(int exitCode) {
        return new TaskExit(exitCode, false);
    }

    /**
     * @param exitCode the process's exit code after the kill (128 + 9 for {@code SIGKILL}, say)
     * @return a task the driver had to kill
     */
    public static TaskExit killed(int exitCode) {
        return new TaskExit(exitCode, true);
    }

    /** @return the process's exit code (128 + n when a signal n ended it) */
    public int exitCode() {
        return exitCode;
    }

    /** @return whether the driver had to kill it */
    public boolean killed() {
        return killed;
    }

    /** @return whether the task ended by itself with code 0 */
    public boolean successful() {
        return exitCode == 0 && !killed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskExit other && exitCode == other.exitCode && killed == other.killed;
    }

    @Override
    public int hashCode() {
        return exitCode * 2 + (killed ? 1 : 0);
    }

    @Override
    public String toString() {
        return "TaskExit[exitCode=" + exitCode + ", killed=" + killed + "]";
    }
}
