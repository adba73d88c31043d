package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.Sets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One parsed ACL policy (Nomad's {@code acl.Policy}): its rules in source order, each with its shorthand
 * {@code policy} and its effective capabilities (the shorthand's expansion, the written capabilities and the implied
 * ones). Deny is kept as written here; {@link Acl} applies it when policies are merged. Rules with the same label may
 * appear more than once, as Nomad allows; {@link Acl} merges them.
 *
 * @param namespaces {@code namespace "<name>"} rules
 * @param nodePools {@code node_pool "<name>"} rules
 * @param hostVolumes {@code host_volume "<name>"} rules
 * @param agent {@code agent { policy }}
 * @param node {@code node { policy }}
 * @param quota {@code quota { policy }}
 * @param plugin {@code plugin { policy }}
 * @param operator {@code operator { policy, capabilities }}
 * @param sentinel {@code sentinel { policy, capabilities }}
 */
public record Policy(
        List<NamespaceRule> namespaces,
        List<NodePoolRule> nodePools,
        List<HostVolumeRule> hostVolumes,
        Optional<PolicyDisposition> agent,
        Optional<PolicyDisposition> node,
        Optional<PolicyDisposition> quota,
        Optional<PolicyDisposition> plugin,
        Optional<OperatorRule> operator,
        Optional<SentinelRule> sentinel) {

    /** Namespace names (Nomad's {@code validNamespace}); {@code *} makes a glob. */
    public static final Pattern NAMESPACE_NAME = Pattern.compile("^[a-zA-Z0-9-*]{1,128}$");
    /** Node pool names (Nomad's {@code validNodePool}); unlike the others, {@code _} is allowed. */
    public static final Pattern NODE_POOL_NAME = Pattern.compile("^[a-zA-Z0-9-_*]{1,128}$");
    /** Host volume names (Nomad's {@code validVolume}). */
    public static final Pattern HOST_VOLUME_NAME = Pattern.compile("^[a-zA-Z0-9-*]{1,128}$");

    private static final Policy EMPTY = new Policy(List.of(), List.of(), List.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Copies the lists; checks for nulls and for the disposition each coarse block accepts. */
    public Policy {
        namespaces = List.copyOf(requireNonNull(namespaces, "namespaces is null"));
        nodePools = List.copyOf(requireNonNull(nodePools, "nodePools is null"));
        hostVolumes = List.copyOf(requireNonNull(hostVolumes, "hostVolumes is null"));
        requireNonNull(agent, "agent is null");
        requireNonNull(node, "node is null");
        requireNonNull(quota, "quota is null");
        requireNonNull(plugin, "plugin is null");
        requireNonNull(operator, "operator is null");
        requireNonNull(sentinel, "sentinel is null");
        for (Optional<PolicyDisposition> coarse : List.of(agent, node, quota)) {
            if (coarse.equals(Optional.of(PolicyDisposition.LIST))) {
                throw new IllegalArgumentException("list is only a plugin policy");
            }
        }
        if (plugin.equals(Optional.of(PolicyDisposition.SCALE))) {
            throw new IllegalArgumentException("scale is not a plugin policy");
        }
    }

    /** {@return the policy with no rules: what Nomad makes of empty rules text} */
    public static Policy empty() {
        return EMPTY;
    }

    /** {@return whether the policy has no rule at all} */
    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /**
     * {@code namespace "<name>" { policy, capabilities, variables { path "<glob>" { capabilities } } }}.
     *
     * @param name the namespace name or glob
     * @param policy the shorthand, if written
     * @param capabilities the effective capabilities (may include {@link NamespaceCapability#DENY} beside others)
     * @param variables the variable path rules, in source order
     */
    public record NamespaceRule(String name, Optional<PolicyDisposition> policy,
            Set<NamespaceCapability> capabilities, List<VariablePathRule> variables) {
        /** Checks the name and the disposition; copies the collections. */
        public NamespaceRule {
            checkName(name, NAMESPACE_NAME, "namespace");
            checkDisposition(policy);
            capabilities = Sets.immutableEnumSet(requireNonNull(capabilities, "capabilities is null"));
            variables = List.copyOf(requireNonNull(variables, "variables is null"));
        }
    }

    /**
     * {@code path "<glob>" { capabilities }} inside a namespace's {@code variables} block.
     *
     * @param path the path or glob: not empty, not starting with {@code /}
     * @param capabilities the effective capabilities: {@code {deny}} alone if deny was written, read implies list
     */
    public record VariablePathRule(String path, Set<VariableCapability> capabilities) {
        /** Checks the path; copies the capabilities. */
        public VariablePathRule {
            requireNonNull(path, "path is null");
            if (path.isEmpty() || path.startsWith("/")) {
                throw new IllegalArgumentException("invalid variable path \"" + path + "\"");
            }
            capabilities = Sets.immutableEnumSet(requireNonNull(capabilities, "capabilities is null"));
        }
    }

    /**
     * {@code node_pool "<name>" { policy, capabilities }}.
     *
     * @param name the pool name or glob
     * @param policy the shorthand, if written
     * @param capabilities the effective capabilities
     */
    public record NodePoolRule(String name, Optional<PolicyDisposition> policy, Set<NodePoolCapability> capabilities) {
        /** Checks the name and the disposition; copies the capabilities. */
        public NodePoolRule {
            checkName(name, NODE_POOL_NAME, "node pool");
            checkDisposition(policy);
            capabilities = Sets.immutableEnumSet(requireNonNull(capabilities, "capabilities is null"));
        }
    }

    /**
     * {@code host_volume "<name>" { policy, capabilities }}.
     *
     * @param name the volume name or glob
     * @param policy the shorthand, if written
     * @param capabilities the effective capabilities
     */
    public record HostVolumeRule(String name, Optional<PolicyDisposition> policy,
            Set<HostVolumeCapability> capabilities) {
        /** Checks the name and the disposition; copies the capabilities. */
        public HostVolumeRule {
            checkName(name, HOST_VOLUME_NAME, "host volume");
            checkDisposition(policy);
            capabilities = Sets.immutableEnumSet(requireNonNull(capabilities, "capabilities is null"));
        }
    }

    /**
     * {@code operator { policy, capabilities }}.
     *
     * @param policy the shorthand, if written
     * @param capabilities the effective capabilities
     */
    public record OperatorRule(Optional<PolicyDisposition> policy, Set<OperatorCapability> capabilities) {
        /** Checks the disposition; copies the capabilities. */
        public OperatorRule {
            checkDisposition(policy);
            capabilities = Sets.immutableEnumSet(requireNonNull(capabilities, "capabilities is null"));
        }
    }

    /**
     * {@code sentinel { policy, capabilities }} (Nomad Enterprise).
     *
     * @param policy the shorthand, if written
     * @param capabilities the effective capabilities
     */
    public record SentinelRule(Optional<PolicyDisposition> policy, Set<SentinelCapability> capabilities) {
        /** Checks the disposition; copies the capabilities. */
        public SentinelRule {
            checkDisposition(policy);
            capabilities = Sets.immutableEnumSet(requireNonNull(capabilities, "capabilities is null"));
        }
    }

    private static void checkName(String name, Pattern pattern, String what) {
        requireNonNull(name, "name is null");
        if (!pattern.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name \"" + name + "\"");
        }
    }

    private static void checkDisposition(Optional<PolicyDisposition> policy) {
        requireNonNull(policy, "policy is null");
        if (policy.equals(Optional.of(PolicyDisposition.LIST))) {
            throw new IllegalArgumentException("list is only a plugin policy");
        }
    }
}
