package io.taskapi.spi.state;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A named ACL policy: rules in Nomad's policy language, optionally bound to a job's workload identities.
 *
 * @param name the policy's name
 * @param description free text
 * @param rules the policy document (HCL or JSON), exactly as submitted
 * @param jobAcl the job (group, task) whose workload identities get this policy, if any
 * @param createIndex the store's index when the policy was first written (0 before it is stored)
 * @param modifyIndex the store's index when it was last written (0 before it is stored)
 */
public record AclPolicy(String name, String description, String rules, Optional<JobAcl> jobAcl, long createIndex,
                        long modifyIndex) {
    /**
     * Checks that nothing is missing.
     *
     * @param name see the record component of that name
     * @param description see the record component of that name
     * @param rules see the record component of that name
     * @param jobAcl see the record component of that name
     * @param createIndex see the record component of that name
     * @param modifyIndex see the record component of that name
     */
    public AclPolicy {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(rules, "rules is null");
        requireNonNull(jobAcl, "jobAcl is null");
    }

    /**
     * @param createIndex the index of the first write
     * @param modifyIndex the index of this write
     * @return this policy with the store's indexes
     */
    public AclPolicy withIndexes(long createIndex, long modifyIndex) {
        return new AclPolicy(name, description, rules, jobAcl, createIndex, modifyIndex);
    }
}
