package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A task group: {@code count} allocations, each running every task of the group.
 *
 * @param name the group's name, unique in its job
 * @param count how many allocations to run
 * @param tasks the tasks, at least one
 * @param restart the group's {@code restart} block over the job type's defaults; each task's own policy is
 *     {@link TaskSpec#restart()}, which is this one unless the task has a {@code restart} block of its own
 */
public record GroupSpec(String name, int count, List<TaskSpec> tasks, RestartPolicy restart) {
    /** Copies the tasks and checks the count. */
    public GroupSpec {
        requireNonNull(name, "name is null");
        tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
        requireNonNull(restart, "restart is null");
        if (count < 0) {
            throw new IllegalArgumentException("count is negative");
        }
    }
}
