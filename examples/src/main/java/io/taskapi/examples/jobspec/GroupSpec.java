package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A task group: {@code count} allocations, each running every task of the group.
 *
 * @param name the group's name, unique in its job
 * @param count how many allocations to run
 * @param tasks the tasks, at least one
 */
public record GroupSpec(String name, int count, List<TaskSpec> tasks) {
    /** Copies the tasks and checks the count. */
    public GroupSpec {
        requireNonNull(name, "name is null");
        tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
        if (count < 0) {
            throw new IllegalArgumentException("count is negative");
        }
    }
}
