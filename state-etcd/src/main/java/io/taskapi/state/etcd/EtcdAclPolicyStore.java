package io.taskapi.state.etcd;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.PutOption;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;

/**
 * ACL policies in etcd ({@code acl/policies/<name>}), read from memory. A policy's create and modify indexes are its
 * key's etcd create and mod revisions, so every agent shows the same ones.
 */
public final class EtcdAclPolicyStore implements AclPolicyStore {
    private final EtcdState state;
    private final WatchedPrefix<AclPolicy> cache;

    EtcdAclPolicyStore(EtcdState state) {
        this.state = state;
        this.cache = state.cache("ACL policies", KeyLayout.POLICIES, (key, value, create, modify) ->
                Codec.policy(value, create, modify), null);
    }

    @Override
    public Optional<AclPolicy> find(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        return cache.get(name);
    }

    @Override
    public List<AclPolicy> list() throws StateUnavailableException {
        // The cache is sorted by key, and the key ends with the name.
        return List.copyOf(cache.values());
    }

    @Override
    public AclPolicy put(AclPolicy policy) throws StateUnavailableException {
        requireNonNull(policy, "policy is null");
        PutResponse response = state.write("store an ACL policy", () -> state.client().getKVClient().put(
                state.layout().policy(policy.name()), Codec.policy(policy), PutOption.builder().withPrevKV().build()));
        long revision = response.getHeader().getRevision();
        long created = response.hasPrevKv() ? response.getPrevKv().getCreateRevision() : revision;
        cache.awaitOwnWrite(revision);
        return policy.withIndexes(created, revision);
    }

    @Override
    public boolean delete(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        DeleteResponse response = state.write("delete an ACL policy",
                () -> state.client().getKVClient().delete(state.layout().policy(name)));
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
     * @return Nomad's index of the ACL policies (the etcd revision of their last change), the same on every agent
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    public long index() throws StateUnavailableException {
        return cache.index();
    }

    /**
     * A blocking query's wait: returns once the ACL policies change after {@code afterIndex}, or after {@code maxWait}.
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
        return "EtcdAclPolicyStore[" + cache + "]";
    }
}
