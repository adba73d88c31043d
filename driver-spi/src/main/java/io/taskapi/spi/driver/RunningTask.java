package io.taskapi.spi.driver;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** A task a driver started. */
public interface RunningTask {
    /** @return the driver's id for the task (a pid, a container id) */
    String id();

    /**
     * @return completes once the task has ended, with how it ended; read-only for the caller (the driver completes it)
     */
    CompletionStage<TaskExit> exit();

    /**
     * Stops the task: asks it to end, and kills it after the grace period. Returns once it has ended.
     *
     * @param grace how long the task may take to end by itself
     */
    void stop(Duration grace);
}
