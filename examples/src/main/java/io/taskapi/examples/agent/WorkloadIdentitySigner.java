package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.StateUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Signs a task's default workload identity with Nomad's claims:
 *
 * <pre>{@code
 * header {"alg":"RS256","kid":"<thumbprint>","typ":"JWT"}
 * claims {"aud":["nomadproject.io"],"iat":…,"nbf":…,"exp":…,"jti":"<uuid>",
 *         "nomad_namespace":"default","nomad_job_id":"web","nomad_allocation_id":"<uuid>","nomad_task":"web",
 *         "sub":"global:default:web:web:web:default"}
 * }</pre>
 *
 * <p>Unlike Nomad's default identity, it has an {@code exp} (the plugin requires one by default); the allocation's
 * end revokes it earlier, since the plugin refuses identities of terminal allocations.
 */
public final class WorkloadIdentitySigner {
    /** Nomad's audience for the default identity. */
    public static final String AUDIENCE = "nomadproject.io";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;
    private final String region;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param keys the signing key
     * @param region the region at the start of {@code sub}
     * @param ttl how long an identity is valid
     * @param clock the time {@code iat} is read from
     */
    public WorkloadIdentitySigner(SigningKeys keys, String region, Duration ttl, Clock clock) {
        this.keys = requireNonNull(keys, "keys is null");
        this.region = requireNonNull(region, "region is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * @param task the task
     * @return its signed identity: a secret, never to be logged
     * @throws IllegalStateException when the signing key cannot be had now (a sealed or unreachable cluster keyring)
     */
    public String sign(TaskRef task) {
        requireNonNull(task, "task is null");
        SigningKeys.ActiveKey key;
        try {
            key = keys.active();
        } catch (StateUnavailableException e) {
            throw new IllegalStateException("cannot sign the workload identity: " + e.getMessage(), e);
        }
        long now = Instant.now(clock).getEpochSecond();
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "RS256");
        header.put("kid", key.keyId());
        header.put("typ", "JWT");
        ObjectNode claims = JSON.createObjectNode();
        claims.putArray("aud").add(AUDIENCE);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + ttl.toSeconds());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("nomad_namespace", task.namespace());
        claims.put("nomad_job_id", task.jobId());
        claims.put("nomad_allocation_id", task.allocationId());
        claims.put("nomad_task", task.taskName());
        claims.put("sub", String.join(":", region, task.namespace(), task.jobId(), task.group(), task.taskName(),
                "default"));
        return sign(key, header.toString(), claims.toString());
    }

    /** A compact JWS, RS256. */
    private static String sign(SigningKeys.ActiveKey key, String headerJson, String payloadJson) {
        String signingInput = URL.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RS256 signing failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
