package io.taskapi.plugin.authz;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.acl.Acl;
import io.taskapi.plugin.acl.Policy;
import io.taskapi.plugin.acl.PolicyParseException;
import io.taskapi.plugin.acl.PolicyParser;
import io.taskapi.plugin.auth.AclTokenIdentity;
import io.taskapi.plugin.auth.AnonymousIdentity;
import io.taskapi.plugin.auth.Identity;
import io.taskapi.plugin.auth.WorkloadIdentity;
import io.taskapi.plugin.cache.ChangeGuard;
import io.taskapi.plugin.config.AclConfig;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an identity into the compiled {@link Acl} of its policies, as Nomad does: a management token may do
 * everything; a client token gets the union of its named policies and of its roles' policies; a workload identity
 * gets the policies bound to its job (group, task) plus the namespace-wide workload policies; the anonymous identity
 * (operator listener only) gets the policy named {@code anonymous}. With ACLs disabled every authenticated identity
 * may do everything.
 *
 * <p>Compiled ACLs are cached by policy set (and role set) and dropped on any policy or role change, so a change
 * applies on the next request and checking a permission never parses. A change that lands while an ACL is being
 * compiled (after its policies were read, before it is cached) would otherwise be undone by the insert; a
 * {@link ChangeGuard} caches an ACL only if no change was announced since before its policies were read.
 */
public final class AclResolver implements AutoCloseable {
    /** The policy token-less operator requests get. */
    public static final String ANONYMOUS_POLICY = "anonymous";

    private static final Logger LOG = LoggerFactory.getLogger(AclResolver.class);
    private static final int MAX_CACHED = 10_000;

    private final AclPolicyStore policies;
    private final AclRoleStore roles;
    private final boolean aclEnabled;
    private final Map<Object, Acl> cache = new ConcurrentHashMap<>();
    private final ChangeGuard changes = new ChangeGuard();
    private final Subscription subscription;
    private final Subscription roleSubscription;

    /**
     * @param policies where policies live
     * @param roles where roles live
     * @param config whether ACLs are enabled
     */
    @Inject
    public AclResolver(AclPolicyStore policies, AclRoleStore roles, AclConfig config) {
        this.policies = requireNonNull(policies, "policies is null");
        this.roles = requireNonNull(roles, "roles is null");
        this.aclEnabled = requireNonNull(config, "config is null").aclEnabled();
        // Last: the listener may run on another thread as soon as this returns.
        this.subscription = policies.onChange(this::invalidate);
        this.roleSubscription = roles.onChange(this::invalidate);
    }

    /**
     * @param identity an authenticated identity
     * @return what its policies allow
     * @throws StateUnavailableException when the policy store cannot answer
     */
    public Acl resolve(Identity identity) throws StateUnavailableException {
        if (!aclEnabled) {
            return Acl.management();
        }
        if (identity instanceof AclTokenIdentity token) {
            if (token.token().type() == AclTokenType.MANAGEMENT) {
                return Acl.management();
            }
            if (!token.token().roles().isEmpty()) {
                return withRoles(token.token());
            }
            return byNames(new TreeSet<>(token.token().policies()));
        }
        if (identity instanceof AnonymousIdentity) {
            return byNames(new TreeSet<>(List.of(ANONYMOUS_POLICY)));
        }
        return forWorkload((WorkloadIdentity) identity);
    }

    /**
     * What {@link #resolve} would answer, if it can be answered from memory: it then never blocks, and the request
     * can be served on the thread that read it.
     *
     * @param identity an authenticated identity
     * @return what its policies allow; empty when that needs the policy store
     */
    public Optional<Acl> resolveCached(Identity identity) {
        if (!aclEnabled) {
            return Optional.of(Acl.management());
        }
        if (identity instanceof AclTokenIdentity token) {
            if (token.token().type() == AclTokenType.MANAGEMENT) {
                return Optional.of(Acl.management());
            }
            if (!token.token().roles().isEmpty()) {
                return Optional.ofNullable(cache.get(RoleKey.of(token.token())));
            }
            return Optional.ofNullable(cache.get(new TreeSet<>(token.token().policies())));
        }
        if (identity instanceof AnonymousIdentity) {
            return Optional.ofNullable(cache.get(new TreeSet<>(List.of(ANONYMOUS_POLICY))));
        }
        return Optional.ofNullable(cache.get(WorkloadKey.of((WorkloadIdentity) identity)));
    }

