package io.taskapi.state.etcd;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ACL auth methods ({@code acl/auth/methods/<name>}) and binding rules ({@code acl/auth/rules/<id>}) in etcd, read
 * from memory. Create and modify indexes are the keys' etcd create and mod revisions, so every agent shows the same
 * ones.
 *
 * <p>A rule needs its method, and deleting a method deletes its rules in the same transaction: in etcd no rule is
 * ever without its method. A rule write is {@code Txn If(the method exists) Then(put the rule, put
 * acl/auth-method-rules/<method>)}; a method's delete reads the method, that key and the rules, then deletes the
 * method and its rules in a transaction guarded by the mod revisions of all it read: a rule added to (or moved out of)
 * the method meanwhile fails the guard, and the delete reads again. etcd's limit on the operations of one transaction
 * ({@code --max-txn-ops}, 128 by default) bounds the rules of a method that can be deleted with it to that less two.
 *
 * <p>Methods and rules share one cache (one watch), so every agent applies their changes in etcd's order: no agent
 * sees a rule before its method was written, or after its method's delete was applied.
 */
public final class EtcdAclAuthMethodStore implements AclAuthMethodStore {
    private static final int MAX_ATTEMPTS = 16;

    private final EtcdState state;
    private final KeyLayout layout;
    // Values are AclAuthMethod under methods/, AclBindingRule under rules/.
    private final WatchedPrefix<Object> cache;

    EtcdAclAuthMethodStore(EtcdState state) {
        this.state = state;
        this.layout = state.layout();
        this.cache = state.cache("ACL auth methods and binding rules", KeyLayout.AUTH, EtcdAclAuthMethodStore::decode,
                null);
    }

    private static Object decode(String key, byte[] value, long create, long modify) throws IOException {
        if (key.startsWith(KeyLayout.AUTH_METHODS)) {
            return Codec.authMethod(value, create, modify);
        }
        if (key.startsWith(KeyLayout.BINDING_RULES)) {
            return Codec.bindingRule(value, create, modify);
        }
        throw new IOException("neither an auth method nor a binding rule");
    }

    @Override
    public Optional<AclAuthMethod> findMethod(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        return cache.get(KeyLayout.AUTH_METHODS + name).map(AclAuthMethod.class::cast);
    }

    @Override
    public List<AclAuthMethod> listMethods() throws StateUnavailableException {
        // The cache is sorted by key, and the key ends with the name.
        return cache.values(KeyLayout.AUTH_METHODS).stream().map(AclAuthMethod.class::cast).toList();
    }

    @Override
    public AclAuthMethod putMethod(AclAuthMethod method) throws StateUnavailableException {
        requireNonNull(method, "method is null");
        PutResponse response = state.write("store an ACL auth method", () -> kv().put(
                layout.authMethod(method.name()), Codec.authMethod(method), PutOption.builder().withPrevKV().build()));
        long revision = response.getHeader().getRevision();
        long created = response.hasPrevKv() ? response.getPrevKv().getCreateRevision() : revision;
        cache.awaitOwnWrite(revision);
        return method.withIndexes(created, revision);
    }

