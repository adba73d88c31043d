package io.taskapi.state.etcd;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.VariableStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Variables in etcd ({@code variables/<namespace>/<path>}), read from memory. The plugin encrypts a variable's items
 * before they reach any store ({@link StoredVariable} holds a key id and ciphertext), so etcd never holds plaintext;
 * the keys that decrypt them are the keyring's, which this module does not share yet (docs/cluster.md).
 *
 * <p>Check-and-set is an etcd transaction on the key's mod revision (Nomad's ModifyIndex): {@code If(mod_revision ==
 * N) Then(put) Else(get)}, so of concurrent writers at one index exactly one wins, on any agent, and a loser gets the
 * variable as the winner left it, read in the same transaction.
 */
public final class EtcdVariableStore implements VariableStore {
    private static final Comparator<StoredVariable> ORDER = Comparator.comparing(StoredVariable::namespace)
            .thenComparing(StoredVariable::path);
    private static final int MAX_ATTEMPTS = 16;

    private final EtcdState state;
    private final KeyLayout layout;
    private final WatchedPrefix<StoredVariable> cache;

    EtcdVariableStore(EtcdState state) {
        this.state = state;
        this.layout = state.layout();
        this.cache = state.cache("variables", KeyLayout.VARIABLES, EtcdVariableStore::decode, null);
    }

    @Override
    public Optional<StoredVariable> get(String namespace, String path) throws StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        if (namespace.contains("/")) {
            // No variable can be in such a namespace; its key would name another namespace's variable.
            return Optional.empty();
        }
        return cache.get(namespace + "/" + path);
    }

    @Override
    public List<StoredVariable> list(String namespace, String pathPrefix) throws StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(pathPrefix, "pathPrefix is null");
        List<StoredVariable> found = namespace.equals("*")
                ? cache.values().stream().filter(variable -> variable.path().startsWith(pathPrefix)).toList()
                : cache.values(namespace + "/" + pathPrefix).stream()
                        .filter(variable -> variable.namespace().equals(namespace)).toList();
        return found.stream().sorted(ORDER).toList();
    }

    @Override
    public StoredVariable put(StoredVariable variable, OptionalLong expectedModifyIndex)
            throws CasConflictException, StateUnavailableException {
        requireNonNull(variable, "variable is null");
        requireNonNull(expectedModifyIndex, "expectedModifyIndex is null");
        ByteSequence key = key(variable.namespace(), variable.path());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<KeyValue> observed = first(state.write("read a variable", () -> kv().get(key)));
            Optional<StoredVariable> current = observed.isEmpty() ? Optional.empty()
                    : Optional.of(decodeStored(variable.namespace(), variable.path(), observed.get()));
            long observedRevision = observed.map(KeyValue::getModRevision).orElse(0L);
            if (expectedModifyIndex.isPresent() && expectedModifyIndex.getAsLong() != observedRevision) {
                throw new CasConflictException(current.orElse(null));
            }
            Instant now = state.clock().instant();
            Instant created = current.map(StoredVariable::createTime).orElse(now);
            Instant modified = now.isBefore(created) ? created : now;
            TxnResponse response = state.write("store a variable", () -> kv().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(observedRevision)))
                    .Then(Op.put(key, Codec.variable(variable, created, modified), PutOption.DEFAULT))
                    .Else(Op.get(key, GetOption.DEFAULT))
                    .commit());
            if (response.isSucceeded()) {
                long revision = response.getHeader().getRevision();
                cache.awaitOwnWrite(revision);
                long createIndex = observed.map(KeyValue::getCreateRevision).orElse(revision);
                return variable.stored(createIndex, revision, created, modified);
            }
            if (expectedModifyIndex.isPresent()) {
                // The key moved on from the expected index: the loser sees it as it is, read in the same transaction.
                throw new CasConflictException(first(response.getGetResponses().get(0))
                        .map(kv -> decodeQuietly(variable.namespace(), variable.path(), kv)).orElse(null));
            }
        }
        throw new StateUnavailableException("too many concurrent writes of this variable; try again");
    }

    @Override
    public boolean delete(String namespace, String path, OptionalLong expectedModifyIndex)
            throws CasConflictException, StateUnavailableException {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(path, "path is null");
        requireNonNull(expectedModifyIndex, "expectedModifyIndex is null");
        ByteSequence key = key(namespace, path);
        if (expectedModifyIndex.isEmpty()) {
            DeleteResponse response = state.write("delete a variable", () -> kv().delete(key));
            if (response.getDeleted() == 0) {
                return false;
            }
            cache.awaitOwnWrite(response.getHeader().getRevision());
            return true;
        }
        long expected = expectedModifyIndex.getAsLong();
        if (expected == 0) {
            // "Only if absent": nothing to delete when it is absent, a conflict when it is there.
            Optional<KeyValue> observed = first(state.write("read a variable", () -> kv().get(key)));
            if (observed.isPresent()) {
                throw new CasConflictException(decodeStored(namespace, path, observed.get()));
            }
            return false;
        }
        TxnResponse response = state.write("delete a variable", () -> kv().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            throw new CasConflictException(first(response.getGetResponses().get(0))
                    .map(kv -> decodeQuietly(namespace, path, kv)).orElse(null));
        }
        cache.awaitOwnWrite(response.getHeader().getRevision());
        return true;
    }

    private ByteSequence key(String namespace, String path) {
        if (namespace.contains("/") || namespace.equals("*") || namespace.isEmpty()) {
            throw new IllegalArgumentException("not a namespace a variable can be in: " + namespace);
        }
        return layout.variable(namespace, path);
    }

    private KV kv() {
        return state.client().getKVClient();
    }

    private static Optional<KeyValue> first(GetResponse response) {
        return response.getKvs().isEmpty() ? Optional.empty() : Optional.of(response.getKvs().get(0));
    }

    private static StoredVariable decode(String relativeKey, byte[] value, long createRevision, long modRevision)
            throws IOException {
        int slash = relativeKey.indexOf('/');
        if (slash <= 0) {
            throw new IOException("no namespace in the key");
        }
        return Codec.variable(relativeKey.substring(0, slash), relativeKey.substring(slash + 1), value,
                createRevision, modRevision);
    }

    private static StoredVariable decodeStored(String namespace, String path, KeyValue kv)
            throws StateUnavailableException {
        try {
            return Codec.variable(namespace, path, kv.getValue().getBytes(), kv.getCreateRevision(),
                    kv.getModRevision());
        } catch (IOException e) {
            throw new StateUnavailableException("a stored variable is unreadable: " + e.getMessage(), e);
        }
    }

    /** For a conflict's "as it is now": an unreadable value is reported as absent rather than hiding the conflict. */
    private static StoredVariable decodeQuietly(String namespace, String path, KeyValue kv) {
        try {
            return Codec.variable(namespace, path, kv.getValue().getBytes(), kv.getCreateRevision(),
                    kv.getModRevision());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * @return Nomad's index of the variables (the etcd revision of their last change), the same on every agent
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    public long index() throws StateUnavailableException {
        return cache.index();
    }

    /**
     * A blocking query's wait: returns once the variables change after {@code afterIndex}, or after {@code maxWait}.
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
        return "EtcdVariableStore[" + cache + "]";
    }
}
