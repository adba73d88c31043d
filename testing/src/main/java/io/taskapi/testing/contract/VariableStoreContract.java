package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertListIsTheCallersOwn;
import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.VariableStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link VariableStore}, for any implementation: extend it and implement {@link #createStore()}.
 *
 * <p>It checks reads after writes (key id and ciphertext byte for byte), that the store sets indexes and times (a
 * replacement keeps the create index and time, every write's index is above every earlier one), listing by
 * namespace ({@code *} for all) and literal path prefix sorted by namespace then path, deletes, Nomad's check-and-set
 * for puts and deletes ({@link CasConflictException} carrying the variable as it is, nothing changed), that of many
 * concurrent check-and-set writes against the same index exactly one wins, that returned lists are the caller's,
 * that {@code null} arguments are refused, and, when {@link #makeUnavailable} is implemented,
 * {@link StateUnavailableException}.
 *
 * @param <S> the store under test
 */
public abstract class VariableStoreContract<S extends VariableStore> extends StoreContract<S> {
    private static final OptionalLong NO_CHECK = OptionalLong.empty();
    private static final OptionalLong ONLY_IF_ABSENT = OptionalLong.of(0);
    private static final int CONCURRENT_WRITERS = 8;

    /** For subclasses. */
    protected VariableStoreContract() {}

    @Test
    void anEmptyStoreFindsNothing() throws Exception {
        assertEquals(Optional.empty(), store().get("default", "a"));
        assertEquals(List.of(), store().list("*", ""));
        assertEquals(List.of(), store().list("default", ""));
    }

    @Test
    void putSetsIndexesAndTimesAndReadsBackWhatItStored() throws Exception {
        StoredVariable variable = new StoredVariable("default", "nomad/jobs/web", "key-1", new byte[] {0, 1, -1, 42},
                77, 99, Instant.EPOCH, Instant.EPOCH);

        StoredVariable stored = store().put(variable, NO_CHECK);

        assertTrue(stored.createIndex() > 0, "no create index: " + stored);
        assertEquals(stored.createIndex(), stored.modifyIndex(), "a new variable's indexes differ: " + stored);
        assertEquals(stored.createTime(), stored.modifyTime(), "a new variable's times differ: " + stored);
        assertEquals("key-1", stored.keyId());
        assertArrayEquals(new byte[] {0, 1, -1, 42}, stored.ciphertext());
        assertEquals(Optional.of(stored), store().get("default", "nomad/jobs/web"));
        assertEquals(List.of(stored), store().list("default", ""));
    }

    @Test
    void aReplacementKeepsTheCreateIndexAndTimeAndRaisesTheModifyIndex() throws Exception {
        StoredVariable first = store().put(variable("default", "a", "first"), NO_CHECK);
        StoredVariable other = store().put(variable("default", "b", "other"), NO_CHECK);

        StoredVariable replaced = store().put(new StoredVariable("default", "a", "key-2", "second".getBytes(UTF_8), 0,
                0, Instant.EPOCH, Instant.EPOCH), NO_CHECK);

        assertEquals(first.createIndex(), replaced.createIndex());
        assertEquals(first.createTime(), replaced.createTime());
        assertFalse(replaced.modifyTime().isBefore(replaced.createTime()), "modified before created: " + replaced);
        assertTrue(other.modifyIndex() > first.modifyIndex(), "indexes do not grow: " + first + ", " + other);
        assertTrue(replaced.modifyIndex() > other.modifyIndex(), "indexes do not grow: " + other + ", " + replaced);
        assertEquals("key-2", replaced.keyId());
        assertEquals(Optional.of(replaced), store().get("default", "a"));
    }

    @Test
    void theSamePathInAnotherNamespaceIsAnotherVariable() throws Exception {
        StoredVariable mine = store().put(variable("default", "shared/path", "mine"), NO_CHECK);
        StoredVariable theirs = store().put(variable("other", "shared/path", "theirs"), NO_CHECK);

        assertEquals(Optional.of(mine), store().get("default", "shared/path"));
        assertEquals(Optional.of(theirs), store().get("other", "shared/path"));
        assertTrue(store().delete("other", "shared/path", NO_CHECK));
        assertEquals(Optional.of(mine), store().get("default", "shared/path"));
    }

    @Test
    void listsByNamespaceAndLiteralPrefixSortedByNamespaceThenPath() throws Exception {
        List<StoredVariable> stored = new ArrayList<>();
        for (String[] key : new String[][] {{"prod", "app/b"}, {"default", "app/b"}, {"default", "app/a"},
                {"default", "apple"}, {"default", "App/c"}, {"default", "ap%x"}, {"default", "ap_y"},
                {"prod", "app/a"}, {"default", "other"}}) {
            stored.add(store().put(variable(key[0], key[1], key[1]), NO_CHECK));
        }

        assertEquals(List.of("default/App/c", "default/ap%x", "default/ap_y", "default/app/a", "default/app/b",
                "default/apple", "default/other", "prod/app/a", "prod/app/b"), keys(store().list("*", "")));
        assertEquals(List.of("default/app/a", "default/app/b", "default/apple", "prod/app/a", "prod/app/b"),
                keys(store().list("*", "app")));
        assertEquals(List.of("default/app/a", "default/app/b"), keys(store().list("default", "app/")));
        assertEquals(List.of("default/ap%x"), keys(store().list("default", "ap%")), "% is not a wildcard");
        assertEquals(List.of("default/ap_y"), keys(store().list("default", "ap_")), "_ is not a wildcard");
        assertEquals(List.of("default/App/c"), keys(store().list("default", "App")), "prefixes are case-sensitive");
        assertEquals(List.of("prod/app/a", "prod/app/b"), keys(store().list("prod", "")));
        assertEquals(List.of(), store().list("nowhere", ""));
        assertEquals(List.of(), store().list("default", "app/a/"));
        assertTrue(store().list("*", "").containsAll(stored));
    }

    @Test
    void deleteRemovesTheVariableAndSaysWhetherThereWasOne() throws Exception {
        StoredVariable kept = store().put(variable("default", "kept", "k"), NO_CHECK);
        store().put(variable("default", "deleted", "d"), NO_CHECK);

        assertTrue(store().delete("default", "deleted", NO_CHECK));
        assertFalse(store().delete("default", "deleted", NO_CHECK));
        assertFalse(store().delete("default", "never-there", NO_CHECK));

        assertEquals(Optional.empty(), store().get("default", "deleted"));
        assertEquals(List.of(kept), store().list("*", ""));
    }

    @Test
    void checkAndSetWithZeroPutsOnlyWhenAbsent() throws Exception {
        StoredVariable created = store().put(variable("default", "a", "first"), ONLY_IF_ABSENT);

        CasConflictException conflict = assertThrows(CasConflictException.class,
                () -> store().put(variable("default", "a", "second"), ONLY_IF_ABSENT));

        assertEquals(Optional.of(created), conflict.current());
        assertEquals(Optional.of(created), store().get("default", "a"), "a failed check changed the variable");
    }

    @Test
    void checkAndSetWithAnIndexPutsOnlyAtThatIndex() throws Exception {
        StoredVariable first = store().put(variable("default", "a", "first"), NO_CHECK);
        StoredVariable second = store().put(variable("default", "a", "second"), OptionalLong.of(first.modifyIndex()));
        assertTrue(second.modifyIndex() > first.modifyIndex());

        CasConflictException stale = assertThrows(CasConflictException.class,
                () -> store().put(variable("default", "a", "third"), OptionalLong.of(first.modifyIndex())));
        assertEquals(Optional.of(second), stale.current());
        assertEquals(Optional.of(second), store().get("default", "a"), "a failed check changed the variable");

        CasConflictException absent = assertThrows(CasConflictException.class,
                () -> store().put(variable("default", "b", "new"), OptionalLong.of(second.modifyIndex())));
        assertEquals(Optional.empty(), absent.current());
        assertEquals(Optional.empty(), store().get("default", "b"), "a failed check created the variable");
    }

    @Test
    void checkAndSetDeletesOnlyAtThatIndexAndZeroOnlyWhenAbsent() throws Exception {
        StoredVariable first = store().put(variable("default", "a", "first"), NO_CHECK);
        StoredVariable second = store().put(variable("default", "a", "second"), NO_CHECK);

        CasConflictException stale = assertThrows(CasConflictException.class,
                () -> store().delete("default", "a", OptionalLong.of(first.modifyIndex())));
        assertEquals(Optional.of(second), stale.current());
        CasConflictException present = assertThrows(CasConflictException.class,
                () -> store().delete("default", "a", ONLY_IF_ABSENT));
        assertEquals(Optional.of(second), present.current());
        assertEquals(Optional.of(second), store().get("default", "a"), "a failed check deleted the variable");

        assertTrue(store().delete("default", "a", OptionalLong.of(second.modifyIndex())));
        assertFalse(store().delete("default", "a", ONLY_IF_ABSENT), "0 on an absent variable is no conflict");
        CasConflictException absent = assertThrows(CasConflictException.class,
                () -> store().delete("default", "a", OptionalLong.of(second.modifyIndex())));
        assertEquals(Optional.empty(), absent.current());
    }

    @Test
    void ofConcurrentCheckAndSetWritesAtTheSameIndexExactlyOneWins() throws Exception {
        StoredVariable base = store().put(variable("default", "contended", "base"), NO_CHECK);

        List<Object> outcomes = concurrently(writer -> store().put(variable("default", "contended", "writer " + writer),
                OptionalLong.of(base.modifyIndex())));

        StoredVariable winner = onlyWinner(outcomes);
        assertEquals(Optional.of(winner), store().get("default", "contended"));
        assertTrue(winner.modifyIndex() > base.modifyIndex());
        for (Object outcome : outcomes) {
            if (outcome instanceof CasConflictException conflict) {
                assertEquals(Optional.of(winner), conflict.current(), "a loser saw another state than the winner's");
            }
        }
    }

    @Test
    void ofConcurrentCreatesOnlyIfAbsentExactlyOneWins() throws Exception {
        List<Object> outcomes = concurrently(writer -> store().put(variable("default", "created", "writer " + writer),
                ONLY_IF_ABSENT));

        StoredVariable winner = onlyWinner(outcomes);
        assertEquals(Optional.of(winner), store().get("default", "created"));
        assertEquals(winner.createIndex(), winner.modifyIndex());
    }

    @Test
    void returnedListsAndCiphertextsAreTheCallersOwn() throws Exception {
        store().put(variable("default", "a", "secret"), NO_CHECK);

        assertListIsTheCallersOwn(() -> store().list("*", ""));
        byte[] ciphertext = store().get("default", "a").orElseThrow().ciphertext();
        ciphertext[0] ^= 1;
        assertArrayEquals("secret".getBytes(UTF_8), store().get("default", "a").orElseThrow().ciphertext());
    }

    @Test
    void refusesNullArguments() throws Exception {
        StoredVariable variable = variable("default", "a", "x");
        assertRejectsNull("get", () -> store().get(null, "a"));
        assertRejectsNull("get", () -> store().get("default", null));
        assertRejectsNull("list", () -> store().list(null, ""));
        assertRejectsNull("list", () -> store().list("default", null));
        assertRejectsNull("put", () -> store().put(null, NO_CHECK));
        assertRejectsNull("put", () -> store().put(variable, null));
        assertRejectsNull("delete", () -> store().delete(null, "a", NO_CHECK));
        assertRejectsNull("delete", () -> store().delete("default", null, NO_CHECK));
        assertRejectsNull("delete", () -> store().delete("default", "a", null));
        assertEquals(List.of(), store().list("*", ""));
    }

    @Test
    void anUnavailableStoreThrowsStateUnavailableException() throws Exception {
        store().put(variable("default", "a", "x"), NO_CHECK);
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().get("default", "a"));
        assertThrows(StateUnavailableException.class, () -> store().list("*", ""));
        assertThrows(StateUnavailableException.class, () -> store().put(variable("default", "b", "y"), NO_CHECK));
        assertThrows(StateUnavailableException.class, () -> store().delete("default", "a", NO_CHECK));
    }

    /**
     * @param namespace its namespace
     * @param path its path
     * @param ciphertext stands for its encrypted items
     * @return a variable not yet stored (no indexes, times at the epoch)
     */
    protected static StoredVariable variable(String namespace, String path, String ciphertext) {
        return new StoredVariable(namespace, path, "key-1", ciphertext.getBytes(UTF_8), 0, 0, Instant.EPOCH,
                Instant.EPOCH);
    }

    private static List<String> keys(List<StoredVariable> variables) {
        return variables.stream().map(variable -> variable.namespace() + "/" + variable.path()).toList();
    }

    @FunctionalInterface
    private interface Write {
        StoredVariable apply(int writer) throws Exception;
    }

    /** Runs the write on many threads released at once; returns what each returned or threw. */
    private List<Object> concurrently(Write write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_WRITERS);
        try {
            CountDownLatch ready = new CountDownLatch(CONCURRENT_WRITERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<StoredVariable>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_WRITERS; i++) {
                int writer = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return write.apply(writer);
                }));
            }
            ready.await();
            go.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<StoredVariable> future : futures) {
                try {
                    outcomes.add(future.get(timeout().toMillis() * 3, TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static StoredVariable onlyWinner(List<Object> outcomes) {
        List<StoredVariable> winners = new ArrayList<>();
        for (Object outcome : outcomes) {
            if (outcome instanceof StoredVariable stored) {
                winners.add(stored);
            } else if (!(outcome instanceof CasConflictException)) {
                fail("a concurrent check-and-set write neither won nor lost with CasConflictException: " + outcome,
                        outcome instanceof Throwable thrown ? thrown : null);
            }
        }
        assertEquals(1, winners.size(), "not exactly one winner: " + outcomes);
        return winners.get(0);
    }
}
