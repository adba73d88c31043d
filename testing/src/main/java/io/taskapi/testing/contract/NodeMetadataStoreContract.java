package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertMapIsTheCallersOwn;
import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link NodeMetadataStore}, for any implementation: extend it and implement {@link #createStore()}.
 *
 * <p>It checks that an unknown node has no dynamic metadata, reads after writes (values and tombstones), that a write
 * replaces a node's metadata whole and touches no other node, that the store keeps its own copy of what it was given
 * and returns maps that are the caller's, that {@code null} arguments, keys and values are refused without a change,
 * and, when {@link #makeUnavailable} is implemented, {@link StateUnavailableException}.
 *
 * @param <S> the store under test
 */
public abstract class NodeMetadataStoreContract<S extends NodeMetadataStore> extends StoreContract<S> {
    private final String node = UUID.randomUUID().toString();
    private final String otherNode = UUID.randomUUID().toString();

    /** For subclasses. */
    protected NodeMetadataStoreContract() {}

    @Test
    void aNodeNeverWrittenHasNoDynamicMetadata() throws Exception {
        assertEquals(Map.of(), store().read(node));
    }

    @Test
    void readsBackValuesAndTombstones() throws Exception {
        Map<String, Optional<String>> metadata = Map.of("rack", Optional.of("r2"), "env", Optional.empty(),
                "empty", Optional.of(""), "unicode", Optional.of("grüße ✓"));

        store().write(node, metadata);

        assertEquals(metadata, store().read(node));
    }

    @Test
    void aWriteReplacesTheNodesMetadataWholeAndNoOtherNodes() throws Exception {
        store().write(node, Map.of("a", Optional.of("1"), "b", Optional.empty()));
        store().write(otherNode, Map.of("other", Optional.of("x")));

        store().write(node, Map.of("c", Optional.of("3")));

        assertEquals(Map.of("c", Optional.of("3")), store().read(node));
        assertEquals(Map.of("other", Optional.of("x")), store().read(otherNode));
        store().write(node, Map.of());
        assertEquals(Map.of(), store().read(node));
    }

    @Test
    void keepsItsOwnCopyAndReturnsTheCallersOwn() throws Exception {
        Map<String, Optional<String>> given = new HashMap<>(Map.of("a", Optional.of("1")));
        store().write(node, given);

        given.put("b", Optional.of("2"));

        assertEquals(Map.of("a", Optional.of("1")), store().read(node), "the store kept the caller's map");
        assertMapIsTheCallersOwn(() -> store().read(node));
    }

    @Test
    void refusesNullArgumentsKeysAndValuesWithoutAChange() throws Exception {
        store().write(node, Map.of("a", Optional.of("1")));
        Map<String, Optional<String>> nullValue = new HashMap<>();
        nullValue.put("b", null);
        Map<String, Optional<String>> nullKey = new HashMap<>();
        nullKey.put(null, Optional.of("x"));

        assertRejectsNull("read", () -> store().read(null));
        assertRejectsNull("write", () -> store().write(null, Map.of()));
        assertRejectsNull("write", () -> store().write(node, null));
        assertRejectsNull("write of a null value (a tombstone is Optional.empty())", () -> store().write(node,
                nullValue));
        assertRejectsNull("write of a null key", () -> store().write(node, nullKey));

        assertEquals(Map.of("a", Optional.of("1")), store().read(node));
    }

    @Test
    void anUnavailableStoreThrowsStateUnavailableException() throws Exception {
        store().write(node, Map.of("a", Optional.of("1")));
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().read(node));
        assertThrows(StateUnavailableException.class, () -> store().write(node, Map.of()));
    }
}
