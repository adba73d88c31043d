package io.taskapi.plugin.state;

import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;

/** Like {@link AbsentAclRoleStore}, for auth methods and binding rules: none, and writes answer 503. */
final class AbsentAclAuthMethodStore implements AclAuthMethodStore {
    @Override
    public Optional<AclAuthMethod> findMethod(String name) {
        return Optional.empty();
    }

    @Override
    public List<AclAuthMethod> listMethods() {
        return List.of();
    }

    @Override
    public AclAuthMethod putMethod(AclAuthMethod method) throws StateUnavailableException {
        throw new StateUnavailableException(AbsentAclRoleStore.REASON);
    }

    @Override
    public boolean deleteMethod(String name) {
        return false;
    }

    @Override
    public Optional<AclBindingRule> findRule(String id) {
        return Optional.empty();
    }

    @Override
    public List<AclBindingRule> listRules() {
        return List.of();
    }

    @Override
    public AclBindingRule putRule(AclBindingRule rule) throws StateUnavailableException {
        throw new StateUnavailableException(AbsentAclRoleStore.REASON);
    }

    @Override
    public boolean deleteRule(String id) {
        return false;
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return () -> { };
    }
}
