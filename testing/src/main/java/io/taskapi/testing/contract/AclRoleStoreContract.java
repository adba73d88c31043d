package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertListIsTheCallersOwn;
import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclRoleStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AclRoleStore} (SPI 1.2), for any implementation: extend it and implement
 * {@link #createStore()}. It checks reads after writes by id and by name, that the store sets the indexes (a
 * replacement keeps the create index), that names are unique (a second role with a taken name is refused and nothing
 * changes), a rename, listing sorted by id, deletes, change notifications (awaited), that returned lists are the
 * caller's, that {@code null} arguments are refused, and, with {@link #makeUnavailable},
 * {@link StateUnavailableException}.
 *
 * @param <S> the store under test
 */
public abstract class AclRoleStoreContract<S extends AclRoleStore> extends StoreContract<S> {
    /** For subclasses. */
    protected AclRoleStoreContract() {}

    @Test
    void anEmptyStoreFindsNothing() throws Exception {
        assertEquals(List.of(), store().list());
        assertEquals(Optional.empty(), store().find("00000000-0000-0000-0000-000000000001"));
        assertEquals(Optional.empty(), store().findByName("ops"));
    }

    @Test
    void putSetsTheIndexesAndReadsBackByIdAndName() throws Exception {
        AclRole stored = store().put(role("b-id", "ops", List.of("node-read", "agent-read")));

        assertTrue(stored.createIndex() > 0, "no create index: " + stored);
        assertEquals(stored.createIndex(), stored.modifyIndex());
        assertEquals(role("b-id", "ops", List.of("node-read", "agent-read"))
                .withIndexes(stored.createIndex(), stored.modifyIndex()), stored);
        assertEquals(Optional.of(stored), store().find("b-id"));
        assertEquals(Optional.of(stored), store().findByName("ops"));
        AclRole other = store().put(role("a-id", "dev", List.of("p")));
        assertEquals(List.of(other, stored), store().list(), "sorted by id");
    }

    @Test
    void aReplacementKeepsTheCreateIndexAndMayRename() throws Exception {
        AclRole first = store().put(role("r1", "ops", List.of("p")));

        AclRole renamed = store().put(new AclRole("r1", "operators", "now described", List.of("q"), 0, 0));

        assertEquals(first.createIndex(), renamed.createIndex());
        assertTrue(renamed.modifyIndex() > first.modifyIndex());
        assertEquals(Optional.empty(), store().findByName("ops"));
        assertEquals(Optional.of(renamed), store().findByName("operators"));
    }

    @Test
    void aSecondRoleWithATakenNameIsRefused() throws Exception {
        AclRole first = store().put(role("r1", "ops", List.of("p")));

        assertThrows(IllegalArgumentException.class, () -> store().put(role("r2", "ops", List.of("q"))));

        assertEquals(List.of(first), store().list());
    }

    @Test
    void deleteRemovesOnlyThatRole() throws Exception {
        store().put(role("r1", "ops", List.of("p")));
        AclRole kept = store().put(role("r2", "dev", List.of("p")));

        assertTrue(store().delete("r1"));
        assertFalse(store().delete("r1"));
        assertEquals(List.of(kept), store().list());
        assertEquals(Optional.empty(), store().findByName("ops"));
    }

    @Test
    void tellsSubscribersOfEveryChange() throws Exception {
        Contracts.Heard<String> heard = new Contracts.Heard<>("change");
        Subscription subscription = store().onChange(heard);
        try {
            store().put(role("r1", "ops", List.of("p")));
            await("a notification of a put", heard::count, count -> count >= 1);
            int afterPut = heard.count();
            store().delete("r1");
            await("a notification of a delete", heard::count, count -> count > afterPut);
        } finally {
            subscription.close();
        }
    }

    @Test
    void aReturnedListIsTheCallersOwn() throws Exception {
        store().put(role("r1", "ops", List.of("p")));

        assertListIsTheCallersOwn(store()::list);
    }

    @Test
    void refusesNullArguments() {
        assertRejectsNull("find", () -> store().find(null));
        assertRejectsNull("findByName", () -> store().findByName(null));
        assertRejectsNull("put", () -> store().put(null));
        assertRejectsNull("delete", () -> store().delete(null));
    }

    @Test
    void anUnavailableStoreThrowsStateUnavailableException() throws Exception {
        store().put(role("r1", "ops", List.of("p")));
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().find("r1"));
        assertThrows(StateUnavailableException.class, () -> store().list());
        assertThrows(StateUnavailableException.class, () -> store().put(role("r2", "dev", List.of("p"))));
        assertThrows(StateUnavailableException.class, () -> store().delete("r1"));
    }

    /**
     * @param id an id
     * @param name a name
     * @param policies its policies
     * @return a role with no description, not yet stored
     */
    protected static AclRole role(String id, String name, List<String> policies) {
        return new AclRole(id, name, "", policies, 0, 0);
    }
}
