package io.taskapi.spi.driver;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A command an operator runs inside a running task (Nomad's {@code alloc exec}): in the task's context, as its user,
 * in its working directory, with its environment, and inside its isolation (container, chroot) where it has one.
 *
 * @param argv the program and its arguments; the program is looked up in the task's {@code PATH}
 * @param tty whether the command gets a terminal (then its output arrives on {@link ExecProcess#stdout()} only)
 */
public record ExecCommand(List<String> argv, boolean tty) {
    /**
     * Checks and copies the command.
     *
     * @param argv see the record component of that name
     * @param tty see the record component of that name
     */
    public ExecCommand {
        argv = List.copyOf(requireNonNull(argv, "argv is null"));
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
    }
}
