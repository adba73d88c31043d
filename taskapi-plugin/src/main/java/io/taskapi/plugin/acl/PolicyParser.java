package io.taskapi.plugin.acl;

import static java.util.Objects.requireNonNull;

import io.taskapi.hcl.HclAttribute;
import io.taskapi.hcl.HclBlock;
import io.taskapi.hcl.HclBody;
import io.taskapi.hcl.HclJson;
import io.taskapi.hcl.HclList;
import io.taskapi.hcl.HclParseException;
import io.taskapi.hcl.HclParser;
import io.taskapi.hcl.HclPosition;
import io.taskapi.hcl.HclSchema;
import io.taskapi.hcl.HclString;
import io.taskapi.hcl.HclType;
import io.taskapi.hcl.HclValue;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses Nomad ACL policy rules, in HCL or in HCL's JSON form, the way Nomad's {@code acl.Parse} does in strict mode
 * (the mode Nomad uses when a policy is written), with a {@code line:column} on every error.
 *
 * <p>Follows Nomad: empty rules ({@code ""}) are an empty policy; anything else must hold at least one rule block.
 * Unknown keys, duplicate attributes, a second {@code agent}/{@code node}/{@code operator}/{@code quota}/
 * {@code plugin}/{@code sentinel}/{@code variables} block, wrong types, labels not matching Nomad's regexes, unknown
 * dispositions and capabilities, empty {@code variables} blocks and variable paths that are empty or start with
 * {@code /} are all errors. Several {@code namespace} (node_pool, host_volume, path) blocks with the same label are
 * accepted, as in Nomad, and merged by {@link Acl}.
 */
public final class PolicyParser {
    private static final HclSchema PATH = HclSchema.builder("path block")
            .attribute("capabilities", HclType.LIST_OF_STRINGS)
            .build();
    private static final HclSchema VARIABLES = HclSchema.builder("variables block")
            .block("path", 1, PATH)
            .build();
    private static final HclSchema NAMESPACE = HclSchema.builder("namespace block")
            .attribute("policy", HclType.STRING)
            .attribute("capabilities", HclType.LIST_OF_STRINGS)
            .singleBlock("variables", 0, VARIABLES)
            .build();

    /** What the top level of a policy may contain. */
    static final HclSchema SCHEMA = HclSchema.builder("policy")
            .block("namespace", 1, NAMESPACE)
            .block("node_pool", 1, policyAndCapabilities("node_pool block"))
            .block("host_volume", 1, policyAndCapabilities("host_volume block"))
            .singleBlock("agent", 0, coarse("agent block"))
            .singleBlock("node", 0, coarse("node block"))
            .singleBlock("quota", 0, coarse("quota block"))
            .singleBlock("plugin", 0, coarse("plugin block"))
            .singleBlock("operator", 0, policyAndCapabilities("operator block"))
            .singleBlock("sentinel", 0, policyAndCapabilities("sentinel block"))
            .build();

    private static final Set<PolicyDisposition> GENERAL = EnumSet.of(PolicyDisposition.DENY, PolicyDisposition.READ,
            PolicyDisposition.WRITE, PolicyDisposition.SCALE);
    private static final Set<PolicyDisposition> PLUGIN = EnumSet.of(PolicyDisposition.DENY, PolicyDisposition.READ,
            PolicyDisposition.LIST, PolicyDisposition.WRITE);

    private PolicyParser() {}

    /**
     * @param rules the policy text: HCL, or JSON when its first non-whitespace character is <code>{</code> (as
     *     Nomad's HCL 1 decides; an HCL body cannot start with a brace)
     * @return the policy
     * @throws PolicyParseException with {@code line:column} when the rules do not parse or are not valid
     */
    public static Policy parse(String rules) {
        requireNonNull(rules, "rules is null");
        if (rules.isEmpty()) {
            return Policy.empty(); // Nomad's hot path: empty rules are an empty policy, blank ones are not
        }
        HclBody body;
        try {
            body = isJson(rules) ? HclJson.parse(rules, SCHEMA) : HclParser.parse(rules, SCHEMA);
        } catch (HclParseException e) {
            throw new PolicyParseException(e.position(), e.detail(), e);
        }
        if (body.blocks().isEmpty()) {
            throw new PolicyParseException(HclPosition.START,
                    "invalid policy: no namespace, node_pool, host_volume, agent, node, operator, quota, plugin or "
                            + "sentinel block");
        }
        return toPolicy(body);
    }

