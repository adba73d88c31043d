package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import io.taskapi.spi.state.WriteIndexes;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ACL tokens in etcd ({@code acl/tokens/<accessor id>}), looked up in memory.
 *
 * <p>One token per secret: every write of a token also writes {@code acl/token-secrets/<sha-256 of the secret>} →
 * accessor id in the same transaction, guarded by both keys' mod revisions, so two agents can never give two tokens
 * the same secret. The cache finds a secret by its digest and confirms it with {@link MessageDigest#isEqual}.
 * Bootstrap is a transaction on {@code acl/bootstrap}: only the first agent's succeeds, and the key stays when the
 * token is deleted. The secret is stored in the value because the ACL API gives it back to management tokens, as
 * Nomad's own state does: protect etcd with TLS and authentication (docs/cluster.md).
 */
public final class EtcdAclTokenStore implements AclTokenStore {
    private static final int MAX_ATTEMPTS = 16;

    private final EtcdState state;
    private final KeyLayout layout;
    private final WatchedPrefix<AclToken> cache;

    EtcdAclTokenStore(EtcdState state) {
        this.state = state;
        this.layout = state.layout();
        this.cache = state.cache("ACL tokens", KeyLayout.TOKENS, (key, value, create, modify) -> Codec.token(value),
                token -> KeyLayout.sha256Hex(token.secretId()));
    }

    @Override
    public Optional<AclToken> findBySecretId(String secretId) throws StateUnavailableException {
        requireNonNull(secretId, "secretId is null");
        byte[] presented = secretId.getBytes(UTF_8);
        // The digest match is all but certain; the constant-time compare makes it certain without leaking timing.
        return cache.getBySecondary(KeyLayout.sha256Hex(secretId))
                .filter(token -> MessageDigest.isEqual(token.secretId().getBytes(UTF_8), presented));
    }

    @Override
    public Optional<AclToken> findByAccessorId(String accessorId) throws StateUnavailableException {
        requireNonNull(accessorId, "accessorId is null");
        return cache.get(accessorId);
    }

    @Override
    public WriteIndexes writeIndexes(String accessorId) throws StateUnavailableException {
        requireNonNull(accessorId, "accessorId is null");
        return cache.entry(accessorId).map(entry -> new WriteIndexes(entry.createRevision(), entry.modRevision()))
                .orElse(WriteIndexes.NONE);
    }

    @Override
    public List<AclToken> list() throws StateUnavailableException {
        return List.copyOf(cache.values());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when another token (another accessor id) already has this secret
     */
    @Override
    public void put(AclToken token) throws StateUnavailableException {
        requireNonNull(token, "token is null");
        ByteSequence tokenKey = layout.token(token.accessorId());
        ByteSequence secretKey = layout.tokenSecret(token.secretId());
        ByteSequence accessor = ByteSequence.from(token.accessorId(), UTF_8);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            TxnResponse observed = state.write("read an ACL token", () -> kv().txn()
                    .Then(Op.get(tokenKey, GetOption.DEFAULT), Op.get(secretKey, GetOption.DEFAULT)).commit());
            Optional<KeyValue> current = first(observed.getGetResponses().get(0));
            Optional<KeyValue> holder = first(observed.getGetResponses().get(1));
            if (holder.isPresent() && !holder.get().getValue().equals(accessor)) {
                throw new IllegalArgumentException("another ACL token has this secret");
            }
            List<Op> writes = new ArrayList<>(List.of(Op.put(tokenKey, Codec.token(token), PutOption.DEFAULT),
                    Op.put(secretKey, accessor, PutOption.DEFAULT)));
            if (current.isPresent()) {
                String oldSecret = decode(current.get()).secretId();
                if (!oldSecret.equals(token.secretId())) {
                    writes.add(Op.delete(layout.tokenSecret(oldSecret), DeleteOption.DEFAULT));
                }
            }
            TxnResponse written = state.write("store an ACL token", () -> kv().txn()
                    .If(unchanged(tokenKey, current), unchanged(secretKey, holder))
                    .Then(writes.toArray(Op[]::new)).commit());
            if (written.isSucceeded()) {
                cache.awaitOwnWrite(written.getHeader().getRevision());
                return;
            }
        }
        throw new StateUnavailableException("too many concurrent writes of this ACL token; try again");
    }

    @Override
    public boolean delete(String accessorId) throws StateUnavailableException {
        requireNonNull(accessorId, "accessorId is null");
        ByteSequence tokenKey = layout.token(accessorId);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<KeyValue> current = first(state.write("read an ACL token",
                    () -> kv().get(tokenKey)));
            if (current.isEmpty()) {
                return false;
            }
            ByteSequence secretKey = layout.tokenSecret(decode(current.get()).secretId());
            TxnResponse deleted = state.write("delete an ACL token", () -> kv().txn()
                    .If(unchanged(tokenKey, current))
                    .Then(Op.delete(tokenKey, DeleteOption.DEFAULT), Op.delete(secretKey, DeleteOption.DEFAULT))
                    .commit());
            if (deleted.isSucceeded()) {
                cache.awaitOwnWrite(deleted.getHeader().getRevision());
                return true;
            }
        }
        throw new StateUnavailableException("too many concurrent writes of this ACL token; try again");
    }

    @Override
    public boolean bootstrap(AclToken managementToken) throws StateUnavailableException {
        requireNonNull(managementToken, "managementToken is null");
        if (managementToken.type() != AclTokenType.MANAGEMENT) {
            throw new IllegalArgumentException("the bootstrap token must be a management token");
        }
        ByteSequence bootstrapKey = layout.bootstrap();
        ByteSequence tokenKey = layout.token(managementToken.accessorId());
        ByteSequence secretKey = layout.tokenSecret(managementToken.secretId());
        TxnResponse response = state.write("bootstrap the ACL system", () -> kv().txn()
                .If(absent(bootstrapKey), absent(tokenKey), absent(secretKey))
                .Then(Op.put(bootstrapKey, Codec.bootstrap(managementToken.accessorId(), state.clock().instant()),
                                PutOption.DEFAULT),
                        Op.put(tokenKey, Codec.token(managementToken), PutOption.DEFAULT),
                        Op.put(secretKey, ByteSequence.from(managementToken.accessorId(), UTF_8), PutOption.DEFAULT))
                .Else(Op.get(bootstrapKey, GetOption.builder().withCountOnly(true).build()))
                .commit());
        if (response.isSucceeded()) {
            cache.awaitOwnWrite(response.getHeader().getRevision());
            return true;
        }
        if (response.getGetResponses().get(0).getCount() > 0) {
            return false;
        }
        throw new IllegalArgumentException("a token with this accessor id or secret exists already");
    }

    @Override
    public Subscription onChange(Runnable listener) {
        requireNonNull(listener, "listener is null");
        return cache.onChange(listener);
    }

    private KV kv() {
        return state.client().getKVClient();
    }

    private static Optional<KeyValue> first(GetResponse response) {
        return response.getKvs().isEmpty() ? Optional.empty() : Optional.of(response.getKvs().get(0));
    }

    /** The key is as observed: absent still, or not written since. */
    private static Cmp unchanged(ByteSequence key, Optional<KeyValue> observed) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(observed.map(KeyValue::getModRevision).orElse(0L)));
    }

    private static Cmp absent(ByteSequence key) {
        return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0));
    }

    private static AclToken decode(KeyValue kv) throws StateUnavailableException {
        try {
            return Codec.token(kv.getValue().getBytes());
        } catch (IOException e) {
            throw new StateUnavailableException("a stored ACL token is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * @return Nomad's index of the ACL tokens (the etcd revision of their last change), the same on every agent
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    public long index() throws StateUnavailableException {
        return cache.index();
    }

    /**
     * A blocking query's wait: returns once the ACL tokens change after {@code afterIndex}, or after {@code maxWait}.
     *
     * @param afterIndex the index the caller has seen
     * @param maxWait how long at most
     * @return the index then
     * @throws StateUnavailableException when the cache is, or becomes, past the staleness bound
     */
    public long awaitIndex(long afterIndex, java.time.Duration maxWait) throws StateUnavailableException {
        return cache.awaitIndex(afterIndex, java.util.Objects.requireNonNull(maxWait, "maxWait is null"));
    }

    @Override
    public String toString() {
        return "EtcdAclTokenStore[" + cache + "]";
    }
}
