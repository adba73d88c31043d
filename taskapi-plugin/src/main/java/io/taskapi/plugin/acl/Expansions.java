package io.taskapi.plugin.acl;

import static io.taskapi.plugin.acl.NamespaceCapability.ALLOC_EXEC;
import static io.taskapi.plugin.acl.NamespaceCapability.ALLOC_LIFECYCLE;
import static io.taskapi.plugin.acl.NamespaceCapability.CSI_LIST_VOLUME;
import static io.taskapi.plugin.acl.NamespaceCapability.CSI_MOUNT_VOLUME;
import static io.taskapi.plugin.acl.NamespaceCapability.CSI_READ_VOLUME;
import static io.taskapi.plugin.acl.NamespaceCapability.CSI_WRITE_VOLUME;
import static io.taskapi.plugin.acl.NamespaceCapability.DENY;
import static io.taskapi.plugin.acl.NamespaceCapability.DISPATCH_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_CREATE;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_DELETE;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_READ;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_REGISTER;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_WRITE;
import static io.taskapi.plugin.acl.NamespaceCapability.LIST_JOBS;
import static io.taskapi.plugin.acl.NamespaceCapability.LIST_SCALING_POLICIES;
import static io.taskapi.plugin.acl.NamespaceCapability.PARSE_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_FS;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_JOB_SCALING;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_LOGS;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_SCALING_POLICY;
import static io.taskapi.plugin.acl.NamespaceCapability.SCALE_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.SUBMIT_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.SUBMIT_RECOMMENDATION;

import java.util.EnumSet;
import java.util.Set;

/**
 * What each {@code policy = "…"} shorthand and each implying capability grants. One place, to compare line by line
 * with Nomad's {@code acl/policy.go} ({@code expand*Policy}, {@code expandNamespaceCapabilities},
 * {@code expandVariablesCapabilities}).
 */
final class Expansions {
    private static final Set<NamespaceCapability> NAMESPACE_READ = EnumSet.of(LIST_JOBS, PARSE_JOB, READ_JOB,
            CSI_LIST_VOLUME, CSI_READ_VOLUME, READ_JOB_SCALING, LIST_SCALING_POLICIES, READ_SCALING_POLICY,
            HOST_VOLUME_READ);
    private static final Set<NamespaceCapability> NAMESPACE_WRITE_EXTRA = EnumSet.of(SCALE_JOB, SUBMIT_JOB,
            DISPATCH_JOB, READ_LOGS, READ_FS, ALLOC_EXEC, ALLOC_LIFECYCLE, CSI_MOUNT_VOLUME, CSI_WRITE_VOLUME,
            SUBMIT_RECOMMENDATION, HOST_VOLUME_CREATE);
    private static final Set<NamespaceCapability> NAMESPACE_SCALE = EnumSet.of(LIST_SCALING_POLICIES,
            READ_SCALING_POLICY, READ_JOB_SCALING, SCALE_JOB, READ_JOB, SUBMIT_RECOMMENDATION);

    private Expansions() {}

    /** Nomad's {@code expandNamespacePolicy}. Write is read plus more; scale is its own set. */
    static Set<NamespaceCapability> namespacePolicy(PolicyDisposition policy) {
        switch (policy) {
            case DENY:
                return EnumSet.of(DENY);
            case READ:
                return EnumSet.copyOf(NAMESPACE_READ);
            case WRITE: {
                Set<NamespaceCapability> write = EnumSet.copyOf(NAMESPACE_READ);
                write.addAll(NAMESPACE_WRITE_EXTRA);
                return write;
            }
            case SCALE:
                return EnumSet.copyOf(NAMESPACE_SCALE);
            default:
                throw new IllegalArgumentException(policy + " is not a namespace policy");
        }
    }

