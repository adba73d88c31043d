package io.taskapi.spi.driver;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletionStage;

/**
 * A command running inside a task, started by {@link RunningTask#exec}. The caller reads both output streams to
 * their end and closes {@link #stdin()} when its input ends; {@link #kill()} ends the command early (the operator went
 * away). The task itself is never affected by what happens to the command.
 */
public interface ExecProcess {
    /** @return the command's standard input */
    OutputStream stdin();

    /** @return the command's standard output (with a terminal: everything the terminal shows) */
    InputStream stdout();

    /** @return the command's standard error; empty with a terminal */
    InputStream stderr();

    /**
     * Resizes the command's terminal; nothing without one.
     *
     * @param height rows
     * @param width columns
     */
    default void resize(int height, int width) {
    }

    /** @return completes with the command's exit code once it has ended (128 + n after signal n) */
    CompletionStage<Integer> exitCode();

    /** Ends the command (and what it started) now; safe to call more than once and after it ended. */
    void kill();
}
