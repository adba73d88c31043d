package io.taskapi.plugin.acl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes a parsed {@link Policy} back as rules text, each rule with its shorthand and its effective capabilities, so
 * that parsing the text must give the same policy. For the round trip of {@link PolicyParserFuzzTest}.
 */
final class PolicyText {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PolicyText() {}

    /** {@return the policy in HCL's JSON form (repeated labels in arrays, as HCL's JSON allows); empty for no rules} */
    static String json(Policy policy) {
        if (policy.isEmpty()) {
            return ""; // what the parser makes an empty policy of; "{}" has no block and is refused
        }
        ObjectNode root = NODES.objectNode();
        if (!policy.namespaces().isEmpty()) {
            ArrayNode namespaces = root.putArray("namespace");
            for (Policy.NamespaceRule rule : policy.namespaces()) {
                ObjectNode body = rule(rule.policy(), rule.capabilities());
                if (!rule.variables().isEmpty()) {
                    ArrayNode paths = body.putObject("variables").putArray("path");
                    for (Policy.VariablePathRule path : rule.variables()) {
                        paths.addObject().set(path.path(), rule(Optional.empty(), path.capabilities()));
                    }
                }
                namespaces.addObject().set(rule.name(), body);
            }
        }
        if (!policy.nodePools().isEmpty()) {
            ArrayNode pools = root.putArray("node_pool");
            policy.nodePools().forEach(r -> pools.addObject().set(r.name(), rule(r.policy(), r.capabilities())));
        }
        if (!policy.hostVolumes().isEmpty()) {
            ArrayNode volumes = root.putArray("host_volume");
            policy.hostVolumes().forEach(r -> volumes.addObject().set(r.name(), rule(r.policy(), r.capabilities())));
        }
        policy.agent().ifPresent(p -> root.putObject("agent").put("policy", p.wireName()));
        policy.node().ifPresent(p -> root.putObject("node").put("policy", p.wireName()));
        policy.quota().ifPresent(p -> root.putObject("quota").put("policy", p.wireName()));
        policy.plugin().ifPresent(p -> root.putObject("plugin").put("policy", p.wireName()));
        policy.operator().ifPresent(r -> root.set("operator", rule(r.policy(), r.capabilities())));
        policy.sentinel().ifPresent(r -> root.set("sentinel", rule(r.policy(), r.capabilities())));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@return the policy in HCL, unless a label holds <code>${</code> or <code>%{</code>, which HCL cannot quote as
     * is}
     */
    static Optional<String> hcl(Policy policy) {
        if (policy.isEmpty()) {
            return Optional.of("");
        }
        StringBuilder out = new StringBuilder();
        for (Policy.NamespaceRule rule : policy.namespaces()) {
            out.append("namespace ").append(quote(rule.name())).append(" {\n");
            attributes(out, rule.policy(), rule.capabilities());
            if (!rule.variables().isEmpty()) {
                out.append("variables {\n");
                for (Policy.VariablePathRule path : rule.variables()) {
                    if (path.path().contains("${") || path.path().contains("%{")) {
                        return Optional.empty();
                    }
                    out.append("path ").append(quote(path.path())).append(" {\n");
                    attributes(out, Optional.empty(), path.capabilities());
                    out.append("}\n");
                }
                out.append("}\n");
            }
            out.append("}\n");
        }
        for (Policy.NodePoolRule rule : policy.nodePools()) {
            out.append("node_pool ").append(quote(rule.name())).append(" {\n");
            attributes(out, rule.policy(), rule.capabilities());
            out.append("}\n");
        }
        for (Policy.HostVolumeRule rule : policy.hostVolumes()) {
            out.append("host_volume ").append(quote(rule.name())).append(" {\n");
            attributes(out, rule.policy(), rule.capabilities());
            out.append("}\n");
        }
        policy.agent().ifPresent(p -> out.append("agent {\npolicy = ").append(quote(p.wireName())).append("\n}\n"));
        policy.node().ifPresent(p -> out.append("node {\npolicy = ").append(quote(p.wireName())).append("\n}\n"));
        policy.quota().ifPresent(p -> out.append("quota {\npolicy = ").append(quote(p.wireName())).append("\n}\n"));
        policy.plugin().ifPresent(p -> out.append("plugin {\npolicy = ").append(quote(p.wireName())).append("\n}\n"));
        policy.operator().ifPresent(r -> {
            out.append("operator {\n");
            attributes(out, r.policy(), r.capabilities());
            out.append("}\n");
        });
        policy.sentinel().ifPresent(r -> {
            out.append("sentinel {\n");
            attributes(out, r.policy(), r.capabilities());
            out.append("}\n");
        });
        return Optional.of(out.toString());
    }

    private static ObjectNode rule(Optional<PolicyDisposition> policy, Collection<? extends Capability> capabilities) {
        ObjectNode body = NODES.objectNode();
        policy.ifPresent(p -> body.put("policy", p.wireName()));
        if (!capabilities.isEmpty()) {
            ArrayNode list = body.putArray("capabilities");
            capabilities.forEach(c -> list.add(c.wireName()));
        }
        return body;
    }

    private static void attributes(StringBuilder out, Optional<PolicyDisposition> policy,
            Collection<? extends Capability> capabilities) {
        policy.ifPresent(p -> out.append("policy = ").append(quote(p.wireName())).append('\n'));
        if (!capabilities.isEmpty()) {
            out.append("capabilities = [").append(capabilities.stream().map(c -> quote(c.wireName()))
                    .collect(Collectors.joining(", "))).append("]\n");
        }
    }

    /** An HCL quoted string: backslash, quote and control characters escaped. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
