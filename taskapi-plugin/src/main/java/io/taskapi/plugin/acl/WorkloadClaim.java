package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

/**
 * Who a workload identity speaks for, as far as variables go (Nomad's {@code acl.ACLClaim}). It grants read and list,
 * without any policy, on {@code nomad/jobs}, {@code nomad/jobs/<job>}, {@code nomad/jobs/<job>/<group>} and
 * {@code nomad/jobs/<job>/<group>/<task>} in its own namespace.
 *
 * @param namespace the allocation's namespace
 * @param jobId the job ID the identity is for: the parent's ID for periodic and dispatched jobs (Nomad's
 *     {@code GetIDforWorkloadIdentity})
 * @param group the task group
 * @param task the task
 */
public record WorkloadClaim(String namespace, String jobId, String group, String task) {
    /** Checks that every part is present: an empty part would grant a path such as {@code nomad/jobs/j/}. */
    public WorkloadClaim {
        nonEmpty(namespace, "namespace");
        nonEmpty(jobId, "jobId");
        nonEmpty(group, "group");
        nonEmpty(task, "task");
    }

    /**
     * @param ns the request's namespace
     * @param path the variable path
     * @return whether the claim alone grants read and list there
     */
    boolean grantsImplicitAccess(String ns, String path) {
        if (!ns.equals(namespace) || !path.startsWith("nomad/jobs")) {
            return false;
        }
        String jobPath = "nomad/jobs/" + jobId;
        String groupPath = jobPath + "/" + group;
        return path.equals("nomad/jobs") || path.equals(jobPath) || path.equals(groupPath)
                || path.equals(groupPath + "/" + task);
    }

    private static void nonEmpty(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
    }
}