    @Override
    public boolean deleteMethod(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        ByteSequence methodKey = layout.authMethod(name);
        ByteSequence guardKey = layout.authMethodRules(name);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            TxnResponse observed = state.write("read an ACL auth method and the binding rules", () -> kv().txn()
                    .Then(Op.get(methodKey, GetOption.DEFAULT), Op.get(guardKey, GetOption.DEFAULT),
                            Op.get(layout.key(KeyLayout.AUTH + KeyLayout.BINDING_RULES),
                                    GetOption.builder().isPrefix(true).build()))
                    .commit());
            Optional<KeyValue> method = first(observed.getGetResponses().get(0));
            if (method.isEmpty()) {
                return false;
            }
            Optional<KeyValue> guard = first(observed.getGetResponses().get(1));
            List<Cmp> guards = new ArrayList<>(List.of(unchanged(methodKey, method), unchanged(guardKey, guard)));
            List<Op> deletes = new ArrayList<>(List.of(Op.delete(methodKey, DeleteOption.DEFAULT),
                    Op.delete(guardKey, DeleteOption.DEFAULT)));
            for (KeyValue rule : observed.getGetResponses().get(2).getKvs()) {
                if (belongsTo(rule, name)) {
                    guards.add(unchanged(rule.getKey(), Optional.of(rule)));
                    deletes.add(Op.delete(rule.getKey(), DeleteOption.DEFAULT));
                }
            }
            TxnResponse deleted = state.write("delete an ACL auth method and its binding rules", () -> kv().txn()
                    .If(guards.toArray(Cmp[]::new)).Then(deletes.toArray(Op[]::new)).commit());
            if (deleted.isSucceeded()) {
                cache.awaitOwnWrite(deleted.getHeader().getRevision());
                return true;
            }
        }
        throw new StateUnavailableException("too many concurrent writes of this ACL auth method; try again");
    }

    @Override
    public Optional<AclBindingRule> findRule(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        return cache.get(KeyLayout.BINDING_RULES + id).map(AclBindingRule.class::cast);
    }

    @Override
    public List<AclBindingRule> listRules() throws StateUnavailableException {
        // The cache is sorted by key, and the key ends with the id.
        return cache.values(KeyLayout.BINDING_RULES).stream().map(AclBindingRule.class::cast).toList();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when its auth method does not exist; nothing changed
     */
    @Override
    public AclBindingRule putRule(AclBindingRule rule) throws StateUnavailableException {
        requireNonNull(rule, "rule is null");
        ByteSequence methodKey = layout.authMethod(rule.authMethod());
        TxnResponse response = state.write("store an ACL binding rule", () -> kv().txn()
                .If(new Cmp(methodKey, Cmp.Op.GREATER, CmpTarget.createRevision(0)))
                .Then(Op.put(layout.bindingRule(rule.id()), Codec.bindingRule(rule),
                                PutOption.builder().withPrevKV().build()),
                        Op.put(layout.authMethodRules(rule.authMethod()), ByteSequence.EMPTY, PutOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            throw new IllegalArgumentException("no ACL auth method is named " + rule.authMethod());
        }
        long revision = response.getHeader().getRevision();
        PutResponse put = response.getPutResponses().get(0);
        long created = put.hasPrevKv() ? put.getPrevKv().getCreateRevision() : revision;
        cache.awaitOwnWrite(revision);
        return rule.withIndexes(created, revision);
    }

    @Override
    public boolean deleteRule(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        DeleteResponse response = state.write("delete an ACL binding rule",
                () -> kv().delete(layout.bindingRule(id)));
        if (response.getDeleted() == 0) {
            return false;
        }
        cache.awaitOwnWrite(response.getHeader().getRevision());
        return true;
    }

    @Override
    public Subscription onChange(Runnable listener) {
        requireNonNull(listener, "listener is null");
        return cache.onChange(listener);
    }

    /**
     * @return Nomad's index of the ACL auth methods and binding rules, one for both (the etcd revision of their last
     *     change), the same on every agent
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    public long index() throws StateUnavailableException {
        return cache.index();
    }

    /**
     * A blocking query's wait: returns once the ACL auth methods or binding rules change after {@code afterIndex}, or
     * after {@code maxWait}.
     *
     * @param afterIndex the index the caller has seen
     * @param maxWait how long at most
     * @return the index then
     * @throws StateUnavailableException when the cache is, or becomes, past the staleness bound
     */
    public long awaitIndex(long afterIndex, Duration maxWait) throws StateUnavailableException {
        return cache.awaitIndex(afterIndex, requireNonNull(maxWait, "maxWait is null"));
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

    /** A rule that does not decode belongs to no method (the caches leave it out too). */
    private static boolean belongsTo(KeyValue rule, String method) {
        try {
            return Codec.bindingRule(rule.getValue().getBytes(), rule.getCreateRevision(), rule.getModRevision())
                    .authMethod().equals(method);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "EtcdAclAuthMethodStore[" + cache + "]";
    }
}
