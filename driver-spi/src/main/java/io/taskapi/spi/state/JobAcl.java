package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

/**
 * Binds a policy to workload identities, as Nomad's {@code JobACL} does: of one job (optionally one group, optionally
 * one task of that group), or of every job in a namespace when the job id is empty.
 *
 * @param namespace the namespace; required
 * @param jobId the job id, or empty for every job in the namespace
 * @param group the task group, or empty for every group; requires a job id
 * @param task the task, or empty for every task; requires a group
 */
public record JobAcl(String namespace, String jobId, String group, String task) {
    /**
     * Checks Nomad's rules: a namespace is required, a group needs a job, a task needs a group.
     *
     * @param namespace see the record component of that name
     * @param jobId see the record component of that name
     * @param group see the record component of that name
     * @param task see the record component of that name
     */
    public JobAcl {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(group, "group is null");
        requireNonNull(task, "task is null");
        if (namespace.isEmpty()) {
            throw new IllegalArgumentException("a job ACL needs a namespace");
        }
        if (jobId.isEmpty() && !group.isEmpty()) {
            throw new IllegalArgumentException("a job ACL with a group needs a job id");
        }
        if (group.isEmpty() && !task.isEmpty()) {
            throw new IllegalArgumentException("a job ACL with a task needs a group");
        }
    }

    /**
     * Whether a workload identity of this job, group and task in this namespace gets the policy.
     *
     * @param namespace the identity's namespace
     * @param jobId the identity's job id (the parent's for periodic and dispatch children)
     * @param group the identity's task group
     * @param task the identity's task
     * @return whether the binding covers it
     */
    public boolean covers(String namespace, String jobId, String group, String task) {
        if (!this.namespace.equals(namespace)) {
            return false;
        }
        if (this.jobId.isEmpty()) {
            return true;
        }
        if (!this.jobId.equals(jobId)) {
            return false;
        }
        if (this.group.isEmpty()) {
            return true;
        }
        return this.group.equals(group) && (this.task.isEmpty() || this.task.equals(task));
    }
}
