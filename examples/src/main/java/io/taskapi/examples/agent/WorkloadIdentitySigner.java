package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.driver.TaskRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    private final IdentityKeyring keyring;
    private final String region;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param keyring the signing key
     * @param region the region at the start of {@code sub}
     * @param ttl how long an identity is valid
     * @param clock the time {@code iat} is read from
     */
    public WorkloadIdentitySigner(IdentityKeyring keyring, String region, Duration ttl, Clock clock) {
        this.keyring = requireNonNull(keyring, "keyring is null");
        this.region = requireNonNull(region, "region is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * @param task the task
     * @return its signed identity: a secret, never to be logged
     */
    public String sign(TaskRef task) {
        requireNonNull(task, "task is null");
        long now = Instant.now(clock).getEpochSecond();
        ObjectNode header = JSON.createObjectNode();
        header.put("alg", "RS256");
        header.put("kid", keyring.keyId());
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
        return keyring.sign(header.toString(), claims.toString());
    }
}
