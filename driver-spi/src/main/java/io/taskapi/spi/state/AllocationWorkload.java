package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * What an allocation runs, as its workload identities name it. The plugin compares every workload identity's
 * {@code nomad_namespace}, {@code nomad_job_id}, {@code nomad_task} (and the group inside {@code sub}) with this, so
 * that a token whose signature verifies still cannot carry another job's claims onto a live allocation.
 *
 * @param namespace the job's namespace
 * @param jobId the job id its workload identities carry (the parent job's id for periodic and dispatch children)
 * @param group the allocation's task group
 * @param tasks the names of the group's tasks
 */
public record AllocationWorkload(String namespace, String jobId, String group, Set<String> tasks) {
    /**
     * Copies the task names and checks that nothing is missing or blank.
     *
     * @param namespace see the record component of that name
     * @param jobId see the record component of that name
     * @param group see the record component of that name
     * @param tasks see the record component of that name
     */
    public AllocationWorkload {
        requireNonBlank(namespace, "namespace");
        requireNonBlank(jobId, "jobId");
        requireNonBlank(group, "group");
        tasks = Set.copyOf(requireNonNull(tasks, "tasks is null"));
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("an allocation runs at least one task");
        }
        tasks.forEach(task -> requireNonBlank(task, "task"));
    }

    private static void requireNonBlank(String value, String what) {
        requireNonNull(value, what + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
    }
}
