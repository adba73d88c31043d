package io.taskapi.examples.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * The Nomad claims of a workload identity JWT, read from its payload <em>without</em> checking the signature: the
 * benchmark server only needs to know which allocation to mark live (running which job's task) and which namespace
 * to bind its policy to. The plugin verifies every token it is sent.
 *
 * @param namespace {@code nomad_namespace}
 * @param jobId {@code nomad_job_id}
 * @param allocationId {@code nomad_allocation_id}
 * @param task {@code nomad_task}
 * @param group the task group, from a Nomad-shaped {@code sub}
 *     ({@code <region>:<namespace>:<job>:<group>:<task>:<identity name>}), if it is one
 */
public record UnverifiedClaims(String namespace, String jobId, String allocationId, String task,
                               Optional<String> group) {
    /** Checks that nothing is missing. */
    public UnverifiedClaims {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(allocationId, "allocationId is null");
        requireNonNull(task, "task is null");
        requireNonNull(group, "group is null");
    }

    /**
     * @param jwt a compact JWS ({@code header.payload.signature})
     * @param mapper reads the payload
     * @return its Nomad claims
     * @throws IllegalArgumentException when it is not a compact JWS or a claim is missing
     */
    public static UnverifiedClaims of(String jwt, ObjectMapper mapper) {
        requireNonNull(jwt, "jwt is null");
        String[] parts = jwt.trim().split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("the JWT is not header.payload.signature");
        }
        JsonNode claims;
        try {
            claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWT payload is not base64url JSON", e);
        }
        return new UnverifiedClaims(claim(claims, "nomad_namespace"), claim(claims, "nomad_job_id"),
                claim(claims, "nomad_allocation_id"), claim(claims, "nomad_task"), group(claims.get("sub")));
    }

    private static Optional<String> group(JsonNode sub) {
        if (sub == null || !sub.isTextual()) {
            return Optional.empty();
        }
        String[] parts = sub.textValue().split(":", -1);
        return parts.length == 6 && !parts[3].isEmpty() ? Optional.of(parts[3]) : Optional.empty();
    }

    private static String claim(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalArgumentException("the JWT has no " + name + " claim");
        }
        return value.textValue();
    }
}
