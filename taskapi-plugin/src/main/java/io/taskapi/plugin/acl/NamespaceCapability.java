package io.taskapi.plugin.acl;

import java.util.Optional;

/**
 * What a token may do inside a namespace ({@code namespace "…" { capabilities = [...] }}): Nomad's {@code
 * NamespaceCapability*} constants, in Nomad's order. {@link #DENY} is not an operation: it marks a denied
 * namespace.
 */
public enum NamespaceCapability implements Capability {
    /** {@code deny}. */
    DENY,
    /** {@code list-jobs}. */
    LIST_JOBS,
    /** {@code parse-job}. */
    PARSE_JOB,
    /** {@code read-job}. */
    READ_JOB,
    /** {@code submit-job}. */
    SUBMIT_JOB,
    /** {@code dispatch-job}. */
    DISPATCH_JOB,
    /** {@code read-logs}. */
    READ_LOGS,
    /** {@code read-fs}. */
    READ_FS,
    /** {@code alloc-exec}. */
    ALLOC_EXEC,
    /** {@code alloc-node-exec}. */
    ALLOC_NODE_EXEC,
    /** {@code alloc-lifecycle}. */
    ALLOC_LIFECYCLE,
    /** {@code sentinel-override}. */
    SENTINEL_OVERRIDE,
    /** {@code csi-register-plugin}. */
    CSI_REGISTER_PLUGIN,
    /** {@code csi-write-volume}. */
    CSI_WRITE_VOLUME,
    /** {@code csi-read-volume}. */
    CSI_READ_VOLUME,
    /** {@code csi-list-volume}. */
    CSI_LIST_VOLUME,
    /** {@code csi-mount-volume}. */
    CSI_MOUNT_VOLUME,
    /** {@code host-volume-create}. */
    HOST_VOLUME_CREATE,
    /** {@code host-volume-register}. */
    HOST_VOLUME_REGISTER,
    /** {@code host-volume-read}. */
    HOST_VOLUME_READ,
    /** {@code host-volume-write}. */
    HOST_VOLUME_WRITE,
    /** {@code host-volume-delete}. */
    HOST_VOLUME_DELETE,
    /** {@code list-scaling-policies}. */
    LIST_SCALING_POLICIES,
    /** {@code read-scaling-policy}. */
    READ_SCALING_POLICY,
    /** {@code read-job-scaling}. */
    READ_JOB_SCALING,
    /** {@code scale-job}. */
    SCALE_JOB,
    /** {@code submit-recommendation}. */
    SUBMIT_RECOMMENDATION,
    /** {@code register-job}. */
    REGISTER_JOB,
    /** {@code revert-job}. */
    REVERT_JOB,
    /** {@code deregister-job}. */
    DEREGISTER_JOB,
    /** {@code purge-job}. */
    PURGE_JOB,
    /** {@code evaluate-job}. */
    EVALUATE_JOB,
    /** {@code plan-job}. */
    PLAN_JOB,
    /** {@code tag-job-version}. */
    TAG_JOB_VERSION,
    /** {@code stable-job}. */
    STABLE_JOB,
    /** {@code fail-deployment}. */
    FAIL_DEPLOYMENT,
    /** {@code pause-deployment}. */
    PAUSE_DEPLOYMENT,
    /** {@code promote-deployment}. */
    PROMOTE_DEPLOYMENT,
    /** {@code unblock-deployment}. */
    UNBLOCK_DEPLOYMENT,
    /** {@code cancel-deployment}. */
    CANCEL_DEPLOYMENT,
    /** {@code set-alloc-health-deployment}. */
    SET_ALLOC_HEALTH_DEPLOYMENT,
    /** {@code gc-allocation}. */
    GC_ALLOCATION,
    /** {@code pause-allocation}. */
    PAUSE_ALLOCATION,
    /** {@code force-periodic-job}. */
    FORCE_PERIODIC_JOB,
    /** {@code delete-service-registration}. */
    DELETE_SERVICE_REGISTRATION;

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<NamespaceCapability> fromWireName(String wireName) {
        return Capability.fromWireName(NamespaceCapability.class, wireName);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
