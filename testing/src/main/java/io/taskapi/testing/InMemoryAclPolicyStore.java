package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ACL policies in memory, for tests. Thread-safe.
 *
 * <p>Like a real store it sets the indexes: a counter of its own, bumped by every change; a replaced policy keeps its
 * create index. {@code faults().setUnavailable(true)} makes every SPI call throw {@link StateUnavailableException}; the
 * {@code create…} helpers, {@link #policies()} and {@link #clear()} keep working. {@code onChange} subscribers hear of
 * every change, the helpers' included, on the calling thread, after the change.
 *
 * <pre>{@code
 * InMemoryAclPolicyStore policies = new InMemoryAclPolicyStore();
 * policies.createPolicy("node-read", "node { policy = \"read\" }");
 * policies.createJobPolicy("web-vars",
 *         "namespace \"default\" { variables { path \"*\" { capabilities = [\"read\"] } } }",
 *         new JobAcl("default", "web", "", ""));
 * }</pre>
 */
public final class InMemoryAclPolicyStore implements AclPolicyStore {
    private final Object lock = new Object();
    // guarded by lock
    private final TreeMap<String, AclPolicy> policies = new TreeMap<>();
    private long index;
    private final ChangeListeners listeners = new ChangeListeners();
    private final StoreFaults faults = new StoreFaults("the ACL policy store");

    /** An empty store. */
    public InMemoryAclPolicyStore() {}

    // ---- the SPI

    @Override
    public Optional<AclPolicy> find(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        faults.lookup();
        synchronized (lock) {
            return Optional.ofNullable(policies.get(name));
        }
    }

    @Override
    public List<AclPolicy> list() throws StateUnavailableException {
        faults.lookup();
        return policies();
    }

    @Override
    public AclPolicy put(AclPolicy policy) throws StateUnavailableException {
        requireNonNull(policy, "policy is null");
        faults.write();
        return store(policy);
    }

    @Override
    public boolean delete(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        faults.write();
        boolean removed;
        synchronized (lock) {
            removed = policies.remove(name) != null;
            if (removed) {
                index++;
            }
        }
        if (removed) {
            listeners.changed();
        }
        return removed;
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return listeners.subscribe(listener);
    }

    // ---- the test's side door

    /**
     * @param name the policy's name
     * @param rules its rules, in Nomad's policy language
     * @return the policy as stored, with its indexes
     */
    public AclPolicy createPolicy(String name, String rules) {
        return store(new AclPolicy(name, "", rules, Optional.empty(), 0, 0));
    }

    /**
     * @param name the policy's name
     * @param rules its rules, in Nomad's policy language
     * @param jobAcl the workload identities that get it
     * @return the policy as stored, with its indexes
     */
    public AclPolicy createJobPolicy(String name, String rules, JobAcl jobAcl) {
        return store(new AclPolicy(name, "", rules, Optional.of(requireNonNull(jobAcl, "jobAcl is null")), 0, 0));
    }

    /** @return every policy, sorted by name; works while unavailable and is not counted */
    public List<AclPolicy> policies() {
        synchronized (lock) {
            return List.copyOf(policies.values());
        }
    }

    /** Removes every policy. */
    public void clear() {
        synchronized (lock) {
            policies.clear();
            index++;
        }
        listeners.changed();
    }

    /** @return how many {@code onChange} subscriptions are open */
    public int subscriberCount() {
        return listeners.count();
    }

    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "InMemoryAclPolicyStore[policies=" + policies().stream().map(AclPolicy::name).toList()
                + ", unavailable=" + faults.isUnavailable() + "]";
    }

    private AclPolicy store(AclPolicy policy) {
        requireNonNull(policy, "policy is null");
        AclPolicy stored;
        synchronized (lock) {
            long next = ++index;
            AclPolicy existing = policies.get(policy.name());
            stored = policy.withIndexes(existing == null ? next : existing.createIndex(), next);
            policies.put(stored.name(), stored);
        }
        listeners.changed();
        return stored;
    }
}