    /**
     * @param identity an authenticated identity
     * @return the names of the policies it holds (for a workload identity, the ones bound to its job)
     * @throws StateUnavailableException when the policy store cannot answer
     */
    public Set<String> policyNames(Identity identity) throws StateUnavailableException {
        if (identity instanceof AclTokenIdentity token) {
            return token.token().roles().isEmpty() ? Set.copyOf(token.token().policies())
                    : Set.copyOf(namesWithRoles(token.token()));
        }
        if (identity instanceof AnonymousIdentity) {
            return Set.of(ANONYMOUS_POLICY);
        }
        Set<String> names = new TreeSet<>();
        for (AclPolicy policy : boundPolicies((WorkloadIdentity) identity)) {
            names.add(policy.name());
        }
        return names;
    }

    /**
     * Drops every compiled ACL and refuses to cache any being compiled now. The store's change notifications call
     * this; routes call it too after writes they make themselves.
     */
    public void invalidate() {
        changes.changed(cache::clear);
    }

    @Override
    public void close() {
        subscription.close();
        roleSubscription.close();
    }

    /** A token's own policies and its roles' policies; a role that no longer exists grants nothing. */
    private Acl withRoles(AclToken token) throws StateUnavailableException {
        RoleKey key = RoleKey.of(token);
        Acl cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        long readAt = changes.mark();
        List<AclPolicy> found = new ArrayList<>();
        for (String name : namesWithRoles(token)) {
            policies.find(name).ifPresent(found::add);
        }
        return remember(key, compile(found), readAt);
    }

    private SortedSet<String> namesWithRoles(AclToken token) throws StateUnavailableException {
        SortedSet<String> names = new TreeSet<>(token.policies());
        for (String roleId : token.roles()) {
            Optional<AclRole> role = roles.find(roleId);
            if (role.isPresent()) {
                names.addAll(role.get().policies());
            }
        }
        return names;
    }

    private Acl byNames(SortedSet<String> names) throws StateUnavailableException {
        Acl cached = cache.get(names);
        if (cached != null) {
            return cached;
        }
        long readAt = changes.mark();
        List<AclPolicy> found = new ArrayList<>();
        for (String name : names) {
            // A token may name a policy that does not exist (yet): Nomad ignores it.
            policies.find(name).ifPresent(found::add);
        }
        return remember(names, compile(found), readAt);
    }

    private Acl forWorkload(WorkloadIdentity identity) throws StateUnavailableException {
        WorkloadKey key = WorkloadKey.of(identity);
        Acl cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        long readAt = changes.mark();
        return remember(key, compile(boundPolicies(identity)), readAt);
    }

    private List<AclPolicy> boundPolicies(WorkloadIdentity identity) throws StateUnavailableException {
        // Group-bound policies need the group, which only a Nomad-shaped subject carries; "\0" matches no group.
        String group = identity.group().orElse("\0");
        List<AclPolicy> bound = new ArrayList<>();
        for (AclPolicy policy : policies.list()) {
            if (policy.jobAcl().isPresent() && policy.jobAcl().get().covers(identity.namespace(), identity.jobId(),
                    group, identity.task())) {
                bound.add(policy);
            }
        }
        return bound;
    }

    /**
     * Caches an ACL compiled from policies read after {@code readAt} was taken, unless a change came in since: its
     * inputs may then be stale, and caching them would outlive the change. This caller still gets the ACL; it raced
     * with the change and either order is a correct answer for it.
     */
    private Acl remember(Object key, Acl acl, long readAt) {
        changes.storeUnlessChanged(readAt, () -> {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, acl);
        });
        return acl;
    }

    private static Acl compile(List<AclPolicy> stored) {
        List<Policy> parsed = new ArrayList<>();
        for (AclPolicy policy : stored) {
            try {
                parsed.add(PolicyParser.parse(policy.rules()));
            } catch (PolicyParseException e) {
                // Policies are validated when written; one that no longer parses grants nothing rather than failing
                // every request of its holders.
                LOG.warn("ACL policy {} does not parse and grants nothing: {}", policy.name(), e.getMessage());
            }
        }
        return Acl.compile(parsed);
    }

    private record RoleKey(SortedSet<String> policies, SortedSet<String> roles) {
        static RoleKey of(AclToken token) {
            return new RoleKey(new TreeSet<>(token.policies()), new TreeSet<>(token.roles()));
        }
    }

    private record WorkloadKey(String namespace, String jobId, String group, String task) {
        static WorkloadKey of(WorkloadIdentity identity) {
            return new WorkloadKey(identity.namespace(), identity.jobId(), identity.group().orElse(""),
                    identity.task());
        }
    }
}
