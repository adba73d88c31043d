package io.taskapi.spi.api;

import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import io.taskapi.spi.driver.FilesystemIsolation;

/** A running task an operator may run a command in, found by {@link TaskExecutor#find}. */
public interface ExecTarget {
    /** @return the allocation's namespace: where the operator's capabilities are checked */
    String namespace();

    /** @return how the task's driver isolates it: {@link FilesystemIsolation#NONE} needs {@code alloc-node-exec} */
    FilesystemIsolation isolation();

    /** @return whether the task's driver can run commands in it */
    boolean canExec();

    /**
     * Starts the command in the task.
     *
     * @param command what to run
     * @return the running command
     * @throws AgentRouteException when it cannot start (the task ended meanwhile, the driver failed), with a message
     *     for the operator
     */
    ExecProcess start(ExecCommand command) throws AgentRouteException;
}
