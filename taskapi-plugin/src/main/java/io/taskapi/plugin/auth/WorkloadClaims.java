package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.AuthConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the claims of a workload identity whose signature has verified, and maps them to a {@link WorkloadIdentity}.
 * Times use the configured leeway; {@code aud} must name this API; Nomad's workload claims must all be there.
 */
final class WorkloadClaims {
    /** NumericDates outside year 1970..9999 are refused rather than risk overflow in time arithmetic. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;
    private static final List<String> REQUIRED = List.of("sub", "nomad_namespace", "nomad_job_id",
            "nomad_allocation_id", "nomad_task");

    private final String audience;
    private final Duration leeway;
    private final boolean requireExpiry;

    WorkloadClaims(AuthConfig config) {
        requireNonNull(config, "config is null");
        this.audience = config.audience();
        this.leeway = config.clockLeeway();
        this.requireExpiry = config.requireExpiry();
    }

    WorkloadIdentity check(ObjectNode claims, String keyId, Instant now) throws CredentialRejectedException {
        Optional<Instant> expiresAt = numericDate(claims, "exp");
        Optional<Instant> notBefore = numericDate(claims, "nbf");
        Optional<Instant> issuedAt = numericDate(claims, "iat");
        if (expiresAt.isEmpty() && requireExpiry) {
            throw new CredentialRejectedException(RejectionReason.BAD_TIME, "token has no expiry (exp)");
        }
        if (expiresAt.isPresent() && !now.isBefore(expiresAt.get().plus(leeway))) {
            throw new CredentialRejectedException(RejectionReason.BAD_TIME, "token expired");
        }
        Instant latestAccepted = now.plus(leeway);
        if (notBefore.isPresent() && notBefore.get().isAfter(latestAccepted)) {
            throw new CredentialRejectedException(RejectionReason.BAD_TIME, "token is not valid yet (nbf)");
        }
        if (issuedAt.isPresent() && issuedAt.get().isAfter(latestAccepted)) {
            throw new CredentialRejectedException(RejectionReason.BAD_TIME, "token is issued in the future (iat)");
        }
        List<String> audiences = audiences(claims.get("aud"));
        if (!audiences.contains(audience)) {
            throw new CredentialRejectedException(RejectionReason.WRONG_AUDIENCE,
                    "token audience does not include " + audience);
        }
        for (String name : REQUIRED) {
            requiredString(claims, name);
        }
        return new WorkloadIdentity(
                requiredString(claims, "nomad_namespace"),
                requiredString(claims, "nomad_job_id"),
                requiredString(claims, "nomad_allocation_id"),
                requiredString(claims, "nomad_task"),
                requiredString(claims, "sub"),
                audiences,
                keyId,
                issuedAt,
                expiresAt);
    }

    /** RFC 7519 §2: a JSON number of seconds since the epoch, possibly fractional. */
    private static Optional<Instant> numericDate(ObjectNode claims, String name) throws CredentialRejectedException {
        JsonNode node = claims.get(name);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            throw new CredentialRejectedException(RejectionReason.MALFORMED, "claim " + name + " is not a number");
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong() || node.longValue() < 0 || node.longValue() > MAX_EPOCH_SECOND) {
                throw outOfRange(name);
            }
            return Optional.of(Instant.ofEpochSecond(node.longValue()));
        }
        double seconds = node.doubleValue();
        if (!Double.isFinite(seconds) || seconds < 0 || seconds > MAX_EPOCH_SECOND) {
            throw outOfRange(name);
        }
        long whole = (long) Math.floor(seconds);
        long nanos = Math.min(999_999_999L, Math.round((seconds - whole) * 1e9));
        return Optional.of(Instant.ofEpochSecond(whole, nanos));
    }

    private static CredentialRejectedException outOfRange(String name) {
        return new CredentialRejectedException(RejectionReason.MALFORMED, "claim " + name + " is out of range");
    }

    /** RFC 7519 §4.1.3: a string or an array of strings; anything else, or nothing, names no audience. */
    private static List<String> audiences(JsonNode aud) throws CredentialRejectedException {
        if (aud != null && aud.isTextual()) {
            return List.of(aud.textValue());
        }
        if (aud == null || !aud.isArray() || aud.isEmpty()) {
            throw new CredentialRejectedException(RejectionReason.WRONG_AUDIENCE, "token has no audience (aud)");
        }
        List<String> values = new ArrayList<>(aud.size());
        for (JsonNode element : aud) {
            if (!element.isTextual()) {
                throw new CredentialRejectedException(RejectionReason.WRONG_AUDIENCE,
                        "token audience (aud) is not a list of strings");
            }
            values.add(element.textValue());
        }
        return List.copyOf(values);
    }

    private static String requiredString(ObjectNode claims, String name) throws CredentialRejectedException {
        JsonNode node = claims.get(name);
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw new CredentialRejectedException(RejectionReason.MISSING_CLAIM, "token has no " + name + " claim");
        }
        return node.textValue();
    }
}
