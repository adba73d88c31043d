package io.taskapi.plugin.state;

import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;

/**
 * The role store of an agent written for SPI 1.1 that keeps its own ACL tokens and policies, passes no role store and
 * runs without {@code state.data-dir}: there are no roles, and creating one answers 503 with the reason, so that such
 * an agent keeps starting as before.
 */
final class AbsentAclRoleStore implements AclRoleStore {
    static final String REASON = "the agent keeps no ACL roles, auth methods or binding rules: pass them in its "
            + "AgentState or set state.data-dir";

    @Override
    public Optional<AclRole> find(String id) {
        return Optional.empty();
    }

    @Override
    public Optional<AclRole> findByName(String name) {
        return Optional.empty();
    }

    @Override
    public List<AclRole> list() {
        return List.of();
    }

    @Override
    public AclRole put(AclRole role) throws StateUnavailableException {
        throw new StateUnavailableException(REASON);
    }

    @Override
    public boolean delete(String id) {
        return false;
    }

    @Override
    public Subscription onChange(Runnable listener) {
        return () -> { };
    }
}
