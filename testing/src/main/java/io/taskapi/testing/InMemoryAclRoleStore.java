package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * ACL roles in memory, for tests. Thread-safe. Sets the indexes like a real store (a counter of its own; a replaced
 * role keeps its create index) and refuses a second role with the same name. {@code faults().setUnavailable(true)}
 * makes every SPI call throw {@link StateUnavailableException}; {@link #createRole} keeps working.
 */
public final class InMemoryAclRoleStore implements AclRoleStore {
    private final Object lock = new Object();
    // guarded by lock
    private final TreeMap<String, AclRole> roles = new TreeMap<>();
    private long index;
    private final ChangeListeners listeners = new ChangeListeners();
    private final StoreFaults faults = new StoreFaults("the ACL role store");

    /** An empty store. */
    public InMemoryAclRoleStore() {}

    @Override
    public Optional<AclRole> find(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        faults.lookup();
        synchronized (lock) {
            return Optional.ofNullable(roles.get(id));
        }
    }

    @Override
    public Optional<AclRole> findByName(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        faults.lookup();
        synchronized (lock) {
            return roles.values().stream().filter(role -> role.name().equals(name)).findFirst();
        }
    }

    @Override
    public List<AclRole> list() throws StateUnavailableException {
        faults.lookup();
        synchronized (lock) {
            return List.copyOf(roles.values());
        }
    }

    @Override
    public AclRole put(AclRole role) throws StateUnavailableException {
        requireNonNull(role, "role is null");
        faults.write();
        return store(role);
    }

    @Override
    public boolean delete(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        faults.write();
        boolean removed;
        synchronized (lock) {
            removed = roles.remove(id) != null;
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

    /**
     * @param name the role's name
     * @param policies its policies' names
     * @return the role as stored, with a new id and its indexes
     */
    public AclRole createRole(String name, List<String> policies) {
        return store(new AclRole(UUID.randomUUID().toString(), name, "", policies, 0, 0));
    }

    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryAclRoleStore[roles=" + roles.values().stream().map(AclRole::name).toList() + "]";
        }
    }

    private AclRole store(AclRole role) {
        AclRole stored;
        synchronized (lock) {
            for (AclRole other : roles.values()) {
                if (other.name().equals(role.name()) && !other.id().equals(role.id())) {
                    throw new IllegalArgumentException("another ACL role is named " + role.name());
                }
            }
            long next = ++index;
            AclRole existing = roles.get(role.id());
            stored = role.withIndexes(existing == null ? next : existing.createIndex(), next);
            roles.put(stored.id(), stored);
        }
        listeners.changed();
        return stored;
    }
}
