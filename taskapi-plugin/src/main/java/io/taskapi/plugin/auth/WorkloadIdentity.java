package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A caller that presented a verified workload-identity JWT of a live allocation.
 *
 * @param namespace {@code nomad_namespace}
 * @param jobId {@code nomad_job_id} (the parent job for periodic and dispatch children)
 * @param allocationId {@code nomad_allocation_id}
 * @param task {@code nomad_task}
 * @param subject {@code sub}
 * @param audience {@code aud}
 * @param keyId the header's {@code kid}
 * @param issuedAt {@code iat}, if present
 * @param expiresAt {@code exp}, if present
 */
public record WorkloadIdentity(String namespace, String jobId, String allocationId, String task, String subject,
                               List<String> audience, String keyId, Optional<Instant> issuedAt,
                               Optional<Instant> expiresAt) implements Identity {
    /** Copies the audience and checks that nothing is missing. */
    public WorkloadIdentity {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(allocationId, "allocationId is null");
        requireNonNull(task, "task is null");
        requireNonNull(subject, "subject is null");
        audience = List.copyOf(requireNonNull(audience, "audience is null"));
        requireNonNull(keyId, "keyId is null");
        requireNonNull(issuedAt, "issuedAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    /**
     * The task group, which Nomad's claims carry only inside {@code sub}
     * ({@code <region>:<namespace>:<job>:<group>:<task>:<identity name>}).
     *
     * @return the group, when the subject has Nomad's shape and agrees with the other claims
     */
    public Optional<String> group() {
        String[] parts = subject.split(":", -1);
        if (parts.length != 6 || !parts[1].equals(namespace) || !parts[2].equals(jobId) || !parts[4].equals(task)
                || parts[3].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts[3]);
    }

    @Override
    public String auditName() {
        return "workload:" + subject;
    }
}