    /**
     * Nomad's {@code expandNamespaceCapabilities}: host-volume-write implies register, create, delete and read;
     * register implies create and read; create implies read. One pass is the closure, as each implied set is closed.
     */
    static Set<NamespaceCapability> withImpliedNamespaceCapabilities(Set<NamespaceCapability> capabilities) {
        Set<NamespaceCapability> out = capabilities.isEmpty()
                ? EnumSet.noneOf(NamespaceCapability.class) : EnumSet.copyOf(capabilities);
        if (capabilities.contains(HOST_VOLUME_WRITE)) {
            out.addAll(EnumSet.of(HOST_VOLUME_REGISTER, HOST_VOLUME_CREATE, HOST_VOLUME_DELETE, HOST_VOLUME_READ));
        }
        if (capabilities.contains(HOST_VOLUME_REGISTER)) {
            out.addAll(EnumSet.of(HOST_VOLUME_CREATE, HOST_VOLUME_READ));
        }
        if (capabilities.contains(HOST_VOLUME_CREATE)) {
            out.add(HOST_VOLUME_READ);
        }
        return out;
    }

    /** Nomad's {@code expandVariablesCapabilities}: deny alone wins inside one path block; read implies list. */
    static Set<VariableCapability> variableCapabilities(Set<VariableCapability> capabilities) {
        if (capabilities.contains(VariableCapability.DENY)) {
            return EnumSet.of(VariableCapability.DENY);
        }
        Set<VariableCapability> out = capabilities.isEmpty()
                ? EnumSet.noneOf(VariableCapability.class) : EnumSet.copyOf(capabilities);
        if (out.contains(VariableCapability.READ)) {
            out.add(VariableCapability.LIST);
        }
        return out;
    }

    /** Nomad's {@code expandNodePoolPolicy}; scale parses but grants nothing. */
    static Set<NodePoolCapability> nodePoolPolicy(PolicyDisposition policy) {
        switch (policy) {
            case DENY:
                return EnumSet.of(NodePoolCapability.DENY);
            case READ:
                return EnumSet.of(NodePoolCapability.READ);
            case WRITE:
                return EnumSet.of(NodePoolCapability.DELETE, NodePoolCapability.READ, NodePoolCapability.WRITE);
            default:
                return EnumSet.noneOf(NodePoolCapability.class);
        }
    }

    /** Nomad's {@code expandHostVolumePolicy}; scale parses but grants nothing. */
    static Set<HostVolumeCapability> hostVolumePolicy(PolicyDisposition policy) {
        switch (policy) {
            case DENY:
                return EnumSet.of(HostVolumeCapability.DENY);
            case READ:
                return EnumSet.of(HostVolumeCapability.MOUNT_READONLY);
            case WRITE:
                return EnumSet.of(HostVolumeCapability.MOUNT_READONLY, HostVolumeCapability.MOUNT_READWRITE);
            default:
                return EnumSet.noneOf(HostVolumeCapability.class);
        }
    }

    /** Nomad's {@code expandOperatorPolicy}; scale parses but grants nothing. */
    static Set<OperatorCapability> operatorPolicy(PolicyDisposition policy) {
        switch (policy) {
            case DENY:
                return EnumSet.of(OperatorCapability.DENY);
            case READ:
                return EnumSet.of(OperatorCapability.LICENSE_READ, OperatorCapability.KEYRING_READ);
            case WRITE:
                return EnumSet.of(OperatorCapability.SNAPSHOT_SAVE, OperatorCapability.LICENSE_READ,
                        OperatorCapability.KEYRING_ROTATE, OperatorCapability.KEYRING_READ,
                        OperatorCapability.KEYRING_DELETE);
            default:
                return EnumSet.noneOf(OperatorCapability.class);
        }
    }

    /** Nomad's {@code expandSentinelPolicy}; scale parses but grants nothing. */
    static Set<SentinelCapability> sentinelPolicy(PolicyDisposition policy) {
        switch (policy) {
            case DENY:
                return EnumSet.of(SentinelCapability.DENY);
            case READ:
                return EnumSet.of(SentinelCapability.SENTINEL_READ);
            case WRITE:
                return EnumSet.of(SentinelCapability.SENTINEL_READ, SentinelCapability.SENTINEL_SUBMIT,
                        SentinelCapability.SENTINEL_DELETE);
            default:
                return EnumSet.noneOf(SentinelCapability.class);
        }
    }
}
