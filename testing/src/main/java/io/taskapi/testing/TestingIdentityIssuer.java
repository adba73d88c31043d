package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.VerificationKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mints Nomad-shaped workload identity JWTs for tests, good and bad, and publishes the keys that verify them.
 *
 * <p>It starts with two published keys, as a Nomad cluster upgraded from before 1.7 has: an RSA-2048 key signing
 * RS256 (the default signer) and an Ed25519 key signing EdDSA, each with a random UUID {@code kid}. More keys can be
 * added, published (they appear in {@link #verificationKeys()} and {@link #jwksJson()}) or not (for unknown-kid
 * tests).
 *
 * <pre>{@code
 * TestingIdentityIssuer issuer = TestingIdentityIssuer.create();
 * String good = issuer.mint(task);                                            // RS256, valid for 1h
 * String expired = issuer.token(task).expiresAt(Duration.ofMinutes(-10)).sign();
 * String wrongKid = issuer.token(task).signedWith(issuer.ed25519Key()).kid(issuer.rsaKey().keyId()).sign();
 * }</pre>
 *
 * <p>The issuer is thread-safe; the builders it hands out are not.
 */
public final class TestingIdentityIssuer {
    /** The audience Nomad forces on the default identity. */
    public static final String DEFAULT_AUDIENCE = "nomadproject.io";
    /** The region in the {@code sub} claim. */
    public static final String DEFAULT_REGION = "global";
    /** The identity name at the end of the {@code sub} claim. */
    public static final String DEFAULT_IDENTITY_NAME = "default";
    /** How long a token is valid unless a builder says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    private final Clock clock;
    private final SigningKey rsaKey;
    private final SigningKey ed25519Key;
    // kid -> key, in the order keys were published; guarded by this
    private final Map<String, SigningKey> published = new LinkedHashMap<>();

    private TestingIdentityIssuer(Clock clock, SigningKey rsaKey, SigningKey ed25519Key) {
        this.clock = requireNonNull(clock, "clock is null");
        this.rsaKey = requireNonNull(rsaKey, "rsaKey is null");
        this.ed25519Key = requireNonNull(ed25519Key, "ed25519Key is null");
        publish(rsaKey);
        publish(ed25519Key);
    }

    /** @return an issuer on the system clock with freshly generated keys */
    public static TestingIdentityIssuer create() {
        return create(Clock.systemUTC());
    }

    /**
     * @param clock what "now" is for {@code iat}, {@code nbf} and {@code exp}, for example a {@link TestingClock}
     * @return an issuer with freshly generated keys
     */
    public static TestingIdentityIssuer create(Clock clock) {
        return new TestingIdentityIssuer(clock, SigningKey.generate(SigningAlgorithm.RS256),
                SigningKey.generate(SigningAlgorithm.EDDSA));
    }

    /**
     * @param clock what "now" is
     * @param rsaKey the default RS256 signer
     * @param ed25519Key the EdDSA signer
     * @return an issuer with these keys, both published
     */
    public static TestingIdentityIssuer create(Clock clock, SigningKey rsaKey, SigningKey ed25519Key) {
        if (requireNonNull(rsaKey, "rsaKey is null").algorithm() != SigningAlgorithm.RS256) {
            throw new IllegalArgumentException("rsaKey must sign RS256: " + rsaKey);
        }
        if (requireNonNull(ed25519Key, "ed25519Key is null").algorithm() != SigningAlgorithm.EDDSA) {
            throw new IllegalArgumentException("ed25519Key must sign EdDSA: " + ed25519Key);
        }
        return new TestingIdentityIssuer(clock, rsaKey, ed25519Key);
    }

    /** @return the clock token times are taken from */
    public Clock clock() {
        return clock;
    }

    /** @return the RSA-2048 key that signs RS256, the default signer */
    public SigningKey rsaKey() {
        return rsaKey;
    }

    /** @return the Ed25519 key that signs EdDSA */
    public SigningKey ed25519Key() {
        return ed25519Key;
    }

    /**
     * @param algorithm RS256 or EdDSA
     * @return the issuer's own key for it
     */
    public SigningKey key(SigningAlgorithm algorithm) {
        return switch (requireNonNull(algorithm, "algorithm is null")) {
            case RS256 -> rsaKey;
            case EDDSA -> ed25519Key;
        };
    }

    /**
     * Generates a key and publishes it, as a key rotation does.
     *
     * @param algorithm what it signs
     * @return the key, for {@link IdentityTokenBuilder#signedWith}
     */
    public SigningKey addPublishedKey(SigningAlgorithm algorithm) {
        SigningKey key = SigningKey.generate(algorithm);
        publish(key);
        return key;
    }

    /**
     * Generates a key that is not published: tokens it signs carry a {@code kid} no verifier knows.
     *
     * @param algorithm what it signs
     * @return the key, for {@link IdentityTokenBuilder#signedWith}
     */
    public SigningKey addUnpublishedKey(SigningAlgorithm algorithm) {
        return SigningKey.generate(algorithm);
    }

    /**
     * Publishes a key (again). Publishing only changes what this issuer lists: a key store that was fed earlier must
     * be told too, for example with {@link InMemoryIdentityKeyStore#publish}.
     *
     * @param key any signing key
     */
    public synchronized void publish(SigningKey key) {
        requireNonNull(key, "key is null");
        published.put(key.keyId(), key);
    }

    /**
     * Stops listing a key. It can still sign, which makes tokens with a retired {@code kid}.
     *
     * @param keyId the key's {@code kid}
     * @return whether it was published
     */
    public synchronized boolean unpublish(String keyId) {
        return published.remove(requireNonNull(keyId, "keyId is null")) != null;
    }

    /**
     * @param keyId a {@code kid}
     * @return the published signing key with it
     */
    public synchronized Optional<SigningKey> publishedKey(String keyId) {
        return Optional.ofNullable(published.get(requireNonNull(keyId, "keyId is null")));
    }

    /** @return the published keys' public halves, in the order they were published */
    public synchronized List<VerificationKey> verificationKeys() {
        return published.values().stream().map(SigningKey::verificationKey).toList();
    }

    /** @return the published keys as an RFC 7517 JWKS, the shape of Nomad's {@code /.well-known/jwks.json} */
    public String jwksJson() {
        return Jwks.jwksJson(verificationKeys());
    }

    /**
     * Starts a token for a task: valid, RS256, Nomad's claims, until the builder changes something.
     *
     * @param task the task the identity names
     * @return a builder for one token
     */
    public IdentityTokenBuilder token(TaskRef task) {
        return new IdentityTokenBuilder(clock, rsaKey, task);
    }

    /**
     * @param task the task the identity names
     * @return a valid RS256 workload identity for it, expiring in {@link #DEFAULT_TTL}
     */
    public String mint(TaskRef task) {
        return token(task).sign();
    }

    /** @return the published key ids, never key material */
    @Override
    public synchronized String toString() {
        return "TestingIdentityIssuer[published=" + published.keySet() + "]";
    }
}
