package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VariableKeyring;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster's variable keyring in etcd: the AES-256 keys that encrypt variables, shared by every agent, so that a
 * variable written through one agent is read through any other. The same model as the plugin's file keyring (one
 * active key, older keys kept so that what they encrypted stays readable), with the material stored only wrapped by
 * the {@link RootKey} each agent loads from its own file:
 *
 * <pre>
 * keyring/variable-keys/&lt;id&gt;   {"ID","Created","Wrapped": base64(nonce + AES-GCM(root key, material, id))}
 * keyring/active/variables      the active key's id
 * </pre>
 *
 * <p>The first key is made by whichever agent asks first (a transaction on the active pointer: one winner, the others
 * use its key); {@link #rotate()} adds a key and moves the pointer in one transaction. An agent without a root key is
 * <b>sealed</b>: every call that needs key material throws {@link StateUnavailableException} (the variable routes
 * answer 503); so is one whose root key does not open the cluster's keys (another cluster's root key).
 */
public final class EtcdKeyring implements VariableKeyring {
    private static final String ACTIVE = "variables";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NO_ROOT_KEY = "this agent has no root key (-keyring-key-file)";

    /**
     * What is public about a key.
     *
     * @param id its id, which ciphertexts name
     * @param created when it was made
     * @param active whether new ciphertexts use it
     */
    public record KeyInfo(String id, Instant created, boolean active) {}

    private final EtcdState state;
    private final Optional<RootKey> rootKey;
    private final WatchedPrefix<Codec.WrappedKey> keys;
    private final WatchedPrefix<String> active;
    private final Map<String, SecretKey> unwrapped = new ConcurrentHashMap<>();

    EtcdKeyring(EtcdState state, Optional<RootKey> rootKey) {
        this.state = state;
        this.rootKey = requireNonNull(rootKey, "rootKey is null");
        this.keys = state.cache("variable keys", KeyLayout.VARIABLE_KEYS,
                (key, value, create, modify) -> Codec.wrappedKey(value), null);
        this.active = state.cache("active keys", KeyLayout.ACTIVE_KEYS,
                (key, value, create, modify) -> new String(value, UTF_8), null);
    }

    /** @return whether this agent has no root key: it cannot use the keyring */
    public boolean isSealed() {
        return rootKey.isEmpty();
    }

    @Override
    public Optional<String> sealedReason() {
        return isSealed() ? Optional.of(NO_ROOT_KEY) : Optional.empty();
    }

    /**
     * @return the id of the key new ciphertexts use; the first call in the cluster's life makes it
     * @throws StateUnavailableException when sealed, or etcd cannot answer
     */
    public String activeKeyId() throws StateUnavailableException {
        return activeKey().getKey();
    }

    /**
     * @return the active key's id and key, read together
     * @throws StateUnavailableException when sealed, or etcd cannot answer, or the root key does not open it
     */
    @Override
    public Map.Entry<String, SecretKey> activeKey() throws StateUnavailableException {
        RootKey root = unsealed();
        Optional<String> id = active.get(ACTIVE);
        if (id.isEmpty()) {
            id = Optional.of(createFirst(root));
        }
        return Map.entry(id.get(), key(id.get()));
    }

    /**
     * @param id a key's id, as a ciphertext names it
     * @return the key
     * @throws StateUnavailableException when sealed, the key is unknown, or the root key does not open it
     */
    @Override
    public SecretKey key(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        RootKey root = unsealed();
        SecretKey known = unwrapped.get(id);
        if (known != null) {
            return known;
        }
        Codec.WrappedKey wrapped = cachedOrRead(keys, KeyLayout.VARIABLE_KEYS + id).orElseThrow(
                () -> new StateUnavailableException("the variable keyring has no key " + id));
        try {
            SecretKey key = new SecretKeySpec(root.unwrap(id, wrapped.wrapped()), "AES");
            unwrapped.put(id, key);
            return key;
        } catch (GeneralSecurityException e) {
            throw new StateUnavailableException("the variable keyring is sealed: this agent's root key does not open"
                    + " key " + id + " (another cluster's root key?)");
        }
    }

    /**
     * @return every key, oldest first, without its material
     * @throws StateUnavailableException when sealed, or etcd cannot answer
     */
    public List<KeyInfo> keys() throws StateUnavailableException {
        unsealed();
        String activeId = active.get(ACTIVE).orElse("");
        return keys.values().stream().sorted(Comparator.comparing(Codec.WrappedKey::created))
                .map(key -> new KeyInfo(key.id(), key.created(), key.id().equals(activeId))).toList();
    }

