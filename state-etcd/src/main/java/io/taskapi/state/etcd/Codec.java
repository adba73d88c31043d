package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etcd.jetcd.ByteSequence;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.StoredVariable;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
