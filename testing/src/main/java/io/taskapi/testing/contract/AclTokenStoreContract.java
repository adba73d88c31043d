package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertListIsTheCallersOwn;
import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AclTokenStore}, for any implementation: extend it, implement {@link #createStore()}, and
 * run it with your tests.
 *
 * <pre>{@code
 * class EtcdAclTokenStoreContractTest extends AclTokenStoreContract<EtcdAclTokenStore> {
 *     protected EtcdAclTokenStore createStore() { return new EtcdAclTokenStore(cluster.client(), freshPrefix()); }
 * }
 * }</pre>
 *
 * <p>It checks reads after writes (every field, to the nanosecond), lookups by the exact secret only, replacement by
 * accessor id, one token per secret, deletes, the once-in-a-lifetime bootstrap, change notifications (awaited, so a
 * store that notifies later passes), that returned lists are the caller's, that {@code null} arguments are refused,
 * and, when {@link #makeUnavailable} is implemented, {@link StateUnavailableException}.
 *
 * @param <S> the store under test
 */
public abstract class AclTokenStoreContract<S extends AclTokenStore> extends StoreContract<S> {
    private static final Instant CREATED = Instant.parse("2030-01-02T03:04:05.123456789Z");

    /** For subclasses. */
    protected AclTokenStoreContract() {}

    @Test
    void anEmptyStoreFindsNothing() throws Exception {
        assertEquals(List.of(), store().list());
        assertEquals(Optional.empty(), store().findBySecretId(UUID.randomUUID().toString()));
        assertEquals(Optional.empty(), store().findByAccessorId(UUID.randomUUID().toString()));
    }

    @Test
    void readsBackEveryFieldOfWhatItStored() throws Exception {
        AclToken client = token("reader", AclTokenType.CLIENT, List.of("z-last", "a-first"),
                Optional.of(Instant.parse("2031-02-03T04:05:06.000000007Z")));
        AclToken management = token("admin", AclTokenType.MANAGEMENT, List.of(), Optional.empty());

        store().put(client);
        store().put(management);

        assertEquals(Optional.of(client), store().findBySecretId(client.secretId()));
        assertEquals(Optional.of(client), store().findByAccessorId(client.accessorId()));
        assertEquals(List.of("z-last", "a-first"), store().findByAccessorId(client.accessorId()).orElseThrow()
                .policies(), "the policies keep their order");
        assertEquals(Optional.of(management), store().findBySecretId(management.secretId()));
        assertEquals(new HashSet<>(List.of(client, management)), new HashSet<>(store().list()));
        assertEquals(2, store().list().size());
    }

    @Test
    void findsBySecretOnlyTheExactSecret() throws Exception {
        AclToken token = token("reader", AclTokenType.CLIENT, List.of(), Optional.empty());
        store().put(token);

        assertEquals(Optional.empty(), store().findBySecretId(token.secretId().toUpperCase(Locale.ROOT)));
        assertEquals(Optional.empty(), store().findBySecretId(token.accessorId()), "an accessor id is no secret");
        assertEquals(Optional.empty(), store().findByAccessorId(token.secretId()), "a secret is no accessor id");
        String almost = token.secretId().substring(0, 35) + (token.secretId().endsWith("0") ? "1" : "0");
        assertEquals(Optional.empty(), store().findBySecretId(almost));
        assertEquals(Optional.empty(), store().findBySecretId(""));
    }

    @Test
    void putReplacesTheTokenWithTheSameAccessorIdSecretIncluded() throws Exception {
        AclToken first = token("first", AclTokenType.CLIENT, List.of("p"), Optional.empty());
        store().put(first);
        AclToken rotated = new AclToken(first.accessorId(), UUID.randomUUID().toString(), "renamed",
                AclTokenType.MANAGEMENT, List.of(), CREATED.plusSeconds(1), Optional.of(CREATED.plusSeconds(60)));

        store().put(rotated);

        assertEquals(Optional.empty(), store().findBySecretId(first.secretId()), "the old secret still works");
        assertEquals(Optional.of(rotated), store().findBySecretId(rotated.secretId()));
        assertEquals(Optional.of(rotated), store().findByAccessorId(first.accessorId()));
        assertEquals(List.of(rotated), store().list());
    }

    @Test
    void aSecretBelongsToOneTokenOnly() throws Exception {
        AclToken first = token("first", AclTokenType.CLIENT, List.of(), Optional.empty());
        store().put(first);
        AclToken thief = new AclToken(UUID.randomUUID().toString(), first.secretId(), "thief",
                AclTokenType.MANAGEMENT, List.of(), CREATED, Optional.empty());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> store().put(thief));

        assertFalse(String.valueOf(refused.getMessage()).contains(first.secretId()), "the message shows the secret");
        assertEquals(Optional.of(first), store().findBySecretId(first.secretId()));
        assertEquals(List.of(first), store().list());
    }

    @Test
    void deleteRemovesTheTokenAndSaysWhetherThereWasOne() throws Exception {
        AclToken kept = token("kept", AclTokenType.CLIENT, List.of(), Optional.empty());
        AclToken deleted = token("deleted", AclTokenType.CLIENT, List.of(), Optional.empty());
        store().put(kept);
        store().put(deleted);

        assertTrue(store().delete(deleted.accessorId()));
        assertFalse(store().delete(deleted.accessorId()));
        assertFalse(store().delete(UUID.randomUUID().toString()));

        assertEquals(Optional.empty(), store().findBySecretId(deleted.secretId()));
        assertEquals(Optional.empty(), store().findByAccessorId(deleted.accessorId()));
        assertEquals(List.of(kept), store().list());
    }

    @Test
    void bootstrapStoresTheFirstManagementTokenOnceInTheStoresLife() throws Exception {
        AclToken first = token("bootstrap", AclTokenType.MANAGEMENT, List.of(), Optional.empty());
        AclToken second = token("again", AclTokenType.MANAGEMENT, List.of(), Optional.empty());

        assertTrue(store().bootstrap(first));
        assertEquals(Optional.of(first), store().findBySecretId(first.secretId()));
        assertFalse(store().bootstrap(second));
        assertEquals(Optional.empty(), store().findBySecretId(second.secretId()));

        assertTrue(store().delete(first.accessorId()));
        assertFalse(store().bootstrap(second), "a deleted bootstrap token allowed a second bootstrap");
        assertEquals(List.of(), store().list());
    }

    @Test
    void bootstrapTakesAManagementTokenOnlyAndARefusalChangesNothing() throws Exception {
        AclToken client = token("client", AclTokenType.CLIENT, List.of(), Optional.empty());
        AclToken management = token("bootstrap", AclTokenType.MANAGEMENT, List.of(), Optional.empty());

        assertThrows(IllegalArgumentException.class, () -> store().bootstrap(client));

        assertEquals(List.of(), store().list());
        assertTrue(store().bootstrap(management), "a refused bootstrap used up the bootstrap");
    }

    @Test
    void tellsSubscribersOfEveryChange() throws Exception {
        Contracts.Heard<String> heard = new Contracts.Heard<>("change");
        AclToken token = token("a", AclTokenType.CLIENT, List.of(), Optional.empty());
        Subscription subscription = store().onChange(heard);
        try {
            store().put(token);
            await("a notification of a put", heard::count, count -> count >= 1);
            int afterPut = heard.count();
            store().delete(token.accessorId());
            await("a notification of a delete", heard::count, count -> count > afterPut);
            int afterDelete = heard.count();
            store().bootstrap(token("bootstrap", AclTokenType.MANAGEMENT, List.of(), Optional.empty()));
            await("a notification of a bootstrap", heard::count, count -> count > afterDelete);
        } finally {
            subscription.close();
        }
    }

    @Test
    void aClosedSubscriptionHearsNothingMoreAndClosesTwiceSafely() throws Exception {
        Contracts.Heard<String> closed = new Contracts.Heard<>("change");
        Contracts.Heard<String> open = new Contracts.Heard<>("change");
        Subscription subscription = store().onChange(closed);
        store().put(token("first", AclTokenType.CLIENT, List.of(), Optional.empty()));
        await("a notification of the first put", closed::count, count -> count >= 1);

        subscription.close();
        subscription.close();
        int heardBeforeClose = closed.count();
        Subscription later = store().onChange(open);
        try {
            store().put(token("second", AclTokenType.CLIENT, List.of(), Optional.empty()));
            // Once a later subscriber heard of the second put, the closed one would have heard of it too.
            await("a notification of the second put", open::count, count -> count >= 1);
        } finally {
            later.close();
        }
        assertEquals(heardBeforeClose, closed.count(), "a closed subscription still hears changes");
    }

    @Test
    void aReturnedListIsTheCallersOwn() throws Exception {
        store().put(token("a", AclTokenType.CLIENT, List.of(), Optional.empty()));

        assertListIsTheCallersOwn(store()::list);
    }

    @Test
    void refusesNullArguments() throws Exception {
        assertRejectsNull("findBySecretId", () -> store().findBySecretId(null));
        assertRejectsNull("findByAccessorId", () -> store().findByAccessorId(null));
        assertRejectsNull("put", () -> store().put(null));
        assertRejectsNull("delete", () -> store().delete(null));
        assertRejectsNull("bootstrap", () -> store().bootstrap(null));
        assertRejectsNull("onChange", () -> store().onChange(null));
        assertEquals(List.of(), store().list());
    }

    @Test
    void anUnavailableStoreThrowsStateUnavailableException() throws Exception {
        AclToken token = token("a", AclTokenType.CLIENT, List.of(), Optional.empty());
        store().put(token);
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().findBySecretId(token.secretId()));
        assertThrows(StateUnavailableException.class, () -> store().findByAccessorId(token.accessorId()));
        assertThrows(StateUnavailableException.class, () -> store().list());
        assertThrows(StateUnavailableException.class,
                () -> store().put(token("b", AclTokenType.CLIENT, List.of(), Optional.empty())));
        assertThrows(StateUnavailableException.class, () -> store().delete(token.accessorId()));
        assertThrows(StateUnavailableException.class,
                () -> store().bootstrap(token("c", AclTokenType.MANAGEMENT, List.of(), Optional.empty())));
    }

    /**
     * @param name a human name
     * @param type its type
     * @param policies its policies
     * @param expiry when it expires
     * @return a token with random UUID accessor and secret ids
     */
    protected static AclToken token(String name, AclTokenType type, List<String> policies, Optional<Instant> expiry) {
        return new AclToken(UUID.randomUUID().toString(), UUID.randomUUID().toString(), name, type, policies, CREATED,
                expiry);
    }
}