    /**
     * Adds a new active key for every agent; old keys stay. Durable when it returns.
     *
     * @return the new key's id
     * @throws StateUnavailableException when sealed, or etcd cannot take it now (nothing changed)
     */
    public String rotate() throws StateUnavailableException {
        RootKey root = unsealed();
        for (int attempt = 0; attempt < 16; attempt++) {
            long seen = state.write("read the active variable key", () -> state.client().getKVClient()
                    .get(activeKey(ACTIVE))).getKvs().stream().findFirst().map(kv -> kv.getModRevision()).orElse(0L);
            String id = UUID.randomUUID().toString();
            TxnResponse response = state.write("rotate the variable keyring", () -> state.client().getKVClient()
                    .txn().If(new Cmp(activeKey(ACTIVE), Cmp.Op.EQUAL, CmpTarget.modRevision(seen)))
                    .Then(putKey(root, id), Op.put(activeKey(ACTIVE), ByteSequence.from(id, UTF_8),
                            PutOption.DEFAULT)).commit());
            if (response.isSucceeded()) {
                active.awaitOwnWrite(response.getHeader().getRevision());
                keys.awaitOwnWrite(response.getHeader().getRevision());
                return id;
            }
        }
        throw new StateUnavailableException("too many concurrent rotations; try again");
    }

    /** Makes the cluster's first key, unless another agent just did: then that one is the active key. */
    private String createFirst(RootKey root) throws StateUnavailableException {
        String id = UUID.randomUUID().toString();
        TxnResponse response = state.write("make the first variable key", () -> state.client().getKVClient().txn()
                .If(new Cmp(activeKey(ACTIVE), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(putKey(root, id), Op.put(activeKey(ACTIVE), ByteSequence.from(id, UTF_8), PutOption.DEFAULT))
                .Else(Op.get(activeKey(ACTIVE), io.etcd.jetcd.options.GetOption.DEFAULT)).commit());
        if (response.isSucceeded()) {
            active.awaitOwnWrite(response.getHeader().getRevision());
            keys.awaitOwnWrite(response.getHeader().getRevision());
            return id;
        }
        // Another agent's first key won: nothing changed here. Wait for the pointer as read (a change at its mod
        // revision), not for this transaction's revision, at which no event comes; key() reads etcd for a key the
        // cache does not have yet.
        KeyValue pointer = response.getGetResponses().get(0).getKvs().get(0);
        active.awaitOwnWrite(pointer.getModRevision());
        return pointer.getValue().toString(UTF_8);
    }

    /**
     * A key from the cache, or else from etcd: a key and what names it (the active pointer, a ciphertext) come
     * through different watches, so the name can arrive first.
     */
    static Optional<Codec.WrappedKey> cachedOrRead(WatchedPrefix<Codec.WrappedKey> cache, String relativeKey,
                                                   EtcdState state) throws StateUnavailableException {
        String id = relativeKey.substring(relativeKey.lastIndexOf('/') + 1);
        Optional<Codec.WrappedKey> cached = cache.get(id);
        if (cached.isPresent()) {
            return cached;
        }
        var stored = state.read("read a key", () -> state.client().getKVClient().get(state.layout().key(relativeKey)))
                .getKvs();
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Codec.wrappedKey(stored.get(0).getValue().getBytes()));
        } catch (java.io.IOException e) {
            throw new StateUnavailableException("a stored key is unreadable: " + e.getMessage(), e);
        }
    }

    private Optional<Codec.WrappedKey> cachedOrRead(WatchedPrefix<Codec.WrappedKey> cache, String relativeKey)
            throws StateUnavailableException {
        return cachedOrRead(cache, relativeKey, state);
    }

    private Op putKey(RootKey root, String id) {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        Codec.WrappedKey wrapped = new Codec.WrappedKey(id, state.clock().instant(), root.wrap(id, material));
        java.util.Arrays.fill(material, (byte) 0);
        return Op.put(state.layout().key(KeyLayout.VARIABLE_KEYS + id), Codec.wrappedKey(wrapped),
                PutOption.DEFAULT);
    }

    private ByteSequence activeKey(String name) {
        return state.layout().key(KeyLayout.ACTIVE_KEYS + name);
    }

    private RootKey unsealed() throws StateUnavailableException {
        return rootKey.orElseThrow(() -> new StateUnavailableException("the variable keyring is sealed: " + NO_ROOT_KEY));
    }

    @Override
    public String toString() {
        return "EtcdKeyring[" + (isSealed() ? "sealed" : "unsealed") + ", " + keys + "]";
    }
}
