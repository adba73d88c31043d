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
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ACL roles in etcd ({@code acl/roles/<id>}), read from memory. A role's create and modify indexes are its key's etcd
 * create and mod revisions, so every agent shows the same ones.
 *
 * <p>One role per name: every write of a role also writes {@code acl/role-names/<name>} → id in the same transaction,
 * guarded by both keys' mod revisions (and a rename deletes the old name's key), so two agents can never give two
 * roles the same name. The cache finds a role by name through its second index.
 */
public final class EtcdAclRoleStore implements AclRoleStore {
    private static final int MAX_ATTEMPTS = 16;

    private final EtcdState state;
    private final KeyLayout layout;
    private final WatchedPrefix<AclRole> cache;

    EtcdAclRoleStore(EtcdState state) {
        this.state = state;
        this.layout = state.layout();
        this.cache = state.cache("ACL roles", KeyLayout.ROLES, (key, value, create, modify) ->
                Codec.role(value, create, modify), AclRole::name);
    }

    @Override
    public Optional<AclRole> find(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        return cache.get(id);
    }

    @Override
    public Optional<AclRole> findByName(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        return cache.getBySecondary(name);
    }

    @Override
    public List<AclRole> list() throws StateUnavailableException {
        // The cache is sorted by key, and the key ends with the id.
        return List.copyOf(cache.values());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when another role (another id) has this name; nothing changed
     */
    @Override
    public AclRole put(AclRole role) throws StateUnavailableException {
        requireNonNull(role, "role is null");
        ByteSequence roleKey = layout.role(role.id());
        ByteSequence nameKey = layout.roleName(role.name());
        ByteSequence id = ByteSequence.from(role.id(), UTF_8);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            TxnResponse observed = state.write("read an ACL role", () -> kv().txn()
                    .Then(Op.get(roleKey, GetOption.DEFAULT), Op.get(nameKey, GetOption.DEFAULT)).commit());
            Optional<KeyValue> current = first(observed.getGetResponses().get(0));
            Optional<KeyValue> holder = first(observed.getGetResponses().get(1));
            if (holder.isPresent() && !holder.get().getValue().equals(id)) {
                throw new IllegalArgumentException("another ACL role is named " + role.name());
            }
            List<Op> writes = new ArrayList<>(List.of(Op.put(roleKey, Codec.role(role), PutOption.DEFAULT),
                    Op.put(nameKey, id, PutOption.DEFAULT)));
            if (current.isPresent()) {
                String oldName = decode(current.get()).name();
                if (!oldName.equals(role.name())) {
                    writes.add(Op.delete(layout.roleName(oldName), DeleteOption.DEFAULT));
                }
            }
            TxnResponse written = state.write("store an ACL role", () -> kv().txn()
                    .If(unchanged(roleKey, current), unchanged(nameKey, holder))
                    .Then(writes.toArray(Op[]::new)).commit());
            if (written.isSucceeded()) {
                long revision = written.getHeader().getRevision();
                long created = current.map(KeyValue::getCreateRevision).orElse(revision);
                cache.awaitOwnWrite(revision);
                return role.withIndexes(created, revision);
            }
        }
        throw new StateUnavailableException("too many concurrent writes of this ACL role; try again");
    }

    @Override
    public boolean delete(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        ByteSequence roleKey = layout.role(id);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<KeyValue> current = first(state.write("read an ACL role", () -> kv().get(roleKey)));
            if (current.isEmpty()) {
                return false;
            }
            ByteSequence nameKey = layout.roleName(decode(current.get()).name());
            TxnResponse deleted = state.write("delete an ACL role", () -> kv().txn()
                    .If(unchanged(roleKey, current))
                    .Then(Op.delete(roleKey, DeleteOption.DEFAULT), Op.delete(nameKey, DeleteOption.DEFAULT))
                    .commit());
            if (deleted.isSucceeded()) {
                cache.awaitOwnWrite(deleted.getHeader().getRevision());
                return true;
            }
        }
        throw new StateUnavailableException("too many concurrent writes of this ACL role; try again");
    }

    @Override
    public Subscription onChange(Runnable listener) {
        requireNonNull(listener, "listener is null");
        return cache.onChange(listener);
    }

    /**
     * @return Nomad's index of the ACL roles (the etcd revision of their last change), the same on every agent
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    public long index() throws StateUnavailableException {
        return cache.index();
    }

    /**
     * A blocking query's wait: returns once the ACL roles change after {@code afterIndex}, or after {@code maxWait}.
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

    private static AclRole decode(KeyValue kv) throws StateUnavailableException {
        try {
            return Codec.role(kv.getValue().getBytes(), kv.getCreateRevision(), kv.getModRevision());
        } catch (IOException e) {
            throw new StateUnavailableException("a stored ACL role is unreadable: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "EtcdAclRoleStore[" + cache + "]";
    }
}
