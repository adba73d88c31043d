package io.taskapi.benchmarks.jmh;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.auth.VerifiedIdentityCache;
import io.taskapi.plugin.auth.WorkloadIdentityVerifier;
import io.taskapi.plugin.auth.jwt.CompactJws;
import io.taskapi.plugin.auth.jwt.JwsSignatures;
import io.taskapi.plugin.config.AuthConfig;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import io.taskapi.testing.InMemoryAllocationRegistry;
import io.taskapi.testing.InMemoryIdentityKeyStore;
import io.taskapi.testing.SigningKey;
import io.taskapi.testing.TestingIdentityIssuer;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a workload identity costs the plugin's {@link WorkloadIdentityVerifier}: with its verified-identity cache
 * switched off (every call parses the token, checks the EdDSA signature and the claims) and on (every call after the
 * first is a cache hit), next to the bare Ed25519 check. One Nomad-shaped token signed with Ed25519, as the
 * benchmark server mints it. Run with {@code ./mvnw -B -Pjmh -pl benchmarks -am verify -DskipTests}
 * (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class WorkloadIdentityBenchmark {
    private String token;
    private VerificationKey key;
    private CompactJws jws;
    private Ed25519PublicKeyParameters decodedKey;
    private WorkloadIdentityVerifier uncached;
    private WorkloadIdentityVerifier cached;
    private VerifiedIdentityCache offCache;
    private VerifiedIdentityCache onCache;

    /** Mints the token and builds one verifier with the cache off and one with it on (and warm). */
    @Setup
    public void setUp() throws Exception {
        TestingIdentityIssuer issuer = TestingIdentityIssuer.create();
        SigningKey signing = issuer.ed25519Key();
        key = signing.verificationKey();
        TaskRef task = new TaskRef(UUID.randomUUID().toString(), "default", "example", "example", "web");
        token = issuer.token(task).signedWith(signing).sign();
        jws = CompactJws.parse(token);
        byte[] spki = key.publicKey().getEncoded();
        decodedKey = new Ed25519PublicKeyParameters(spki, spki.length - 32);
        InMemoryAllocationRegistry allocations = new InMemoryAllocationRegistry();
        allocations.markLive(task);
        InMemoryIdentityKeyStore keys = InMemoryIdentityKeyStore.of(List.of(key));
        Clock clock = Clock.systemUTC();
        AuthConfig off = TaskApiConfig.fromMap(Map.of("identity.cache-size", "0")).auth();
        AuthConfig on = TaskApiConfig.defaults().auth();
        offCache = new VerifiedIdentityCache(allocations, off, clock);
        onCache = new VerifiedIdentityCache(allocations, on, clock);
        uncached = new WorkloadIdentityVerifier(keys, allocations, offCache, off, clock);
        cached = new WorkloadIdentityVerifier(keys, allocations, onCache, on, clock);
        cached.verify(token);
        if (onCache.size() != 1) {
            throw new IllegalStateException("the cache did not take the token");
        }
    }

    /** Closes the caches. */
    @TearDown
    public void tearDown() {
        offCache.close();
        onCache.close();
    }

    /** @return the identity, verified in full: parse, Ed25519, claims, allocation liveness */
    @Benchmark
    public Identity verifyCacheOff() throws CredentialRejectedException, StateUnavailableException {
        return uncached.verify(token);
    }

    /** @return the identity, from the cache: SHA-256 of the token, a lookup, an expiry check */
    @Benchmark
    public Identity verifyCacheOn() throws CredentialRejectedException, StateUnavailableException {
        return cached.verify(token);
    }

    /** @return the bare signature check, as the verifier makes it (Bouncy Castle's Ed25519) */
    @Benchmark
    public boolean ed25519SignatureOnly() throws InvalidKeyException {
        return JwsSignatures.verify(key, jws.signingInput(), jws.signature());
    }

    /**
     * @return the same check with the public key decoded once, in setup: what decoding the key on every call (as
     *     {@link JwsSignatures} does) costs is the difference to {@link #ed25519SignatureOnly()}
     */
    @Benchmark
    public boolean ed25519PreDecodedKey() {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, decodedKey);
        byte[] input = jws.signingInput();
        verifier.update(input, 0, input.length);
        return verifier.verifySignature(jws.signature());
    }

    /** @return the token parsed into header, payload and signature (no signature check) */
    @Benchmark
    public CompactJws parseOnly() throws CredentialRejectedException {
        return CompactJws.parse(token);
    }
}
