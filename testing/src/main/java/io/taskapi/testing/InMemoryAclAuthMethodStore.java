package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ACL auth methods and binding rules in memory, for tests. Thread-safe. Sets the indexes like a real store (one
 * counter for both; a replacement keeps its create index), deletes a method's rules with it and refuses a rule whose
 * method does not exist. {@code faults().setUnavailable(true)} makes every SPI call throw
 * {@link StateUnavailableException}.
 */
public final class InMemoryAclAuthMethodStore implements AclAuthMethodStore {
    private final Object lock = new Object();
    // guarded by lock
    private final TreeMap<String, AclAuthMethod> methods = new TreeMap<>();
    private final TreeMap<String, AclBindingRule> rules = new TreeMap<>();
    private long index;
    private final ChangeListeners listeners = new ChangeListeners();
    private final StoreFaults faults = new StoreFaults("the ACL auth method store");

    /** An empty store. */
    public InMemoryAclAuthMethodStore() {}

    @Override
    public Optional<AclAuthMethod> findMethod(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        faults.lookup();
        synchronized (lock) {
            return Optional.ofNullable(methods.get(name));
        }
    }

    @Override
    public List<AclAuthMethod> listMethods() throws StateUnavailableException {
        faults.lookup();
        synchronized (lock) {
            return List.copyOf(methods.values());
        }
    }

    @Override
    public AclAuthMethod putMethod(AclAuthMethod method) throws StateUnavailableException {
        requireNonNull(method, "method is null");
        faults.write();
        AclAuthMethod stored;
        synchronized (lock) {
            long next = ++index;
            AclAuthMethod existing = methods.get(method.name());
            stored = method.withIndexes(existing == null ? next : existing.createIndex(), next);
            methods.put(stored.name(), stored);
        }
        listeners.changed();
        return stored;
    }

    @Override
    public boolean deleteMethod(String name) throws StateUnavailableException {
        requireNonNull(name, "name is null");
        faults.write();
        synchronized (lock) {
            if (methods.remove(name) == null) {
                return false;
            }
            rules.values().removeIf(rule -> rule.authMethod().equals(name));
            index++;
        }
        listeners.changed();
        return true;
    }

    @Override
    public Optional<AclBindingRule> findRule(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        faults.lookup();
        synchronized (lock) {
            return Optional.ofNullable(rules.get(id));
        }
    }

    @Override
    public List<AclBindingRule> listRules() throws StateUnavailableException {
        faults.lookup();
        synchronized (lock) {
            return List.copyOf(rules.values());
        }
    }

    @Override
    public AclBindingRule putRule(AclBindingRule rule) throws StateUnavailableException {
        requireNonNull(rule, "rule is null");
        faults.write();
        AclBindingRule stored;
        synchronized (lock) {
            if (!methods.containsKey(rule.authMethod())) {
                throw new IllegalArgumentException("no ACL auth method is named " + rule.authMethod());
            }
            long next = ++index;
            AclBindingRule existing = rules.get(rule.id());
            stored = rule.withIndexes(existing == null ? next : existing.createIndex(), next);
            rules.put(stored.id(), stored);
        }
        listeners.changed();
        return stored;
    }

    @Override
    public boolean deleteRule(String id) throws StateUnavailableException {
        requireNonNull(id, "id is null");
        faults.write();
        synchronized (lock) {
            if (rules.remove(id) == null) {
                return false;
            }
            index++;
        }
        listeners.changed();
        return true;
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return listeners.subscribe(listener);
    }

    /** @return this store's fault switch and call accounting */
    public StoreFaults faults() {
        return faults;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryAclAuthMethodStore[methods=" + methods.keySet() + ", rules=" + rules.size() + "]";
        }
    }
}
