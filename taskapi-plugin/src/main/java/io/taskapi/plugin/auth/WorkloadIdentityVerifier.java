package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.jwt.CompactJws;
import io.taskapi.plugin.auth.jwt.JwsHeader;
import io.taskapi.plugin.auth.jwt.JwsSignatures;
import io.taskapi.plugin.auth.jwt.StrictJson;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.AuthConfig;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.AllocationStatus;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import jakarta.inject.Inject;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Nomad workload-identity JWTs (compact JWS, RS256 or EdDSA).
 *
 * <p>Order: a cache hit returns at once; otherwise the header is checked ({@link CompactJws}), the key is found by
 * {@code kid} and must be bound to the header's algorithm, the signature is checked with that key's algorithm, and
 * only then are the claims parsed and checked (time with leeway, audience, Nomad's claims). Last, the allocation
 * must be live, so an identity dies with its allocation, and must run what the claims name (namespace, job, task, and
 * the group in {@code sub}), so a signing key that leaked cannot put any job's claims, and so its policies, on any
 * live allocation: the signature alone no longer binds them. Both allocation checks run on every request, cached
 * identity or not. A keyring or registry that cannot answer is a 503, never an allow. Anything unexpected while
 * parsing is a MALFORMED refusal, never a 500, and no message or log line ever holds any part of the token.
 */
public final class WorkloadIdentityVerifier implements IdentityVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadIdentityVerifier.class);

    private final IdentityKeyStore keys;
    private final AllocationRegistry allocations;
    private final VerifiedIdentityCache cache;
    private final WorkloadClaims claims;
    private final Clock clock;

    /**
     * @param keys the keyring, by {@code kid}
     * @param allocations which allocations are live
     * @param cache verified identities (a singleton shared with nothing else)
     * @param config audience, leeway and whether {@code exp} is required
     * @param clock the time tokens are checked against
     */
    @Inject
    public WorkloadIdentityVerifier(IdentityKeyStore keys, AllocationRegistry allocations,
                                    VerifiedIdentityCache cache, AuthConfig config, Clock clock) {
        this.keys = requireNonNull(keys, "keys is null");
        this.allocations = requireNonNull(allocations, "allocations is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.claims = new WorkloadClaims(requireNonNull(config, "config is null"));
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public boolean recognizes(String credential) {
        return CompactJws.hasCompactShape(credential);
    }

    @Override
    public Identity verify(String credential) throws CredentialRejectedException, StateUnavailableException {
        Optional<Identity> cached = verifyCached(credential);
        if (cached.isPresent()) {
            return cached.get();
        }
        long generation = cache.generation();
        try {
            WorkloadIdentity identity = verifyFully(credential);
            cache.put(credential, identity, generation);
            return identity;
        } catch (CredentialRejectedException e) {
            LOG.debug("workload identity refused: {}: {}", e.reason(), e.getMessage());
            throw e;
        }
    }

    @Override
    public Optional<Identity> verifyCached(String credential)
            throws CredentialRejectedException, StateUnavailableException {
        Optional<WorkloadIdentity> cached = cache.get(requireNonNull(credential, "credential is null"));
        if (cached.isEmpty()) {
            return Optional.empty();
        }
        // The cache saves the crypto; liveness and the match are still asked every time (the registry answers from
        // memory), because an agent may report an allocation terminal a moment before its end notification drops
        // the entry.
        requireLiveAllocation(cached.get());
        return Optional.of(cached.get());
    }

    private WorkloadIdentity verifyFully(String credential)
            throws CredentialRejectedException, StateUnavailableException {
        CompactJws jws = parsing(() -> CompactJws.parse(credential));
        JwsHeader header = jws.header();
        VerificationKey key = findKey(header.keyId());
        // The key, not the header, decides the algorithm; a header naming another one is refused outright.
        if (key.algorithm() != header.algorithm()) {
            throw new CredentialRejectedException(RejectionReason.BAD_ALGORITHM,
                    "token algorithm does not match its key");
        }
        if (!signatureVerifies(key, jws)) {
            throw new CredentialRejectedException(RejectionReason.BAD_SIGNATURE, "token signature is not valid");
        }
        WorkloadIdentity identity = parsing(() -> claims.check(
                StrictJson.parseObject(jws.payload(), "token claims"), header.keyId(), clock.instant()));
        requireLiveAllocation(identity);
        return identity;
    }

    /** The allocation is live and runs what the identity claims. */
    private void requireLiveAllocation(WorkloadIdentity identity)
            throws CredentialRejectedException, StateUnavailableException {
        requireLive(identity);
        Optional<AllocationWorkload> workload = allocationWorkload(identity.allocationId());
        if (workload.isEmpty() || !runs(workload.get(), identity)) {
            // Only a holder of a signing key gets here: worth the operator's attention. The id is a live
            // allocation's and the workload the registry's; the other claims are the caller's text, so not logged.
            LOG.warn("a workload identity of allocation {} claims another namespace, job, group or task than the "
                    + "allocation runs ({}): refused", identity.allocationId(),
                    workload.map(Object::toString).orElse("the registry does not know what it runs"));
            throw new CredentialRejectedException(RejectionReason.ALLOCATION_MISMATCH,
                    "identity does not match its allocation");
        }
    }

    private static boolean runs(AllocationWorkload workload, WorkloadIdentity identity) {
        // The group only counts where policies use it: a Nomad-shaped subject (WorkloadIdentity#group).
        return workload.namespace().equals(identity.namespace())
                && workload.jobId().equals(identity.jobId())
                && workload.tasks().contains(identity.task())
                && identity.group().map(workload.group()::equals).orElse(true);
    }

    private void requireLive(WorkloadIdentity identity) throws CredentialRejectedException, StateUnavailableException {
        AllocationStatus status = allocationStatus(identity.allocationId());
        switch (status) {
            case LIVE -> {
                return;
            }
            case TERMINAL -> throw new CredentialRejectedException(RejectionReason.ALLOCATION_NOT_LIVE,
                    "allocation is terminal");
            case UNKNOWN -> throw new CredentialRejectedException(RejectionReason.ALLOCATION_NOT_LIVE,
                    "allocation does not exist");
            default -> throw new StateUnavailableException("allocation registry gave an unknown status");
        }
    }

    private boolean signatureVerifies(VerificationKey key, CompactJws jws) throws CredentialRejectedException {
        try {
            return JwsSignatures.verify(key, jws.signingInput(), jws.signature());
        } catch (InvalidKeyException e) {
            // The keyring holds a key that must not be used; say so to the operator, not to the caller.
            LOG.warn("identity key {} cannot verify {}: {}", key.keyId(), key.algorithm().jwsName(), e.getMessage());
            throw new CredentialRejectedException(RejectionReason.BAD_ALGORITHM, "token key cannot be used");
        } catch (RuntimeException e) {
            LOG.debug("signature check failed with {}", e.getClass().getName());
            throw new CredentialRejectedException(RejectionReason.BAD_SIGNATURE, "token signature is not valid");
        }
    }

    private VerificationKey findKey(String keyId) throws CredentialRejectedException, StateUnavailableException {
        Optional<VerificationKey> key;
        try {
            key = keys.findKey(keyId);
        } catch (RuntimeException e) {
            throw new StateUnavailableException("identity keyring failed", e);
        }
        if (key == null) {
            throw new StateUnavailableException("identity keyring gave no answer");
        }
        if (key.isEmpty()) {
            throw new CredentialRejectedException(RejectionReason.UNKNOWN_KEY, "token key is not known");
        }
        return key.get();
    }

    private AllocationStatus allocationStatus(String allocationId) throws StateUnavailableException {
        return askRegistry(() -> allocations.status(allocationId));
    }

    private Optional<AllocationWorkload> allocationWorkload(String allocationId) throws StateUnavailableException {
        return askRegistry(() -> allocations.workload(allocationId));
    }

    /** A registry that throws unchecked or answers nothing cannot answer: 503, never an allow. */
    private static <T> T askRegistry(RegistryCall<T> call) throws StateUnavailableException {
        T answer;
        try {
            answer = call.run();
        } catch (RuntimeException e) {
            throw new StateUnavailableException("allocation registry failed", e);
        }
        if (answer == null) {
            throw new StateUnavailableException("allocation registry gave no answer");
        }
        return answer;
    }

    /** Runs a parsing step; a surprise inside it is the token's fault, reported without its text. */
    private static <T> T parsing(ParsingStep<T> step) throws CredentialRejectedException {
        try {
            return step.run();
        } catch (RuntimeException e) {
            // Only the class name: exception messages from parsers can quote their input.
            LOG.debug("malformed workload identity: {}", e.getClass().getName());
            throw new CredentialRejectedException(RejectionReason.MALFORMED, "token is malformed");
        }
    }

    @FunctionalInterface
    private interface ParsingStep<T> {
        T run() throws CredentialRejectedException;
    }

    @FunctionalInterface
    private interface RegistryCall<T> {
        T run() throws StateUnavailableException;
    }
}
