package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a token may do inside a namespace ({@code namespace "…" { capabilities = [...] }}): Nomad's {@code
 * NamespaceCapability*} constants, in Nomad's order. {@link #DENY} is not an operation: it marks a denied
 * namespace.
 */
public enum NamespaceCapability implements Capability {
    /** {@code deny}. */
    DENY("deny"),
    /** {@code list-jobs}. */
    LIST_JOBS("list-jobs"),
    /** {@code parse-job}. */
    PARSE_JOB("parse-job"),
    /** {@code read-job}. */
    READ_JOB("read-job"),
    /** {@code submit-job}. */
    SUBMIT_JOB("submit-job"),
    /** {@code dispatch-job}. */
    DISPATCH_JOB("dispatch-job"),
    /** {@code read-logs}. */
    READ_LOGS("read-logs"),
    /** {@code read-fs}. */
    READ_FS("read-fs"),
    /** {@code alloc-exec}. */
    ALLOC_EXEC("alloc-exec"),
    /** {@code alloc-node-exec}. */
    ALLOC_NODE_EXEC("alloc-node-exec"),
    /** {@code alloc-lifecycle}. */
    ALLOC_LIFECYCLE("alloc-lifecycle"),
    /** {@code sentinel-override}. */
    SENTINEL_OVERRIDE("sentinel-override"),
    /** {@code csi-register-plugin}. */
    CSI_REGISTER_PLUGIN("csi-register-plugin"),
    /** {@code csi-write-volume}. */
    CSI_WRITE_VOLUME("csi-write-volume"),
    /** {@code csi-read-volume}. */
    CSI_READ_VOLUME("csi-read-volume"),
    /** {@code csi-list-volume}. */
    CSI_LIST_VOLUME("csi-list-volume"),
    /** {@code csi-mount-volume}. */
    CSI_MOUNT_VOLUME("csi-mount-volume"),
    /** {@code host-volume-create}. */
    HOST_VOLUME_CREATE("host-volume-create"),
    /** {@code host-volume-register}. */
    HOST_VOLUME_REGISTER("host-volume-register"),
    /** {@code host-volume-read}. */
    HOST_VOLUME_READ("host-volume-read"),
    /** {@code host-volume-write}. */
    HOST_VOLUME_WRITE("host-volume-write"),
    /** {@code host-volume-delete}. */
    HOST_VOLUME_DELETE("host-volume-delete"),
    /** {@code list-scaling-policies}. */
    LIST_SCALING_POLICIES("list-scaling-policies"),
    /** {@code read-scaling-policy}. */
    READ_SCALING_POLICY("read-scaling-policy"),
    /** {@code read-job-scaling}. */
    READ_JOB_SCALING("read-job-scaling"),
    /** {@code scale-job}. */
    SCALE_JOB("scale-job"),
    /** {@code submit-recommendation}. */
    SUBMIT_RECOMMENDATION("submit-recommendation"),
    /** {@code register-job}. */
    REGISTER_JOB("register-job"),
    /** {@code revert-job}. */
    REVERT_JOB("revert-job"),
    /** {@code deregister-job}. */
    DEREGISTER_JOB("deregister-job"),
    /** {@code purge-job}. */
    PURGE_JOB("purge-job"),
    /** {@code evaluate-job}. */
    EVALUATE_JOB("evaluate-job"),
    /** {@code plan-job}. */
    PLAN_JOB("plan-job"),
    /** {@code tag-job-version}. */
    TAG_JOB_VERSION("tag-job-version"),
    /** {@code stable-job}. */
    STABLE_JOB("stable-job"),
    /** {@code fail-deployment}. */
    FAIL_DEPLOYMENT("fail-deployment"),
    /** {@code pause-deployment}. */
    PAUSE_DEPLOYMENT("pause-deployment"),
    /** {@code promote-deployment}. */
    PROMOTE_DEPLOYMENT("promote-deployment"),
    /** {@code unblock-deployment}. */
    UNBLOCK_DEPLOYMENT("unblock-deployment"),
    /** {@code cancel-deployment}. */
    CANCEL_DEPLOYMENT("cancel-deployment"),
    /** {@code set-alloc-health-deployment}. */
    SET_ALLOC_HEALTH_DEPLOYMENT("set-alloc-health-deployment"),
    /** {@code gc-allocation}. */
    GC_ALLOCATION("gc-allocation"),
    /** {@code pause-allocation}. */
    PAUSE_ALLOCATION("pause-allocation"),
    /** {@code force-periodic-job}. */
    FORCE_PERIODIC_JOB("force-periodic-job"),
    /** {@code delete-service-registration}. */
    DELETE_SERVICE_REGISTRATION("delete-service-registration");

    private static final Map<String, NamespaceCapability> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(NamespaceCapability::wireName, Function.identity()));

    private final String wireName;

    NamespaceCapability(String wireName) {
        this.wireName = wireName;
    }

    /**
     * @param wireName the name as a policy writes it
     * @return the capability, if there is one by that name
     */
    public static Optional<NamespaceCapability> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(requireNonNull(wireName, "wireName is null")));
    }

    @Override
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
