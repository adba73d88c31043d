package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.Sets;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The permissions of one token or workload identity: its policies compiled once (Nomad's {@code acl.NewACL}), then
 * checked with map lookups and a short scan over precompiled globs. Immutable and thread-safe.
 *
 * <p>Merging, as in Nomad:
 * <ul>
 *   <li>agent, node, operator, quota, plugin and sentinel dispositions: the maximum privilege, where
 *       deny &gt; write &gt; read &gt; list ({@code scale} counts for nothing);</li>
 *   <li>namespaces, node pools and host volumes: one capability set per label as written (globs apart from exact
 *       names), the union of every rule with that label, except that a deny anywhere for that label leaves only
 *       {@code {deny}}. A deny under one label never affects another: {@code "*"} denied does not take away an
 *       exact {@code "default"} grant;</li>
 *   <li>variables: one set per namespace label and path, a plain union across rules (a deny does not clear what
 *       another rule granted), taken even from namespaces whose own capabilities are denied;</li>
 *   <li>operator and sentinel capabilities: one set each, deny clearing as for namespaces.</li>
 * </ul>
 *
 * <p>Matching a name: its exact label if there is one, otherwise the closest matching glob (the most literal
 * characters; on a tie, the pattern that sorts last by bytes, as Nomad's sort leaves it).
 */
public final class Acl {
    private static final Acl MANAGEMENT = new Acl();
    private static final Acl DENY_ALL = compile(List.of());

    /** Coarse privilege levels in the order {@code maxPrivilege} ranks them. */
    private enum Level {
        NONE, LIST, READ, WRITE, DENY;

        static Level of(Optional<PolicyDisposition> policy) {
            if (policy.isEmpty()) {
                return NONE;
            }
            switch (policy.get()) {
                case DENY:
                    return DENY;
                case WRITE:
                    return WRITE;
                case READ:
                    return READ;
                case LIST:
                    return LIST;
                default:
                    return NONE; // scale: Nomad's maxPrivilege does not rank it, so it grants nothing here
            }
        }

        Level max(Level other) {
            return compareTo(other) >= 0 ? this : other;
        }

        boolean readable() {
            return this == READ || this == WRITE;
        }
    }

    private final boolean management;
    private final LabelRules<NamespaceCapability> namespaces;
    private final LabelRules<NodePoolCapability> nodePools;
    private final LabelRules<HostVolumeCapability> hostVolumes;
    private final LabelRules<VariableCapability> variables;
    private final Level agent;
    private final Level node;
    private final Level operator;
    private final Level quota;
    private final Level plugin;
    private final Level sentinel;
    private final Set<OperatorCapability> operatorCapabilities;
    private final Set<SentinelCapability> sentinelCapabilities;
    /** Every capability some namespace set grants: answers namespace {@code *} without a scan. */
    private final Set<NamespaceCapability> anyNamespaceCapabilities;
    /** Whether some namespace set is non-empty and not denied. */
    private final boolean anyNamespaceAllowed;

    private Acl() {
        management = true;
        namespaces = new LabelRules.Builder<>(NamespaceCapability.class, NamespaceCapability.DENY).build();
        nodePools = new LabelRules.Builder<>(NodePoolCapability.class, NodePoolCapability.DENY).build();
        hostVolumes = new LabelRules.Builder<>(HostVolumeCapability.class, HostVolumeCapability.DENY).build();
        variables = new LabelRules.Builder<>(VariableCapability.class, VariableCapability.DENY).build();
        agent = node = operator = quota = plugin = sentinel = Level.WRITE;
        operatorCapabilities = Sets.immutableEnumSet(EnumSet.allOf(OperatorCapability.class));
        sentinelCapabilities = Sets.immutableEnumSet(EnumSet.allOf(SentinelCapability.class));
        anyNamespaceCapabilities = Sets.immutableEnumSet(EnumSet.allOf(NamespaceCapability.class));
        anyNamespaceAllowed = true;
    }

    private Acl(List<Policy> policies) {
        LabelRules.Builder<NamespaceCapability> ns =
                new LabelRules.Builder<>(NamespaceCapability.class, NamespaceCapability.DENY);
        LabelRules.Builder<NodePoolCapability> pools =
                new LabelRules.Builder<>(NodePoolCapability.class, NodePoolCapability.DENY);
        LabelRules.Builder<HostVolumeCapability> volumes =
                new LabelRules.Builder<>(HostVolumeCapability.class, HostVolumeCapability.DENY);
        LabelRules.Builder<VariableCapability> vars =
                new LabelRules.Builder<>(VariableCapability.class, VariableCapability.DENY);
        CapabilityUnion<OperatorCapability> operatorCaps =
                new CapabilityUnion<>(OperatorCapability.class, OperatorCapability.DENY);
        CapabilityUnion<SentinelCapability> sentinelCaps =
                new CapabilityUnion<>(SentinelCapability.class, SentinelCapability.DENY);
        Level agentLevel = Level.NONE;
        Level nodeLevel = Level.NONE;
        Level operatorLevel = Level.NONE;
        Level quotaLevel = Level.NONE;
        Level pluginLevel = Level.NONE;
        Level sentinelLevel = Level.NONE;
        for (Policy policy : policies) {
            requireNonNull(policy, "policies contains null");
            for (Policy.NamespaceRule rule : policy.namespaces()) {
                // Variables first and without deny-clearing: Nomad adds them before it looks at the namespace's deny.
                for (Policy.VariablePathRule path : rule.variables()) {
                    vars.union(rule.name() + '\0' + path.path(), path.capabilities());
                }
                ns.mergeDenyWins(rule.name(), rule.capabilities());
            }
            for (Policy.NodePoolRule rule : policy.nodePools()) {
                pools.mergeDenyWins(rule.name(), rule.capabilities());
            }
            for (Policy.HostVolumeRule rule : policy.hostVolumes()) {
                volumes.mergeDenyWins(rule.name(), rule.capabilities());
            }
            agentLevel = agentLevel.max(Level.of(policy.agent()));
            nodeLevel = nodeLevel.max(Level.of(policy.node()));
            quotaLevel = quotaLevel.max(Level.of(policy.quota()));
            pluginLevel = pluginLevel.max(Level.of(policy.plugin()));
            if (policy.operator().isPresent()) {
                operatorLevel = operatorLevel.max(Level.of(policy.operator().get().policy()));
                operatorCaps.mergeDenyWins(policy.operator().get().capabilities());
            }
            if (policy.sentinel().isPresent()) {
                sentinelLevel = sentinelLevel.max(Level.of(policy.sentinel().get().policy()));
                sentinelCaps.mergeDenyWins(policy.sentinel().get().capabilities());
            }
        }
        management = false;
        namespaces = ns.build();
        nodePools = pools.build();
        hostVolumes = volumes.build();
        variables = vars.build();
        agent = agentLevel;
        node = nodeLevel;
        operator = operatorLevel;
        quota = quotaLevel;
        plugin = pluginLevel;
        sentinel = sentinelLevel;
        operatorCapabilities = operatorCaps.build();
        sentinelCapabilities = sentinelCaps.build();
        Set<NamespaceCapability> any = EnumSet.noneOf(NamespaceCapability.class);
        boolean anyAllowed = false;
        for (Set<NamespaceCapability> set : namespaces.allSets()) {
            any.addAll(set);
            anyAllowed |= !set.isEmpty() && !set.contains(NamespaceCapability.DENY);
        }
        anyNamespaceCapabilities = Sets.immutableEnumSet(any);
        anyNamespaceAllowed = anyAllowed;
    }

    /**
     * @param policies the policies of a token or identity, in any order (the result does not depend on it)
     * @return their merged permissions
     */
    public static Acl compile(List<Policy> policies) {
        return new Acl(List.copyOf(requireNonNull(policies, "policies is null")));
    }

    /** {@return the permissions of a management token: everything} */
    public static Acl management() {
        return MANAGEMENT;
    }

    /** {@return no permission at all (no policies)} */
    public static Acl denyAll() {
        return DENY_ALL;
    }

    /** {@return whether this is the management ACL} */
    public boolean isManagement() {
        return management;
    }

    /**
     * Nomad's {@code AllowNamespaceOperation}. Namespace {@code *} (Nomad's {@code AllNamespacesSentinel}) is allowed
     * when any namespace rule grants the capability.
     *
     * @param namespace the request's namespace
     * @param capability the operation (not {@code deny})
     * @return whether it is allowed
     */
    public boolean allowNamespaceOperation(String namespace, NamespaceCapability capability) {
        requireNonNull(namespace, "namespace is null");
        checkOperation(capability, NamespaceCapability.DENY);
        if (management) {
            return true;
        }
        if (namespace.equals("*")) {
            return anyNamespaceCapabilities.contains(capability);
        }
        Set<NamespaceCapability> set = namespaces.match(namespace);
        return set != null && set.contains(capability);
    }

    /**
     * Nomad's {@code AllowNamespace}: whether any operation is allowed in the namespace (its set is neither empty nor
     * denied). Namespace {@code *}: whether that holds for any namespace rule.
     *
     * @param namespace the request's namespace
     * @return whether some operation is allowed there
     */
    public boolean allowNamespace(String namespace) {
        requireNonNull(namespace, "namespace is null");
        if (management) {
            return true;
        }
        if (namespace.equals("*")) {
            return anyNamespaceAllowed;
        }
        return allowsSomething(namespaces.match(namespace), NamespaceCapability.DENY);
    }

    /**
     * Nomad's {@code AllowVariableOperation}, looking in this order: the exact namespace and path; then, for read and
     * list only, the paths a workload identity may always read in its own namespace; then the closest glob over
     * namespace and path.
     *
     * <p>An exact path rule therefore overrides the workload's implicit access (a {@code deny} on
     * {@code nomad/jobs/<job>} blocks it), while globs and rules on other paths do not. The claim never hides a
     * policy's write or destroy grant: Nomad passes no claim when it checks writes.
     *
     * @param namespace the request's namespace
     * @param path the variable path
     * @param capability the operation (not {@code deny})
     * @param claim the workload identity making the request, if it is one
     * @return whether it is allowed
     */
    public boolean allowVariableOperation(String namespace, String path, VariableCapability capability,
            Optional<WorkloadClaim> claim) {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        checkOperation(capability, VariableCapability.DENY);
        requireNonNull(claim, "claim is null");
        if (management) {
            return true;
        }
        if (namespace.indexOf('\0') >= 0 || path.indexOf('\0') >= 0) {
            return false; // the key delimiter: a request must not be able to forge it
        }
        String key = namespace + '\0' + path;
        Set<VariableCapability> exact = variables.exact(key);
        if (exact != null) {
            return exact.contains(capability);
        }
        if ((capability == VariableCapability.READ || capability == VariableCapability.LIST) && claim.isPresent()
                && claim.get().grantsImplicitAccess(namespace, path)) {
            return true;
        }
        Set<VariableCapability> glob = variables.closestGlob(key);
        return glob != null && glob.contains(capability);
    }

    /**
     * @param pool a node pool
     * @param capability the operation (not {@code deny})
     * @return whether it is allowed (Nomad's {@code AllowNodePoolOperation})
     */
    public boolean allowNodePoolOperation(String pool, NodePoolCapability capability) {
        requireNonNull(pool, "pool is null");
        checkOperation(capability, NodePoolCapability.DENY);
        if (management) {
            return true;
        }
        Set<NodePoolCapability> set = nodePools.match(pool);
        return set != null && set.contains(capability);
    }

    /**
     * @param pool a node pool
     * @return whether any operation is allowed on it (Nomad's {@code AllowNodePool})
     */
    public boolean allowNodePool(String pool) {
        requireNonNull(pool, "pool is null");
        return management || allowsSomething(nodePools.match(pool), NodePoolCapability.DENY);
    }

    /**
     * @param volume a host volume
     * @param capability the operation (not {@code deny})
     * @return whether it is allowed (Nomad's {@code AllowHostVolumeOperation})
     */
    public boolean allowHostVolumeOperation(String volume, HostVolumeCapability capability) {
        requireNonNull(volume, "volume is null");
        checkOperation(capability, HostVolumeCapability.DENY);
        if (management) {
            return true;
        }
        Set<HostVolumeCapability> set = hostVolumes.match(volume);
        return set != null && set.contains(capability);
    }

    /**
     * @param volume a host volume
     * @return whether any operation is allowed on it (Nomad's {@code AllowHostVolume})
     */
    public boolean allowHostVolume(String volume) {
        requireNonNull(volume, "volume is null");
        return management || allowsSomething(hostVolumes.match(volume), HostVolumeCapability.DENY);
    }

    /** {@return whether agent read is allowed: agent read or write} */
    public boolean allowAgentRead() {
        return management || agent.readable();
    }

    /** {@return whether agent write is allowed: agent write} */
    public boolean allowAgentWrite() {
        return management || agent == Level.WRITE;
    }

    /** {@return whether node read is allowed: node read or write} */
    public boolean allowNodeRead() {
        return management || node.readable();
    }

    /** {@return whether node write is allowed: node write} */
    public boolean allowNodeWrite() {
        return management || node == Level.WRITE;
    }

    /** {@return whether operator read is allowed: operator read or write} */
    public boolean allowOperatorRead() {
        return management || operator.readable();
    }

    /** {@return whether operator write is allowed: operator write} */
    public boolean allowOperatorWrite() {
        return management || operator == Level.WRITE;
    }

    /**
     * Nomad's {@code AllowOperatorOperation}: an operator write disposition allows every operation (it is checked
     * before the capabilities, so a deny capability from another policy does not take it away); otherwise the
     * merged capabilities decide.
     *
     * @param capability the operation (not {@code deny})
     * @return whether it is allowed
     */
    public boolean allowOperatorOperation(OperatorCapability capability) {
        checkOperation(capability, OperatorCapability.DENY);
        return management || operator == Level.WRITE || operatorCapabilities.contains(capability);
    }

    /** {@return whether quota read is allowed: quota read or write} */
    public boolean allowQuotaRead() {
        return management || quota.readable();
    }

    /** {@return whether quota write is allowed: quota write} */
    public boolean allowQuotaWrite() {
        return management || quota == Level.WRITE;
    }

    /**
     * Nomad's {@code AllowPluginRead}: the merged plugin disposition is exactly {@code read}. As in Nomad, a
     * {@code write} plugin disposition does not include read.
     *
     * @return whether plugin read is allowed
     */
    public boolean allowPluginRead() {
        return management || plugin == Level.READ;
    }

    /** {@return whether plugin list is allowed: plugin list or read (Nomad's {@code AllowPluginList})} */
    public boolean allowPluginList() {
        return management || plugin == Level.LIST || plugin == Level.READ;
    }

    /**
     * Nomad has no plugin write check (CSI plugins are registered through the namespace capability
     * {@code csi-register-plugin}); this answers whether the merged plugin disposition is {@code write}.
     *
     * @return whether plugin write is allowed
     */
    public boolean allowPluginWrite() {
        return management || plugin == Level.WRITE;
    }

    /**
     * Nomad's {@code AllowSentinelOperation}: a sentinel write disposition allows everything; otherwise the merged
     * capabilities decide.
     *
     * @param capability the operation (not {@code deny})
     * @return whether it is allowed
     */
    public boolean allowSentinelOperation(SentinelCapability capability) {
        checkOperation(capability, SentinelCapability.DENY);
        return management || sentinel == Level.WRITE || sentinelCapabilities.contains(capability);
    }

    /** {@return the compiled namespace rules (for tests)} */
    LabelRules<NamespaceCapability> namespaceRules() {
        return namespaces;
    }

    private static <C extends Enum<C>> boolean allowsSomething(Set<C> set, C deny) {
        return set != null && !set.isEmpty() && !set.contains(deny);
    }

    private static <C extends Enum<C>> void checkOperation(C capability, C deny) {
        requireNonNull(capability, "capability is null");
        if (capability == deny) {
            // Asking "is deny allowed?" has no meaning; with Nomad's set lookup it would say yes on a denied label.
            throw new IllegalArgumentException("deny is not an operation");
        }
    }
}
