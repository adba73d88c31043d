package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertListIsTheCallersOwn;
import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link NodeRegistry}, for any implementation: extend it and implement {@link #createStore()} (a
 * registry as the agent starts it: it knows at least the local node).
 *
 * <p>It checks that the local node has a stable id and is both listed and found, that every listed node is found as
 * listed and listed once, that an unknown id finds nothing, that returned lists are the caller's, that a
 * {@code null} id is refused, and, when {@link #makeUnavailable} is implemented, that {@code list} and {@code find}
 * throw {@link StateUnavailableException} while {@code localNodeId} (which declares no failure) still answers.
 *
 * @param <S> the registry under test
 */
public abstract class NodeRegistryContract<S extends NodeRegistry> extends StoreContract<S> {
    /** For subclasses. */
    protected NodeRegistryContract() {}

    @Test
    void theLocalNodeHasAStableIdAndIsListedAndFound() throws Exception {
        String id = store().localNodeId();

        assertNotNull(id);
        assertFalse(id.isBlank(), "the local node id is blank");
        assertEquals(id, store().localNodeId());
        NodeInfo local = store().find(id).orElseThrow(() -> new AssertionError("the local node is not found"));
        assertEquals(id, local.id());
        assertTrue(store().list().contains(local), "the local node is not listed as found: " + store().list());
    }

    @Test
    void everyListedNodeIsFoundAsListedAndListedOnce() throws Exception {
        List<NodeInfo> nodes = store().list();
        Set<String> ids = new HashSet<>();

        for (NodeInfo node : nodes) {
            assertTrue(ids.add(node.id()), "listed twice: " + node.id());
            assertEquals(Optional.of(node), store().find(node.id()));
        }
    }

    @Test
    void anUnknownIdFindsNothing() throws Exception {
        assertEquals(Optional.empty(), store().find(UUID.randomUUID().toString()));
        assertEquals(Optional.empty(), store().find(""));
    }

    @Test
    void aReturnedListIsTheCallersOwn() throws Exception {
        assertListIsTheCallersOwn(store()::list);
    }

    @Test
    void refusesANullId() {
        assertRejectsNull("find", () -> store().find(null));
    }

    @Test
    void anUnavailableRegistryThrowsStateUnavailableExceptionButKnowsItsNode() throws Exception {
        String id = store().localNodeId();
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().list());
        assertThrows(StateUnavailableException.class, () -> store().find(id));
        assertEquals(id, store().localNodeId());
    }
}
