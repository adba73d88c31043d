package io.taskapi.examples.jobspec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A job as a job file or the API's JSON declares it.
 *
 * @param id the job's id (the label of the {@code job} block)
 * @param type {@code batch}, {@code service} or {@code sysbatch}: batch-like jobs end when their tasks exit
 * @param namespace the namespace, {@code default} unless set
 * @param region the region, {@code global} unless set
 * @param datacenters where it may run; {@code ["*"]} (anywhere) unless set
 * @param groups the task groups, at least one
 */
public record JobSpec(String id, String type, String namespace, String region, List<String> datacenters,
                      List<GroupSpec> groups) {
    /** The job types this agent runs. */
    public static final List<String> TYPES = List.of("batch", "service", "sysbatch");

    /** Copies the lists and checks that nothing is missing. */
    public JobSpec {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(region, "region is null");
        datacenters = List.copyOf(requireNonNull(datacenters, "datacenters is null"));
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
    }

    /** @return whether the job ends once its tasks have exited (batch and sysbatch), rather than running on */
    public boolean batch() {
        return !type.equals("service");
    }
}
