package io.taskapi.testing.contract;

import static io.taskapi.testing.contract.Contracts.assertListIsTheCallersOwn;
import static io.taskapi.testing.contract.Contracts.assertRejectsNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclAuthMethodStore;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AclAuthMethodStore} (SPI 1.2), for any implementation: extend it and implement
 * {@link #createStore()}. It checks methods and rules read back as written (every field, the config text exactly),
 * that the store sets the indexes (a replacement keeps the create index), sorted lists, that a rule needs its method,
 * that deleting a method deletes its rules and only those, change notifications (awaited), that returned lists are
 * the caller's, that {@code null} arguments are refused, and, with {@link #makeUnavailable},
 * {@link StateUnavailableException}.
 *
 * @param <S> the store under test
 */
public abstract class AclAuthMethodStoreContract<S extends AclAuthMethodStore> extends StoreContract<S> {
    private static final Instant CREATED = Instant.parse("2030-01-02T03:04:05.123456789Z");

    /** For subclasses. */
    protected AclAuthMethodStoreContract() {}

    @Test
    void anEmptyStoreFindsNothing() throws Exception {
        assertEquals(List.of(), store().listMethods());
        assertEquals(List.of(), store().listRules());
        assertEquals(Optional.empty(), store().findMethod("corp"));
        assertEquals(Optional.empty(), store().findRule("r1"));
    }

    @Test
    void methodsReadBackAsWrittenWithTheStoresIndexes() throws Exception {
        AclAuthMethod written = method("corp", true);

        AclAuthMethod stored = store().putMethod(written);

        assertTrue(stored.createIndex() > 0, "no create index: " + stored);
        assertEquals(written.withIndexes(stored.createIndex(), stored.modifyIndex()), stored);
        assertEquals(Optional.of(stored), store().findMethod("corp"));
        AclAuthMethod other = store().putMethod(method("a-first", false));
        assertEquals(List.of(other, stored), store().listMethods(), "sorted by name");

        AclAuthMethod replaced = store().putMethod(method("corp", false));
        assertEquals(stored.createIndex(), replaced.createIndex());
        assertTrue(replaced.modifyIndex() > other.modifyIndex());
        assertFalse(store().findMethod("corp").orElseThrow().isDefault());
    }

    @Test
    void rulesReadBackAsWrittenAndNeedTheirMethod() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> store().putRule(rule("r1", "corp")));
        assertEquals(List.of(), store().listRules());
        store().putMethod(method("corp", false));

        AclBindingRule stored = store().putRule(rule("r2", "corp"));
        AclBindingRule first = store().putRule(rule("r1", "corp"));

        assertEquals(rule("r2", "corp").withIndexes(stored.createIndex(), stored.modifyIndex()), stored);
        assertEquals(Optional.of(stored), store().findRule("r2"));
        assertEquals(List.of(first, stored), store().listRules(), "sorted by id");
    }

    @Test
    void deletingAMethodDeletesItsRulesAndOnlyThose() throws Exception {
        store().putMethod(method("corp", false));
        store().putMethod(method("other", false));
        store().putRule(rule("r1", "corp"));
        AclBindingRule kept = store().putRule(rule("r2", "other"));

        assertTrue(store().deleteMethod("corp"));
        assertFalse(store().deleteMethod("corp"));

        assertEquals(List.of(kept), store().listRules());
        assertTrue(store().deleteRule("r2"));
        assertFalse(store().deleteRule("r2"));
    }

    @Test
    void tellsSubscribersOfEveryChange() throws Exception {
        Contracts.Heard<String> heard = new Contracts.Heard<>("change");
        Subscription subscription = store().onChange(heard);
        try {
            store().putMethod(method("corp", false));
            await("a notification of a method", heard::count, count -> count >= 1);
            int afterMethod = heard.count();
            store().putRule(rule("r1", "corp"));
            await("a notification of a rule", heard::count, count -> count > afterMethod);
        } finally {
            subscription.close();
        }
    }

    @Test
    void returnedListsAreTheCallersOwn() throws Exception {
        store().putMethod(method("corp", false));
        store().putRule(rule("r1", "corp"));

        assertListIsTheCallersOwn(store()::listMethods);
        assertListIsTheCallersOwn(store()::listRules);
    }

    @Test
    void refusesNullArguments() {
        assertRejectsNull("findMethod", () -> store().findMethod(null));
        assertRejectsNull("putMethod", () -> store().putMethod(null));
        assertRejectsNull("deleteMethod", () -> store().deleteMethod(null));
        assertRejectsNull("findRule", () -> store().findRule(null));
        assertRejectsNull("putRule", () -> store().putRule(null));
        assertRejectsNull("deleteRule", () -> store().deleteRule(null));
    }

    @Test
    void anUnavailableStoreThrowsStateUnavailableException() throws Exception {
        store().putMethod(method("corp", false));
        switchOff();

        assertThrows(StateUnavailableException.class, () -> store().findMethod("corp"));
        assertThrows(StateUnavailableException.class, () -> store().listMethods());
        assertThrows(StateUnavailableException.class, () -> store().putMethod(method("x", false)));
        assertThrows(StateUnavailableException.class, () -> store().deleteMethod("corp"));
        assertThrows(StateUnavailableException.class, () -> store().listRules());
        assertThrows(StateUnavailableException.class, () -> store().putRule(rule("r1", "corp")));
    }

    /**
     * @param name a name
     * @param isDefault whether it is the default
     * @return a JWT method, not yet stored
     */
    protected static AclAuthMethod method(String name, boolean isDefault) {
        return new AclAuthMethod(name, "JWT", "local", Duration.ofMinutes(90), isDefault,
                "{\"JWKSURL\":\"file:///jwks.json\",\"ClaimMappings\":{\"a\":\"b\"}}", CREATED, CREATED.plusSeconds(1),
                0, 0);
    }

    /**
     * @param id an id
     * @param method its method's name
     * @return a rule, not yet stored
     */
    protected static AclBindingRule rule(String id, String method) {
        return new AclBindingRule(id, "rule " + id, method, "\"ops\" in list.groups", "role", "${value.team}-ops",
                CREATED, CREATED, 0, 0);
    }
}
