package io.taskapi.plugin.auth.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a JWT auth method's {@code Config} from Nomad's JSON (validating it), and writes it back the way Nomad's API
 * shows it: durations as Go strings ({@code "2m30s"}), every field present. The written form is also what the store
 * keeps.
 */
public final class JwtMethodConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OIDC_ONLY = Set.of("OIDCDiscoveryURL", "OIDCClientID", "OIDCClientSecret",
            "OIDCScopes", "OIDCEnablePKCE", "OIDCDisableUserInfo", "OIDCClientAssertion", "AllowedRedirectURIs",
            "DiscoveryCaPem", "VerboseLogging");
    private static final Set<String> KNOWN = Set.of("JWTValidationPubKeys", "JWKSURL", "JWKSCACert",
            "BoundAudiences", "BoundIssuer", "ClaimMappings", "ListClaimMappings", "NotBeforeLeeway",
            "ExpirationLeeway", "ClockSkewLeeway", "SigningAlgs");

    private JwtMethodConfigJson() {}

    /**
     * @param node the {@code Config} object of a request
     * @param errors where problems go, Nomad's wording where it has one
     * @param durations reads a Go duration string or nanoseconds
     * @return the config, when there were no problems
     */
    public static Optional<JwtMethodConfig> read(JsonNode node, List<String> errors,
                                                 Function<JsonNode, Optional<Duration>> durations) {
        if (!node.isObject()) {
            errors.add("Config must be an object");
            return Optional.empty();
        }
        int before = errors.size();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (node.get(name).isNull() || isEmpty(node.get(name))) {
                continue;
            }
            if (OIDC_ONLY.contains(name)) {
                errors.add("Config." + name + " is for OIDC auth methods, which are not supported");
            } else if (!KNOWN.contains(name)) {
                errors.add("unknown field \"Config." + name + "\"");
            }
        }
        List<String> keys = strings(node, "JWTValidationPubKeys", errors);
        String jwksUrl = text(node, "JWKSURL", errors);
        if (keys.isEmpty() == jwksUrl.isEmpty()) {
            errors.add("exactly one of JWTValidationPubKeys and JWKSURL must be set");
        }
        for (int i = 0; i < keys.size(); i++) {
            try {
                LoginKeys.fromPem(keys.get(i), i);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (!jwksUrl.isEmpty()) {
            try {
                String scheme = URI.create(jwksUrl).getScheme();
                if (!"file".equals(scheme) && !"http".equals(scheme) && !"https".equals(scheme)) {
                    errors.add("JWKSURL must be a file:, http: or https: URL");
                }
            } catch (IllegalArgumentException e) {
                errors.add("JWKSURL is not a URL");
            }
        }
        if (!text(node, "JWKSCACert", errors).isEmpty()) {
            errors.add("JWKSCACert is not supported: the JVM's trust store is used");
        }
        List<String> algs = strings(node, "SigningAlgs", errors);
        for (String alg : algs) {
            if (!alg.equals("RS256") && !alg.equals("EdDSA")) {
                errors.add("SigningAlgs: " + alg + " is not supported (RS256, EdDSA)");
            }
        }
        JwtMethodConfig config = new JwtMethodConfig(keys, jwksUrl, strings(node, "BoundAudiences", errors),
                strings(node, "BoundIssuer", errors), map(node, "ClaimMappings", errors),
                map(node, "ListClaimMappings", errors), duration(node, "NotBeforeLeeway", errors, durations),
                duration(node, "ExpirationLeeway", errors, durations),
                duration(node, "ClockSkewLeeway", errors, durations), algs);
        return errors.size() == before ? Optional.of(config) : Optional.empty();
    }

    /**
     * @param stored what {@link #write} produced
     * @param durations reads a Go duration string
     * @return the config
     * @throws IllegalStateException when the stored text is not a valid config (the store was tampered with)
     */
    public static JwtMethodConfig fromStored(String stored, Function<JsonNode, Optional<Duration>> durations) {
        try {
            List<String> errors = new ArrayList<>();
            Optional<JwtMethodConfig> config = read(JSON.readTree(stored), errors, durations);
            return config.orElseThrow(() -> new IllegalStateException("stored auth method config is invalid: "
                    + errors));
        } catch (IOException e) {
            throw new IllegalStateException("stored auth method config is not JSON", e);
        }
    }

    /**
     * @param config a config
     * @param format writes a duration as Go does
     * @return Nomad's {@code Config} JSON
     */
    public static ObjectNode write(JwtMethodConfig config, Function<Duration, String> format) {
        ObjectNode node = JSON.createObjectNode();
        config.validationPubKeys().forEach(node.putArray("JWTValidationPubKeys")::add);
        node.put("JWKSURL", config.jwksUrl());
        config.boundAudiences().forEach(node.putArray("BoundAudiences")::add);
        config.boundIssuer().forEach(node.putArray("BoundIssuer")::add);
        ObjectNode claims = node.putObject("ClaimMappings");
        new java.util.TreeMap<>(config.claimMappings()).forEach(claims::put);
        ObjectNode lists = node.putObject("ListClaimMappings");
        new java.util.TreeMap<>(config.listClaimMappings()).forEach(lists::put);
        node.put("NotBeforeLeeway", format.apply(config.notBeforeLeeway()));
        node.put("ExpirationLeeway", format.apply(config.expirationLeeway()));
        node.put("ClockSkewLeeway", format.apply(config.clockSkewLeeway()));
        config.signingAlgs().forEach(node.putArray("SigningAlgs")::add);
        return node;
    }

    private static boolean isEmpty(JsonNode value) {
        return (value.isTextual() && value.asText().isEmpty()) || (value.isContainerNode() && value.isEmpty())
                || (value.isBoolean() && !value.asBoolean());
    }

    private static String text(JsonNode node, String name, List<String> errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            errors.add("Config." + name + " must be a string");
            return "";
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode node, String name, List<String> errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    errors.add("Config." + name + " must be a list of strings");
                    return List.of();
                }
                strings.add(element.asText());
            }
            return strings;
        }
        errors.add("Config." + name + " must be a list of strings");
        return List.of();
    }

    private static Map<String, String> map(JsonNode node, String name, List<String> errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        if (!value.isObject()) {
            errors.add("Config." + name + " must be an object of strings");
            return Map.of();
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (!field.getValue().isTextual() || field.getValue().asText().isEmpty()) {
                errors.add("Config." + name + "." + field.getKey() + " must be a non-empty string");
                continue;
            }
            map.put(field.getKey(), field.getValue().asText());
        }
        return map;
    }

    private static Duration duration(JsonNode node, String name, List<String> errors,
                                     Function<JsonNode, Optional<Duration>> durations) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return Duration.ZERO;
        }
        Optional<Duration> parsed = durations.apply(value);
        if (parsed.isEmpty()) {
            errors.add("Config." + name + " must be a duration such as 30s or 2m30s");
            return Duration.ZERO;
        }
        return parsed.get();
    }
}
