package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.api.AgentRouteException;
import io.taskapi.spi.api.ExecTarget;
import io.taskapi.spi.api.TaskExecutor;
import io.taskapi.spi.driver.ExecCommand;
import io.taskapi.spi.driver.ExecProcess;
import io.taskapi.spi.driver.FilesystemIsolation;
import io.taskapi.spi.driver.RunningTask;
import io.taskapi.spi.driver.TaskDriverException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of {@code alloc exec}: finds an allocation's task among the ones this agent runs and hands the
 * operator's command to the task's driver ({@link RunningTask#exec}). The plugin has checked the operator's credential
 * before, and checks their capabilities in the namespace this returns.
 */
final class TaskExec implements TaskExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(TaskExec.class);

    private final AllocationStore allocations;
    private final JobScheduler scheduler;

    TaskExec(AllocationStore allocations, JobScheduler scheduler) {
        this.allocations = requireNonNull(allocations, "allocations is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    @Override
    public ExecTarget find(String allocationId, String task) throws AgentRouteException {
        Allocation allocation = allocations.find(allocationId).orElseThrow(() ->
                new AgentRouteException(404, "Unknown allocation \"" + allocationId + "\""));
        if (!allocation.taskNames().contains(task)) {
            throw new AgentRouteException(404, "task \"" + task + "\" not found in allocation");
        }
        TaskRunner runner = scheduler.runner(allocationId, task).orElseThrow(() ->
                new AgentRouteException(400, "task \"" + task + "\" is not running"));
        return new ExecTarget() {
            @Override
            public String namespace() {
                return allocation.namespace();
            }

            @Override
            public FilesystemIsolation isolation() {
                return runner.isolation();
            }

            @Override
            public boolean canExec() {
                return runner.running().map(RunningTask::canExec).orElse(true);
            }

            @Override
            public ExecProcess start(ExecCommand command) throws AgentRouteException {
                Optional<RunningTask> running = runner.running();
                if (running.isEmpty() || allocation.clientStatus().terminal()) {
                    throw new AgentRouteException(400, "task \"" + task + "\" is not running");
                }
                try {
                    ExecProcess process = running.get().exec(command);
                    // The program only: its arguments may hold what the operator typed.
                    LOG.info("alloc exec in task {} of allocation {}: {} (tty: {})", task, allocationId,
                            command.argv().get(0), command.tty());
                    return process;
                } catch (TaskDriverException e) {
                    throw new AgentRouteException(500, e.getMessage());
                }
            }
        };
    }
}
