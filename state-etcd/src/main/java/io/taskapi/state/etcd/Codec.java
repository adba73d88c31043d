package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etcd.jetcd.ByteSequence;
import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.NodeDriver;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.VerificationKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON of every value (field names as Nomad's API spells them). Indexes are not in the values: they are the
 * keys' etcd revisions. Reading is strict: a missing or mistyped field is an {@link IOException}.
 */
final class Codec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Codec() {}

    static ByteSequence token(AclToken token) {
        ObjectNode node = JSON.createObjectNode();
        node.put("AccessorID", token.accessorId());
        node.put("SecretID", token.secretId());
        node.put("Name", token.name());
        node.put("Type", token.type().name().toLowerCase(Locale.ROOT));
        ArrayNode policies = node.putArray("Policies");
        token.policies().forEach(policies::add);
        node.put("CreateTime", token.createTime().toString());
        token.expirationTime().ifPresent(expiry -> node.put("ExpirationTime", expiry.toString()));
        return bytes(node);
    }

    static AclToken token(byte[] value) throws IOException {
        JsonNode node = read(value);
        List<String> policies = new ArrayList<>();
        JsonNode array = node.path("Policies");
        if (!array.isArray()) {
            throw new IOException("Policies is not an array");
        }
        for (JsonNode policy : array) {
            policies.add(policy.asText());
        }
        AclTokenType type = switch (text(node, "Type")) {
            case "client" -> AclTokenType.CLIENT;
            case "management" -> AclTokenType.MANAGEMENT;
            default -> throw new IOException("unknown token type");
        };
        Optional<Instant> expiry = node.hasNonNull("ExpirationTime")
                ? Optional.of(instant(node, "ExpirationTime")) : Optional.empty();
        return new AclToken(text(node, "AccessorID"), text(node, "SecretID"), text(node, "Name"), type, policies,
                instant(node, "CreateTime"), expiry);
    }

    static ByteSequence policy(AclPolicy policy) {
        ObjectNode node = JSON.createObjectNode();
        node.put("Name", policy.name());
        node.put("Description", policy.description());
        node.put("Rules", policy.rules());
        policy.jobAcl().ifPresent(acl -> {
            ObjectNode job = node.putObject("JobACL");
            job.put("Namespace", acl.namespace());
            job.put("JobID", acl.jobId());
            job.put("Group", acl.group());
            job.put("Task", acl.task());
        });
        return bytes(node);
    }

    static AclPolicy policy(byte[] value, long createRevision, long modRevision) throws IOException {
        JsonNode node = read(value);
        Optional<JobAcl> jobAcl = Optional.empty();
        if (node.hasNonNull("JobACL")) {
            JsonNode job = node.get("JobACL");
            try {
                jobAcl = Optional.of(new JobAcl(text(job, "Namespace"), text(job, "JobID"), text(job, "Group"),
                        text(job, "Task")));
            } catch (IllegalArgumentException e) {
                throw new IOException("invalid JobACL: " + e.getMessage(), e);
            }
        }
        return new AclPolicy(text(node, "Name"), text(node, "Description"), text(node, "Rules"), jobAcl,
                createRevision, modRevision);
    }

    static ByteSequence role(AclRole role) {
        ObjectNode node = JSON.createObjectNode();
        node.put("ID", role.id());
        node.put("Name", role.name());
        node.put("Description", role.description());
        // Nomad's shape: policy links, not bare names.
        ArrayNode policies = node.putArray("Policies");
        role.policies().forEach(policy -> policies.addObject().put("Name", policy));
        return bytes(node);
    }

    static AclRole role(byte[] value, long createRevision, long modRevision) throws IOException {
        JsonNode node = read(value);
        JsonNode array = node.path("Policies");
        if (!array.isArray()) {
            throw new IOException("Policies is not an array");
        }
        List<String> policies = new ArrayList<>();
        for (JsonNode link : array) {
            policies.add(text(link, "Name"));
        }
        return new AclRole(text(node, "ID"), text(node, "Name"), text(node, "Description"), policies,
                createRevision, modRevision);
    }

    static ByteSequence authMethod(AclAuthMethod method) {
        ObjectNode node = JSON.createObjectNode();
        node.put("Name", method.name());
        node.put("Type", method.type());
        node.put("TokenLocality", method.tokenLocality());
        node.put("MaxTokenTTL", method.maxTokenTtl().toNanos());
        node.put("Default", method.isDefault());
        // A string, not an object: the store keeps the validated text exactly (key order, spacing, numbers).
        node.put("Config", method.config());
        node.put("CreateTime", method.createTime().toString());
        node.put("ModifyTime", method.modifyTime().toString());
        return bytes(node);
    }

    static AclAuthMethod authMethod(byte[] value, long createRevision, long modRevision) throws IOException {
        JsonNode node = read(value);
        JsonNode ttl = node.get("MaxTokenTTL");
        if (ttl == null || !ttl.isIntegralNumber() || !ttl.canConvertToLong()) {
            throw new IOException("MaxTokenTTL is missing or not a number of nanoseconds");
        }
        JsonNode isDefault = node.get("Default");
        if (isDefault == null || !isDefault.isBoolean()) {
            throw new IOException("Default is missing or not a boolean");
        }
        return new AclAuthMethod(text(node, "Name"), text(node, "Type"), text(node, "TokenLocality"),
                Duration.ofNanos(ttl.asLong()), isDefault.asBoolean(), text(node, "Config"),
                instant(node, "CreateTime"), instant(node, "ModifyTime"), createRevision, modRevision);
    }

    static ByteSequence bindingRule(AclBindingRule rule) {
        ObjectNode node = JSON.createObjectNode();
        node.put("ID", rule.id());
        node.put("Description", rule.description());
        node.put("AuthMethod", rule.authMethod());
        node.put("Selector", rule.selector());
        node.put("BindType", rule.bindType());
        node.put("BindName", rule.bindName());
        node.put("CreateTime", rule.createTime().toString());
        node.put("ModifyTime", rule.modifyTime().toString());
        return bytes(node);
    }

    static AclBindingRule bindingRule(byte[] value, long createRevision, long modRevision) throws IOException {
        JsonNode node = read(value);
        return new AclBindingRule(text(node, "ID"), text(node, "Description"), text(node, "AuthMethod"),
                text(node, "Selector"), text(node, "BindType"), text(node, "BindName"), instant(node, "CreateTime"),
                instant(node, "ModifyTime"), createRevision, modRevision);
    }

    static ByteSequence variable(StoredVariable variable, Instant createTime, Instant modifyTime) {
        ObjectNode node = JSON.createObjectNode();
        node.put("KeyID", variable.keyId());
        node.put("Ciphertext", Base64.getEncoder().encodeToString(variable.ciphertext()));
        node.put("CreateTime", createTime.toString());
        node.put("ModifyTime", modifyTime.toString());
        return bytes(node);
    }

    static StoredVariable variable(String namespace, String path, byte[] value, long createRevision,
                                   long modRevision) throws IOException {
        JsonNode node = read(value);
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(text(node, "Ciphertext"));
        } catch (IllegalArgumentException e) {
            throw new IOException("Ciphertext is not base64", e);
        }
        return new StoredVariable(namespace, path, text(node, "KeyID"), ciphertext, createRevision, modRevision,
                instant(node, "CreateTime"), instant(node, "ModifyTime"));
    }

    static ByteSequence node(NodeInfo node) {
        ObjectNode json = JSON.createObjectNode();
        json.put("ID", node.id());
        json.put("Name", node.name());
        json.put("Datacenter", node.datacenter());
        json.put("NodePool", node.nodePool());
        json.put("NodeClass", node.nodeClass());
        json.put("Status", node.status());
        putStrings(json.putObject("Attributes"), node.attributes());
        putStrings(json.putObject("Meta"), node.staticMeta());
        ObjectNode drivers = json.putObject("Drivers");
        node.drivers().forEach((name, driver) -> {
            ObjectNode d = drivers.putObject(name);
            d.put("Detected", driver.detected());
            d.put("Healthy", driver.healthy());
            d.put("HealthDescription", driver.healthDescription());
            d.put("UpdateTime", driver.updateTime().toString());
            putStrings(d.putObject("Attributes"), driver.attributes());
        });
        return bytes(json);
    }

    static NodeInfo node(byte[] value) throws IOException {
        JsonNode json = read(value);
        Map<String, NodeDriver> drivers = new TreeMap<>();
        for (Map.Entry<String, JsonNode> d : fields(json, "Drivers")) {
            JsonNode driver = d.getValue();
            drivers.put(d.getKey(), new NodeDriver(driver.path("Detected").asBoolean(),
                    driver.path("Healthy").asBoolean(), text(driver, "HealthDescription"),
                    instant(driver, "UpdateTime"), strings(driver, "Attributes")));
        }
        return new NodeInfo(text(json, "ID"), text(json, "Name"), text(json, "Datacenter"), text(json, "NodePool"),
                text(json, "NodeClass"), text(json, "Status"), strings(json, "Attributes"), strings(json, "Meta"),
                drivers);
    }

    static ByteSequence metadata(Map<String, Optional<String>> metadata) {
        ObjectNode json = JSON.createObjectNode();
        metadata.forEach((key, value) -> {
            if (value.isPresent()) {
                json.put(key, value.get());
            } else {
                json.putNull(key);
            }
        });
        return bytes(json);
    }

    static Map<String, Optional<String>> metadata(byte[] value) throws IOException {
        JsonNode json = read(value);
        Map<String, Optional<String>> metadata = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (field.getValue().isNull()) {
                metadata.put(field.getKey(), Optional.empty());
            } else if (field.getValue().isTextual()) {
                metadata.put(field.getKey(), Optional.of(field.getValue().asText()));
            } else {
                throw new IOException("metadata value of " + field.getKey() + " is not a string or null");
            }
        }
        return Map.copyOf(metadata);
    }

    private static void putStrings(ObjectNode into, Map<String, String> values) {
        new TreeMap<>(values).forEach(into::put);
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw new IOException(field + " is missing or not an object");
        }
        return value.properties();
    }

    private static Map<String, String> strings(JsonNode node, String field) throws IOException {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : fields(node, field)) {
            if (!entry.getValue().isTextual()) {
                throw new IOException(field + "." + entry.getKey() + " is not a string");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        }
        return values;
    }

    /** An allocation as stored: the node it runs on, what it runs, and whether it still runs. */
    record Allocation(String nodeId, AllocationWorkload workload, boolean live) {}

    static ByteSequence allocation(Allocation allocation) {
        ObjectNode json = JSON.createObjectNode();
        json.put("NodeID", allocation.nodeId());
        json.put("Namespace", allocation.workload().namespace());
        json.put("JobID", allocation.workload().jobId());
        json.put("TaskGroup", allocation.workload().group());
        ArrayNode tasks = json.putArray("Tasks");
        new TreeSet<>(allocation.workload().tasks()).forEach(tasks::add);
        json.put("Live", allocation.live());
        return bytes(json);
    }

    static Allocation allocation(byte[] value) throws IOException {
        JsonNode json = read(value);
        Set<String> tasks = new TreeSet<>();
        JsonNode array = json.path("Tasks");
        if (!array.isArray()) {
            throw new IOException("Tasks is not an array");
        }
        for (JsonNode task : array) {
            tasks.add(task.asText());
        }
        JsonNode live = json.get("Live");
        if (live == null || !live.isBoolean()) {
            throw new IOException("Live is missing or not a boolean");
        }
        try {
            return new Allocation(text(json, "NodeID"), new AllocationWorkload(text(json, "Namespace"),
                    text(json, "JobID"), text(json, "TaskGroup"), tasks), live.asBoolean());
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid allocation: " + e.getMessage(), e);
        }
    }

    static ByteSequence verificationKey(VerificationKey key) {
        ObjectNode json = JSON.createObjectNode();
        json.put("KeyID", key.keyId());
        json.put("Algorithm", key.algorithm().jwsName());
        json.put("PublicKey", Base64.getEncoder().encodeToString(key.publicKey().getEncoded()));
        return bytes(json);
    }

    static VerificationKey verificationKey(byte[] value) throws IOException {
        JsonNode json = read(value);
        SigningAlgorithm algorithm = SigningAlgorithm.fromJwsName(text(json, "Algorithm"))
                .orElseThrow(() -> new IOException("unknown algorithm"));
        try {
            KeyFactory factory = KeyFactory.getInstance(algorithm == SigningAlgorithm.RS256 ? "RSA" : "Ed25519");
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(
                    Base64.getDecoder().decode(text(json, "PublicKey"))));
            return new VerificationKey(text(json, "KeyID"), algorithm, publicKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("unreadable public key: " + e.getMessage(), e);
        }
    }

    /** A key as the keyring stores it: wrapped by the root key. */
    record WrappedKey(String id, Instant created, byte[] wrapped) {}

    static ByteSequence wrappedKey(WrappedKey key) {
        ObjectNode json = JSON.createObjectNode();
        json.put("ID", key.id());
        json.put("Created", key.created().toString());
        json.put("Wrapped", Base64.getEncoder().encodeToString(key.wrapped()));
        return bytes(json);
    }

    static WrappedKey wrappedKey(byte[] value) throws IOException {
        JsonNode json = read(value);
        try {
            return new WrappedKey(text(json, "ID"), instant(json, "Created"),
                    Base64.getDecoder().decode(text(json, "Wrapped")));
        } catch (IllegalArgumentException e) {
            throw new IOException("Wrapped is not base64", e);
        }
    }

    static ByteSequence bootstrap(String accessorId, Instant time) {
        ObjectNode node = JSON.createObjectNode();
        node.put("AccessorID", accessorId);
        node.put("Time", time.toString());
        return bytes(node);
    }

    private static ByteSequence bytes(ObjectNode node) {
        try {
            return ByteSequence.from(JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    private static JsonNode read(byte[] value) throws IOException {
        JsonNode node = JSON.readTree(new String(value, UTF_8));
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return node;
    }

    private static String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException(field + " is missing or not a string");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) throws IOException {
        try {
            return Instant.parse(text(node, field));
        } catch (DateTimeParseException e) {
            throw new IOException(field + " is not a time", e);
        }
    }
}
