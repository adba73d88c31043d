package io.taskapi.plugin.auth.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.bexpr.Filter;
import io.taskapi.bexpr.FilterEvaluationException;
import io.taskapi.bexpr.FilterException;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Nomad's {@code lib/auth} claims mapping and binder: the verified claims become {@code value.<var>} strings and
 * {@code list.<var>} string lists ({@link #mapClaims}); each binding rule whose go-bexpr {@code Selector} matches them
 * (an empty selector matches all; one that fails to evaluate does not match) contributes its role or policy, named by
 * its {@code BindName} with {@code ${value.<var>}} interpolated (values lower-cased, as Nomad does) and kept only if
 * it exists; a {@code management} rule makes the token a management token.
 */
public final class LoginBinder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern POLICY_NAME = Pattern.compile("[a-zA-Z0-9-]{1,128}");
    private static final Pattern ROLE_NAME = Pattern.compile("[a-zA-Z0-9-]{1,128}");

    private LoginBinder() {}

    /**
     * What a login gets.
     *
     * @param management whether it is a management token
     * @param roleIds the roles' ids
     * @param policies the policies' names
     */
    public record Bindings(boolean management, List<String> roleIds, List<String> policies) {
        /** @return whether it grants nothing */
        public boolean none() {
            return !management && roleIds.isEmpty() && policies.isEmpty();
        }
    }

    /**
     * The claims as a selector sees them.
     *
     * @param values {@code value.<var>}
     * @param lists {@code list.<var>}
     */
    public record MappedClaims(Map<String, String> values, Map<String, List<String>> lists) {
        /** @return the record go-bexpr selectors run against: {@code {"value": {...}, "list": {...}}} */
        JsonNode selectable() {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode value = root.putObject("value");
            values.forEach(value::put);
            ObjectNode list = root.putObject("list");
            lists.forEach((name, items) -> {
                ArrayNode array = list.putArray(name);
                items.forEach(array::add);
            });
            return root;
        }
    }

    /**
     * @param claims the verified claims
     * @param config the method's mappings
     * @return the mapped claims
     * @throws LoginRejectedException when a mapped claim is of a type that does not convert (an object, say)
     */
    public static MappedClaims mapClaims(ObjectNode claims, JwtMethodConfig config) throws LoginRejectedException {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String> mapping : config.claimMappings().entrySet()) {
            JsonNode raw = claim(claims, mapping.getKey());
            if (raw == null) {
                continue;
            }
            values.put(mapping.getValue(), stringify(raw).orElseThrow(() -> new LoginRejectedException(
                    "error converting claim '" + mapping.getKey() + "' to string")));
        }
        Map<String, List<String>> lists = new TreeMap<>();
        for (Map.Entry<String, String> mapping : config.listClaimMappings().entrySet()) {
            JsonNode raw = claim(claims, mapping.getKey());
            if (raw == null) {
                continue;
            }
            List<JsonNode> items = new ArrayList<>();
            if (raw.isArray()) {
                raw.forEach(items::add);
            } else {
                items.add(raw);
            }
            List<String> strings = new ArrayList<>();
            for (JsonNode item : items) {
                String text = stringify(item).orElseThrow(() -> new LoginRejectedException(
                        "\"" + mapping.getKey() + "\" list claim could not be converted to string list"));
                if (!text.isEmpty()) {
                    strings.add(text);
                }
            }
            lists.put(mapping.getValue(), List.copyOf(strings));
        }
        return new MappedClaims(values, lists);
    }

    /**
     * @param rules the method's binding rules
     * @param claims the mapped claims
     * @param config the method's mappings (every mapped variable may be interpolated, empty if the claim is absent)
     * @param roles where roles are found by name
     * @param policies where policies are found by name
     * @return what the login gets
     * @throws LoginRejectedException when a matching rule's bind name cannot be computed or is not a valid name
     * @throws StateUnavailableException when a store cannot answer
     */
    public static Bindings bind(List<AclBindingRule> rules, MappedClaims claims, JwtMethodConfig config,
                                AclRoleStore roles, AclPolicyStore policies)
            throws LoginRejectedException, StateUnavailableException {
        JsonNode selectable = claims.selectable();
        Map<String, String> variables = new TreeMap<>();
        config.claimMappings().values().forEach(name -> variables.put("value." + name, ""));
        claims.values().forEach((name, value) -> variables.put("value." + name, value));
        Set<String> roleIds = new LinkedHashSet<>();
        Set<String> policyNames = new LinkedHashSet<>();
        for (AclBindingRule rule : rules) {
            if (!selectorMatches(rule.selector(), selectable)) {
                continue;
            }
            if (rule.bindType().equals("management")) {
                return new Bindings(true, List.of(), List.of());
            }
            String name = interpolate(rule.bindName(), variables, true);
            Pattern valid = rule.bindType().equals("role") ? ROLE_NAME : POLICY_NAME;
            if (!valid.matcher(name).matches()) {
                throw new LoginRejectedException("computed \"" + rule.bindType()
                        + "\" bind name for bind target is invalid");
            }
            if (rule.bindType().equals("role")) {
                roles.findByName(name).map(AclRole::id).ifPresent(roleIds::add);
            } else if (rule.bindType().equals("policy") && policies.find(name).isPresent()) {
                policyNames.add(name);
            }
        }
        return new Bindings(false, List.copyOf(roleIds), List.copyOf(policyNames));
    }

    /**
     * Nomad's HIL interpolation of {@code ${name}} with string variables only.
     *
     * @param template the text
     * @param variables the variables
     * @param lowercase whether values are lower-cased first (bind names) or not (token names)
     * @return the text with every placeholder replaced
     * @throws LoginRejectedException when a placeholder is not closed or names an unknown variable
     */
    public static String interpolate(String template, Map<String, String> variables, boolean lowercase)
            throws LoginRejectedException {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = template.indexOf("${", at);
            if (open < 0) {
                out.append(template, at, template.length());
                return out.toString();
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new LoginRejectedException("cannot compute bind name: unclosed ${");
            }
            String name = template.substring(open + 2, close).strip();
            String value = variables.get(name);
            if (value == null) {
                throw new LoginRejectedException("cannot compute bind name: unknown variable accessed: " + name);
            }
            out.append(template, at, open).append(lowercase ? value.toLowerCase(Locale.ROOT) : value);
            at = close + 1;
        }
    }

    private static boolean selectorMatches(String selector, JsonNode selectable) {
        if (selector.isEmpty()) {
            return true;
        }
        try {
            return Filter.compile(selector).matches(selectable);
        } catch (FilterException | FilterEvaluationException e) {
            return false;
        }
    }

    /** A top-level claim, or a JSON pointer when it starts with {@code /}; null when absent. */
    private static JsonNode claim(ObjectNode claims, String name) {
        JsonNode value = name.startsWith("/") ? claims.at(name) : claims.get(name);
        return value == null || value.isMissingNode() || value.isNull() ? null : value;
    }

    /** Nomad's {@code stringifyClaimValue}: strings, booleans, numbers (truncated to integers). */
    private static Optional<String> stringify(JsonNode value) {
        if (value.isTextual()) {
            return Optional.of(value.asText());
        }
        if (value.isBoolean()) {
            return Optional.of(Boolean.toString(value.asBoolean()));
        }
        if (value.isNumber()) {
            return Optional.of(Long.toString(value.asLong()));
        }
        return Optional.empty();
    }
}