    private static boolean isJson(String rules) {
        for (int i = 0; i < rules.length(); i++) {
            char c = rules.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    private static Policy toPolicy(HclBody body) {
        List<Policy.NamespaceRule> namespaces = new ArrayList<>();
        List<Policy.NodePoolRule> nodePools = new ArrayList<>();
        List<Policy.HostVolumeRule> hostVolumes = new ArrayList<>();
        Optional<PolicyDisposition> agent = Optional.empty();
        Optional<PolicyDisposition> node = Optional.empty();
        Optional<PolicyDisposition> quota = Optional.empty();
        Optional<PolicyDisposition> plugin = Optional.empty();
        Optional<Policy.OperatorRule> operator = Optional.empty();
        Optional<Policy.SentinelRule> sentinel = Optional.empty();
        // In source order, so the first invalid rule in the text is the one reported. The schema has already
        // rejected unknown block types and a second agent, node, quota, plugin, operator or sentinel block.
        for (HclBlock block : body.blocks()) {
            switch (block.type()) {
                case "namespace":
                    namespaces.add(namespace(block));
                    break;
                case "node_pool":
                    nodePools.add(nodePool(block));
                    break;
                case "host_volume":
                    hostVolumes.add(hostVolume(block));
                    break;
                case "agent":
                    agent = Optional.of(required(block, GENERAL));
                    break;
                case "node":
                    node = Optional.of(required(block, GENERAL));
                    break;
                case "quota":
                    quota = Optional.of(required(block, GENERAL));
                    break;
                case "plugin":
                    plugin = Optional.of(required(block, PLUGIN));
                    break;
                case "operator":
                    operator = Optional.of(operator(block));
                    break;
                case "sentinel":
                    sentinel = Optional.of(sentinel(block));
                    break;
                default:
                    throw new IllegalStateException("the schema let through " + block.type());
            }
        }
        return new Policy(namespaces, nodePools, hostVolumes, agent, node, quota, plugin, operator, sentinel);
    }

    private static Policy.NodePoolRule nodePool(HclBlock block) {
        String name = name(block, Policy.NODE_POOL_NAME, "node pool");
        Optional<PolicyDisposition> policy = disposition(block, GENERAL, "node pool");
        Set<NodePoolCapability> capabilities = capabilities(block.body(), NodePoolCapability.class,
                NodePoolCapability::fromWireName, "node pool");
        policy.ifPresent(p -> capabilities.addAll(Expansions.nodePoolPolicy(p)));
        return new Policy.NodePoolRule(name, policy, capabilities);
    }

    private static Policy.HostVolumeRule hostVolume(HclBlock block) {
        String name = name(block, Policy.HOST_VOLUME_NAME, "host volume");
        Optional<PolicyDisposition> policy = disposition(block, GENERAL, "host volume");
        Set<HostVolumeCapability> capabilities = capabilities(block.body(), HostVolumeCapability.class,
                HostVolumeCapability::fromWireName, "host volume");
        policy.ifPresent(p -> capabilities.addAll(Expansions.hostVolumePolicy(p)));
        return new Policy.HostVolumeRule(name, policy, capabilities);
    }

    private static Policy.OperatorRule operator(HclBlock block) {
        Optional<PolicyDisposition> policy = disposition(block, GENERAL, "operator");
        Set<OperatorCapability> capabilities = capabilities(block.body(), OperatorCapability.class,
                OperatorCapability::fromWireName, "operator");
        policy.ifPresent(p -> capabilities.addAll(Expansions.operatorPolicy(p)));
        return new Policy.OperatorRule(policy, capabilities);
    }

    private static Policy.SentinelRule sentinel(HclBlock block) {
        Optional<PolicyDisposition> policy = disposition(block, GENERAL, "sentinel");
        Set<SentinelCapability> capabilities = capabilities(block.body(), SentinelCapability.class,
                SentinelCapability::fromWireName, "sentinel");
        policy.ifPresent(p -> capabilities.addAll(Expansions.sentinelPolicy(p)));
        return new Policy.SentinelRule(policy, capabilities);
    }

    /** agent, node, quota, plugin: the schema requires {@code policy}, as Nomad rejects these blocks without one. */
    private static PolicyDisposition required(HclBlock block, Set<PolicyDisposition> allowed) {
        return disposition(block, allowed, block.type()).orElseThrow();
    }

    private static Policy.NamespaceRule namespace(HclBlock block) {
        String name = name(block, Policy.NAMESPACE_NAME, "namespace");
        Optional<PolicyDisposition> policy = disposition(block, GENERAL, "namespace");
        Set<NamespaceCapability> capabilities = capabilities(block.body(), NamespaceCapability.class,
                NamespaceCapability::fromWireName, "namespace");
        policy.ifPresent(p -> capabilities.addAll(Expansions.namespacePolicy(p)));
        List<Policy.VariablePathRule> variables = new ArrayList<>();
        for (HclBlock variablesBlock : block.body().blocks("variables")) {
            List<HclBlock> paths = variablesBlock.body().blocks("path");
            if (paths.isEmpty()) {
                throw new PolicyParseException(variablesBlock.position(),
                        "invalid variables block: no path blocks in namespace \"" + name + "\"");
            }
            for (HclBlock path : paths) {
                variables.add(variablePath(path, name));
            }
        }
        return new Policy.NamespaceRule(name, policy, Expansions.withImpliedNamespaceCapabilities(capabilities),
                variables);
    }

    private static Policy.VariablePathRule variablePath(HclBlock block, String namespace) {
        HclString label = block.labels().get(0);
        String path = label.value();
        if (path.isEmpty()) {
            throw new PolicyParseException(label.position(),
                    "invalid variable path \"\" in namespace \"" + namespace + "\": must not be empty");
        }
        if (path.startsWith("/")) {
            throw new PolicyParseException(label.position(), "invalid variable path \"" + path + "\" in namespace \""
                    + namespace + "\": must not start with '/'");
        }
        Set<VariableCapability> capabilities = capabilities(block.body(), VariableCapability.class,
                VariableCapability::fromWireName, "variable");
        return new Policy.VariablePathRule(path, Expansions.variableCapabilities(capabilities));
    }

    private static String name(HclBlock block, Pattern pattern, String what) {
        HclString label = block.labels().get(0);
        if (!pattern.matcher(label.value()).matches()) {
            throw new PolicyParseException(label.position(), "invalid " + what + " name \"" + label.value()
                    + "\": must match " + pattern.pattern());
        }
        return label.value();
    }

    private static Optional<PolicyDisposition> disposition(HclBlock block, Set<PolicyDisposition> allowed,
            String what) {
        Optional<HclAttribute> attribute = block.body().attribute("policy");
        if (attribute.isEmpty()) {
            return Optional.empty();
        }
        HclString value = (HclString) attribute.get().value(); // the schema checked the type
        Optional<PolicyDisposition> policy = PolicyDisposition.fromWireName(value.value()).filter(allowed::contains);
        if (policy.isEmpty()) {
            throw new PolicyParseException(value.position(), "invalid " + what + " policy \"" + value.value()
                    + "\": must be one of " + String.join(", ", allowed.stream().map(PolicyDisposition::wireName)
                    .toList()));
        }
        return policy;
    }

    private static <C extends Enum<C>> Set<C> capabilities(HclBody body, Class<C> type,
            Function<String, Optional<C>> byName, String what) {
        Set<C> out = EnumSet.noneOf(type);
        Optional<HclAttribute> attribute = body.attribute("capabilities");
        if (attribute.isEmpty()) {
            return out;
        }
        for (HclValue element : ((HclList) attribute.get().value()).elements()) { // the schema checked the type
            HclString name = (HclString) element;
            C capability = byName.apply(name.value()).orElseThrow(() -> new PolicyParseException(name.position(),
                    "invalid " + what + " capability \"" + name.value() + "\""));
            out.add(capability);
        }
        return out;
    }

    private static HclSchema coarse(String description) {
        return HclSchema.builder(description).requiredAttribute("policy", HclType.STRING).build();
    }

    private static HclSchema policyAndCapabilities(String description) {
        return HclSchema.builder(description)
                .attribute("policy", HclType.STRING)
                .attribute("capabilities", HclType.LIST_OF_STRINGS)
                .build();
    }
}
