package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys that sign workload identities, shared by every agent, so that an identity signed by any agent verifies on
 * all of them. A key's private half is stored only wrapped by the {@link RootKey} ({@code keyring/signing-keys/<id>});
 * its public half is published in the same transaction ({@code keyring/public/<id>}, what
 * {@link EtcdIdentityKeyStore} serves and the JWKS lists). {@code keyring/active/signing} names the key new identities
 * are signed with: the first agent to need one makes it (one winner), {@link #rotate()} makes a new one active and
 * leaves the previous ones published until {@link #retire} (once no token they signed can still be valid).
 * Without the root key, or with another cluster's, signing is sealed ({@link StateUnavailableException}).
 */
public final class EtcdSigningKeyring {
    private static final String ACTIVE = "signing";
    private static final int RSA_BITS = 2048;

    /**
     * A key to sign with. {@link #toString()} shows no key material.
     *
     * @param keyId the {@code kid} the tokens carry
     * @param algorithm how it signs (RS256)
     * @param privateKey the private half
     */
    public record SigningKey(String keyId, SigningAlgorithm algorithm, PrivateKey privateKey) {
        @Override
        public String toString() {
            return "SigningKey[" + keyId + ", " + algorithm.jwsName() + "]";
        }
    }

    private final EtcdState state;
    private final Optional<RootKey> rootKey;
    private final EtcdIdentityKeyStore publicKeys;
    private final WatchedPrefix<Codec.WrappedKey> keys;
    private final WatchedPrefix<String> active;
    private final Map<String, SigningKey> unwrapped = new ConcurrentHashMap<>();

    EtcdSigningKeyring(EtcdState state, Optional<RootKey> rootKey, EtcdIdentityKeyStore publicKeys) {
        this.state = state;
        this.rootKey = requireNonNull(rootKey, "rootKey is null");
        this.publicKeys = requireNonNull(publicKeys, "publicKeys is null");
        this.keys = state.cache("signing keys", KeyLayout.SIGNING_KEYS,
                (key, value, create, modify) -> Codec.wrappedKey(value), null);
        this.active = state.cache("active signing key", KeyLayout.ACTIVE_KEYS,
                (key, value, create, modify) -> new String(value, UTF_8), null);
    }

    /**
     * @return the key new identities are signed with, once this connection's {@link EtcdIdentityKeyStore} has its
     *     public half (so that what it signs verifies on this agent at once); the first call in the cluster's life
     *     makes it
     * @throws StateUnavailableException when sealed, or etcd cannot answer, or the root key does not open it
     */
    public SigningKey activeSigningKey() throws StateUnavailableException {
        RootKey root = unsealed();
        Optional<String> id = active.get(ACTIVE);
        if (id.isEmpty()) {
            id = Optional.of(publish(root, true));
        }
        SigningKey key = signingKey(root, id.get());
        awaitPublic(key.keyId());
        return key;
    }

    /**
     * The public half is written in the same transaction as the key, but reaches the identity key store through
     * that store's own watch, which may lag this keyring's. A memory lookup once it has; polled until then (a new
     * key only).
     */
    private void awaitPublic(String keyId) throws StateUnavailableException {
        long deadline = System.nanoTime() + state.config().requestTimeout().toNanos();
        while (publicKeys.findKey(keyId).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new StateUnavailableException("the public half of signing key " + keyId + " has not reached"
                        + " this agent within " + state.config().requestTimeout().toMillis() + " ms");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateUnavailableException("interrupted while waiting for a signing key", e);
            }
        }
    }

    /**
     * Makes a new key active for every agent; the previous ones stay published. Durable when it returns.
     *
     * @return the new key's id
     * @throws StateUnavailableException when sealed, or etcd cannot take it now
     */
    public String rotate() throws StateUnavailableException {
        return publish(unsealed(), false);
    }

    /**
     * Unpublishes a key that is no longer active: the identities it signed stop verifying on every agent.
     *
     * @param keyId the key
     * @return whether it was there
     * @throws IllegalArgumentException when it is the active key
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public boolean retire(String keyId) throws StateUnavailableException {
        requireNonNull(keyId, "keyId is null");
        ByteSequence pointer = state.layout().key(KeyLayout.ACTIVE_KEYS + ACTIVE);
        // etcd fails any value comparison on a missing key, so "no active key" is its own case: a version of 0.
        Op[] deletes = {Op.delete(state.layout().key(KeyLayout.SIGNING_KEYS + keyId), DeleteOption.DEFAULT),
            Op.delete(state.layout().key(KeyLayout.PUBLIC_KEYS + keyId), DeleteOption.DEFAULT)};
        TxnResponse response = state.write("retire a signing key", () -> state.client().getKVClient().txn()
                .If(new Cmp(pointer, Cmp.Op.NOT_EQUAL, CmpTarget.value(ByteSequence.from(keyId, UTF_8))))
                .Then(deletes)
                .Else(Op.txn(new Cmp[] {new Cmp(pointer, Cmp.Op.EQUAL, CmpTarget.version(0))}, deletes, new Op[0]))
                .commit());
        if (!response.isSucceeded() && !response.getTxnResponses().get(0).isSucceeded()) {
            throw new IllegalArgumentException("the active signing key cannot be retired; rotate first");
        }
        unwrapped.remove(keyId);
        TxnResponse applied = response.isSucceeded() ? response : response.getTxnResponses().get(0);
        boolean deleted = applied.getDeleteResponses().get(0).getDeleted() > 0;
        if (deleted) {
            keys.awaitOwnWrite(response.getHeader().getRevision());
        }
        return deleted;
    }

    /** Makes a key and its public half; as the first key only if there is none (else that one is returned). */
    private String publish(RootKey root, boolean onlyIfFirst) throws StateUnavailableException {
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK makes RSA keys", e);
        }
        String id = UUID.randomUUID().toString();
        byte[] material = pair.getPrivate().getEncoded();
        Codec.WrappedKey wrapped = new Codec.WrappedKey(id, state.clock().instant(), root.wrap(id, material));
        Arrays.fill(material, (byte) 0);
        VerificationKey verification = new VerificationKey(id, SigningAlgorithm.RS256, pair.getPublic());
        ByteSequence pointer = state.layout().key(KeyLayout.ACTIVE_KEYS + ACTIVE);
        for (int attempt = 0; attempt < 16; attempt++) {
            long seen = state.write("read the active signing key", () -> state.client().getKVClient().get(pointer))
                    .getKvs().stream().findFirst().map(kv -> kv.getModRevision()).orElse(0L);
            if (onlyIfFirst && seen != 0) {
                break;
            }
            TxnResponse response = state.write("publish a signing key", () -> state.client().getKVClient().txn()
                    .If(new Cmp(pointer, Cmp.Op.EQUAL, CmpTarget.modRevision(seen)))
                    .Then(Op.put(state.layout().key(KeyLayout.SIGNING_KEYS + id), Codec.wrappedKey(wrapped),
                                    PutOption.DEFAULT),
                            Op.put(state.layout().key(KeyLayout.PUBLIC_KEYS + id), Codec.verificationKey(verification),
                                    PutOption.DEFAULT),
                            Op.put(pointer, ByteSequence.from(id, UTF_8), PutOption.DEFAULT))
                    .commit());
            if (response.isSucceeded()) {
                keys.awaitOwnWrite(response.getHeader().getRevision());
                active.awaitOwnWrite(response.getHeader().getRevision());
                return id;
            }
        }
        if (onlyIfFirst) {
            // Another agent made the first key: that one is active.
            return state.write("read the active signing key", () -> state.client().getKVClient().get(pointer,
                    GetOption.DEFAULT)).getKvs().get(0).getValue().toString(UTF_8);
        }
        throw new StateUnavailableException("too many concurrent rotations; try again");
    }

    private SigningKey signingKey(RootKey root, String id) throws StateUnavailableException {
        SigningKey known = unwrapped.get(id);
        if (known != null) {
            return known;
        }
        Codec.WrappedKey wrapped = EtcdKeyring.cachedOrRead(keys, KeyLayout.SIGNING_KEYS + id, state).orElseThrow(
                () -> new StateUnavailableException("the signing keyring has no key " + id));
        byte[] material = null;
        try {
            material = root.unwrap(id, wrapped.wrapped());
            PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(material));
            SigningKey key = new SigningKey(id, SigningAlgorithm.RS256, privateKey);
            unwrapped.put(id, key);
            return key;
        } catch (GeneralSecurityException e) {
            throw new StateUnavailableException("the signing keyring is sealed: this agent's root key does not open"
                    + " key " + id + " (another cluster's root key?)");
        } finally {
            if (material != null) {
                Arrays.fill(material, (byte) 0);
            }
        }
    }

    private RootKey unsealed() throws StateUnavailableException {
        return rootKey.orElseThrow(() -> new StateUnavailableException(
                "the signing keyring is sealed: this agent has no root key (-keyring-key-file)"));
    }

    @Override
    public String toString() {
        return "EtcdSigningKeyring[" + (rootKey.isEmpty() ? "sealed" : "unsealed") + ", " + keys + "]";
    }
}
