package io.taskapi.spi.driver;

/**
 * How a task ended.
 *
 * @param exitCode the process's exit code (128 + n when a signal n ended it)
 * @param killed whether the driver had to kill it
 */
public record TaskExit(int exitCode, boolean killed) {
    /** @return whether the task ended by itself with code 0 */
    public boolean successful() {
        return exitCode == 0 && !killed;
    }
}
