package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertListIsTheCallersOwn;
import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AclPolicyStore}, for any implementation: extend it and implement {@link #createStore()}.
 *
 * <p>It checks reads after writes, that the store sets the indexes (a new policy's create and modify index are
 * equal and positive, a replacement keeps the create index and raises the modify index, every write's index is
 * above every earlier one), listing sorted by name, deletes, change notifications (awaited), that returned lists are
 * the caller's, that {@code null} arguments are refused, and, when {@link #makeUnavailable} is implemented,
 * {@link StateUnavailableException}.
 *
 * @param <S> the store under test
 */
public abstract class AclPolicyStoreContract<S extends AclPolicyStore> extends StoreContract<S> {
    /** For subclasses. */
    protected AclPolicyStoreContract() {}

    @Test
    void anEmptyStoreFindsNothing() throws Exception {
        assertEquals(List.of(), store().list());
        assertEquals(Optional.empty(), store().find("node-read"));
    }

    @Test
    void putSetsTheIndexesAndReadsBackWhatItStored() throws Exception {
        AclPolicy policy = new AclPolicy("web-vars", "the web job's variables",
                "namespace \"default\" { variables { path \"*\" { capabilities = [\"read\"] } } }",
                Optional.of(new JobAcl("default", "web", "frontend", "server")), 0, 0);

        AclPolicy stored = store().put(policy);

        assertTrue(stored.createIndex() > 0, "no create index: " + stored);
        assertEquals(stored.createIndex(), stored.modifyIndex(), "a new policy's indexes differ: " + stored);
        assertEquals(policy.withIndexes(stored.createIndex(), stored.modifyIndex()), stored);
        assertEquals(Optional.of(stored), store().find("web-vars"));
        assertEquals(List.of(stored), store().list());
    }

    @Test
    void keepsEveryKindOfJobBinding() throws Exception {
        List<Optional<JobAcl>> bindings = List.of(Optional.empty(), Optional.of(new JobAcl("ns", "", "", "")),
                Optional.of(new JobAcl("ns", "job", "", "")), Optional.of(new JobAcl("ns", "job", "group", "")),
                Optional.of(new JobAcl("ns", "job", "group", "task")));
        for (int i = 0; i < bindings.size(); i++) {
            AclPolicy stored = store().put(new AclPolicy("p" + i, "", "rules " + i, bindings.get(i), 0, 0));

            assertEquals(bindings.get(i), store().find("p" + i).orElseThrow().jobAcl());
            assertEquals(Optional.of(stored), store().find("p" + i));
        }
    }

    @Test
    void aReplacementKeepsTheCreateIndexAndRaisesTheModifyIndex() throws Exception {
        AclPolicy first = store().put(policy("ops", "node { policy = \"read\" }"));
        AclPolicy other = store().put(policy("other", "agent { policy = \"read\" }"));

        AclPolicy replaced = store().put(new AclPolicy("ops", "now with a description", "node { policy = \"write\" }",
                Optional.of(new JobAcl("default", "", "", "")), 0, 0));

        assertEquals(first.createIndex(), replaced.createIndex());
        assertTrue(other.modifyIndex() > first.modifyIndex(), "indexes do not grow: " + first + ", " + other);
        assertTrue(replaced.modifyIndex() > other.modifyIndex(), "indexes do not grow: " + other + ", " + replaced);
        assertEquals(Optional.of(replaced), store().find("ops"));
        assertEquals("node { policy = \"write\" }", replaced.rules());
        assertEquals(List.of(replaced, other), store().list());
    }

    @Test
    void listsEveryPolicySortedByName() throws Exception {
        for (String name : List.of("b", "a-2", "Z", "a", "a-10", "0")) {
            store().put(policy(name, "node { policy = \"read\" }"));
        }

        assertEquals(List.of("0", "Z", "a", "a-10", "a-2", "b"), store().list().stream().map(AclPolicy::name)
                .toList());
    }

    @Test
    void deleteRemovesThePolicyAndSaysWhetherThereWasOne() throws Exception {
        AclPolicy kept = store().put(policy("kept", "node { policy = \"read\" }"));
        store().put(policy("deleted", "node { policy = \"read\" }"));

        assertTrue(store().delete("deleted"));
        assertFalse(store().delete("deleted"));
        assertFalse(store().delete("never-there"));

        assertEquals(Optional.empty(), store().find("deleted"));
        assertEquals(List.of(kept), store().list());
    }

    @Test
    void aPolicyPutAgainAfterADeleteIsNew() throws Exception {
        AclPolicy first = store().put(policy("p", "node { policy = \"read\" }"));
        store().delete("p");

        AclPolicy again = store().put(policy("p", "node { policy = \"read\" }"));

        assertTrue(again.createIndex() > first.createIndex(), "the deleted policy's create index came back");
        assertEquals(again.createIndex(), again.modifyIndex());
    }

    @Test
    void tellsSubscribersOfEveryChange() throws Exception {
        Contracts.Heard<String> heard = new Contracts.Heard<>("change");
        Subscription subscription = store().onChange(heard);
        try {
            store().put(policy("p", "node { policy = \"read\" }"));
            await("a notification of a put", heard::count, count -> count >= 1);
            int afterPut = heard.count();
            store().delete("p");
            await("a notification of a delete", heard::count, count -> count > afterPut);
        } finally {
            subscription.close();
        }
    }

    @Test
    void aClosedSubscriptionHearsNothingMoreAndClosesTwiceSafely() throws Exception {
        Contracts.Heard<String> closed = new Contracts.Heard<>("change");
        Contracts.Heard<String> open = new Contracts.Heard<>("change");
        Subscription subscription = store().onChange(closed);
        store().put(policy("first", "node { policy = \"read\" }"));
        await("a notification of the first put", closed::count, count -> count >= 1);

        subscription.close();
        subscription.close();
        int heardBeforeClose = closed.count();
        Subscription later = store().onChange(open);
        try {
            store().put(policy("second", "node { policy = \"read\" }"));
            await("a notification of the second put", open::count, count -> count >= 1);
        } finally {
            later.close();
        }
        assertEquals(heardBeforeClose, closed.count(), "a closed subscription still hears changes");
    }

    @Test
    void aReturnedListIsTheCallersOwn() throws Exception {
        store().put(policy("p", "node { policy = \"read\" }"));

        assertListIsTheCallersOwn(store()::list);
    }

    @Test
    void refusesNullArguments() throws Exception {
        assertRejectsNull("find", () -> store().find(null));
        assertRejectsNull("put", () -> store().put(null));
        assertRejectsNull("delete", () -> store().delete(null));
        assertRejectsNull("onChange", () -> store().onChange(null));
        assertEquals(List.of(), store().list());
    }

    @Test
    void anUnavailableStoreThrowsStateUnavailableException() throws Exception {
        store().put(policy("p", "node { policy = \"read\" }"));
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().find("p"));
        assertThrows(StateUnavailableException.class, () -> store().list());
        assertThrows(StateUnavailableException.class, () -> store().put(policy("q", "node { policy = \"read\" }")));
        assertThrows(StateUnavailableException.class, () -> store().delete("p"));
    }

    /**
     * @param name a name
     * @param rules its rules
     * @return a policy with no description and no job binding, not yet stored
     */
    protected static AclPolicy policy(String name, String rules) {
        return new AclPolicy(name, "", rules, Optional.empty(), 0, 0);
    }
}
