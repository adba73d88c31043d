package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.StoredVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedVariableStoreTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00.123456789Z");
    private static final OptionalLong NO_CAS = OptionalLong.empty();

    @TempDir
    Path tmp;

    private Path dataDir;
    private MutableClock clock;
    private EmbeddedDatabase database;
    private EmbeddedVariableStore variables;

    @BeforeEach
    void open() throws Exception {
        dataDir = tmp.resolve("data");
        clock = new MutableClock(START);
        database = EmbeddedDatabase.open(dataDir);
        variables = new EmbeddedVariableStore(database, clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void putSetsIndexesAndNanosecondTimesAndGetGivesItBack() throws Exception {
        StoredVariable stored = variables.put(variable("default", "a/b", "one"), NO_CAS);

        assertThat(stored.createIndex()).isEqualTo(1);
        assertThat(stored.modifyIndex()).isEqualTo(1);
        assertThat(stored.createTime()).isEqualTo(START);
        assertThat(stored.modifyTime()).isEqualTo(START);
        assertThat(stored.keyId()).isEqualTo("key-1");
        assertThat(new String(stored.ciphertext(), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(variables.get("default", "a/b")).contains(stored);
        assertThat(variables.get("other", "a/b")).isEmpty();
        assertThat(variables.get("default", "a")).isEmpty();
    }

    @Test
    void updateKeepsCreationAndMovesModification() throws Exception {
        StoredVariable first = variables.put(variable("default", "a", "one"), NO_CAS);
        variables.put(variable("default", "b", "x"), NO_CAS);
        clock.advance(Duration.ofNanos(1_000_000_001));

        StoredVariable second = variables.put(variable("default", "a", "two"), NO_CAS);

        assertThat(second.createIndex()).isEqualTo(first.createIndex());
        assertThat(second.modifyIndex()).isEqualTo(3);
        assertThat(second.createTime()).isEqualTo(START);
        assertThat(second.modifyTime()).isEqualTo(START.plusNanos(1_000_000_001));
        assertThat(variables.get("default", "a")).contains(second);
    }

    // ---- check-and-set on put

    @Test
    void casZeroOnAbsentCreates() throws Exception {
        StoredVariable stored = variables.put(variable("default", "a", "one"), OptionalLong.of(0));

        assertThat(variables.get("default", "a")).contains(stored);
    }

    @Test
    void casZeroOnPresentConflictsWithTheCurrentVariable() throws Exception {
        StoredVariable current = variables.put(variable("default", "a", "one"), NO_CAS);

        assertConflict(() -> variables.put(variable("default", "a", "two"), OptionalLong.of(0)), current);
        assertUnchanged(current);
    }

    @Test
    void casMatchingIndexUpdates() throws Exception {
        StoredVariable current = variables.put(variable("default", "a", "one"), NO_CAS);

        StoredVariable updated = variables.put(variable("default", "a", "two"),
                OptionalLong.of(current.modifyIndex()));

        assertThat(updated.modifyIndex()).isGreaterThan(current.modifyIndex());
        assertThat(variables.get("default", "a")).contains(updated);
    }

    @Test
    void casStaleIndexConflictsWithTheCurrentVariable() throws Exception {
        StoredVariable old = variables.put(variable("default", "a", "one"), NO_CAS);
        StoredVariable current = variables.put(variable("default", "a", "two"), NO_CAS);

        assertConflict(() -> variables.put(variable("default", "a", "three"), OptionalLong.of(old.modifyIndex())),
                current);
        assertUnchanged(current);
    }

    @Test
    void casIndexOnAbsentConflictsWithNothing() throws Exception {
        assertConflict(() -> variables.put(variable("default", "a", "one"), OptionalLong.of(5)), null);

        assertThat(variables.get("default", "a")).isEmpty();
        assertThat(database.currentIndex()).isZero();
    }

    // ---- check-and-set on delete

    @Test
    void deleteWithoutCasSaysWhetherThereWasOne() throws Exception {
        variables.put(variable("default", "a", "one"), NO_CAS);

        assertThat(variables.delete("default", "a", NO_CAS)).isTrue();
        assertThat(variables.delete("default", "a", NO_CAS)).isFalse();
        assertThat(variables.get("default", "a")).isEmpty();
    }

    @Test
    void deleteCasZeroOnAbsentIsFineAndChangesNothing() throws Exception {
        assertThat(variables.delete("default", "a", OptionalLong.of(0))).isFalse();
        assertThat(database.currentIndex()).isZero();
    }

    @Test
    void deleteCasZeroOnPresentConflicts() throws Exception {
        StoredVariable current = variables.put(variable("default", "a", "one"), NO_CAS);

        assertConflict(() -> variables.delete("default", "a", OptionalLong.of(0)), current);
        assertUnchanged(current);
    }

    @Test
    void deleteCasMatchingIndexDeletes() throws Exception {
        StoredVariable current = variables.put(variable("default", "a", "one"), NO_CAS);

        assertThat(variables.delete("default", "a", OptionalLong.of(current.modifyIndex()))).isTrue();
        assertThat(variables.get("default", "a")).isEmpty();
    }

    @Test
    void deleteCasStaleIndexConflicts() throws Exception {
        StoredVariable old = variables.put(variable("default", "a", "one"), NO_CAS);
        StoredVariable current = variables.put(variable("default", "a", "two"), NO_CAS);

        assertConflict(() -> variables.delete("default", "a", OptionalLong.of(old.modifyIndex())), current);
        assertUnchanged(current);
    }

    @Test
    void deleteCasIndexOnAbsentConflictsWithNothing() throws Exception {
        assertConflict(() -> variables.delete("default", "a", OptionalLong.of(3)), null);
    }

    // ---- list

    @Test
    void listFiltersByNamespaceAndPrefixAndSortsByNamespaceThenPath() throws Exception {
        for (String[] coordinates : new String[][] {{"prod", "b/x"}, {"default", "b/y"}, {"default", "a"},
                {"default", "b/x"}, {"prod", "a/b"}, {"default", "B/x"}, {"default", "bz"}}) {
            variables.put(variable(coordinates[0], coordinates[1], "v"), NO_CAS);
        }

        assertThat(coordinates(variables.list("default", ""))).containsExactly("default:B/x", "default:a",
                "default:b/x", "default:b/y", "default:bz");
        assertThat(coordinates(variables.list("default", "b/"))).containsExactly("default:b/x", "default:b/y");
        assertThat(coordinates(variables.list("*", "b"))).containsExactly("default:b/x", "default:b/y",
                "default:bz", "prod:b/x");
        assertThat(coordinates(variables.list("*", ""))).hasSize(7);
        assertThat(coordinates(variables.list("prod", "a"))).containsExactly("prod:a/b");
        assertThat(variables.list("nowhere", "")).isEmpty();
        assertThat(variables.list("default", "b/x/longer")).isEmpty();
    }

    @Test
    void listTakesThePrefixLiterally() throws Exception {
        for (String path : new String[] {"a_b", "axb", "a%b", "A_b", "a[b]", "a*b"}) {
            variables.put(variable("default", path, "v"), NO_CAS);
        }

        assertThat(coordinates(variables.list("default", "a_"))).containsExactly("default:a_b");
        assertThat(coordinates(variables.list("default", "a%"))).containsExactly("default:a%b");
        assertThat(coordinates(variables.list("default", "a["))).containsExactly("default:a[b]");
        assertThat(coordinates(variables.list("default", "a*"))).containsExactly("default:a*b");
        assertThat(coordinates(variables.list("default", "a"))).containsExactly("default:a%b", "default:a*b",
                "default:a[b]", "default:a_b", "default:axb");
    }

    @Test
    void variablesSurviveReopeningWithTheirIndexesAndTimes() throws Exception {
        StoredVariable stored = variables.put(variable("default", "a", "one"), NO_CAS);
        database.close();

        database = EmbeddedDatabase.open(dataDir);
        variables = new EmbeddedVariableStore(database, clock);

        assertThat(variables.get("default", "a")).contains(stored);
    }

    @Test
    void writesNotifyTheDatabaseListenersButConflictsDoNot() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        database.onChange(changes::incrementAndGet);

        StoredVariable stored = variables.put(variable("default", "a", "one"), NO_CAS);
        assertThatThrownBy(() -> variables.put(variable("default", "a", "two"), OptionalLong.of(0)))
                .isInstanceOf(CasConflictException.class);
        variables.delete("default", "a", OptionalLong.of(stored.modifyIndex()));

        assertThat(changes).hasValue(2);
    }

    @Test
    void timesConvertExactlyToNanosAndBack() {
        for (Instant instant : new Instant[] {Instant.EPOCH, START, Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("2262-04-11T23:47:16.854775807Z")}) {
            assertThat(EmbeddedVariableStore.fromNanos(EmbeddedVariableStore.toNanos(instant))).isEqualTo(instant);
        }
    }

    private void assertUnchanged(StoredVariable current) throws Exception {
        assertThat(variables.get(current.namespace(), current.path())).contains(current);
        assertThat(database.currentIndex()).isEqualTo(current.modifyIndex());
    }

    private static void assertConflict(CasCall call, StoredVariable current) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CasConflictException.class,
                conflict -> assertThat(conflict.current()).isEqualTo(java.util.Optional.ofNullable(current)));
    }

    @FunctionalInterface
    private interface CasCall {
        void run() throws Exception;
    }

    private static List<String> coordinates(List<StoredVariable> list) {
        return list.stream().map(variable -> variable.namespace() + ":" + variable.path()).toList();
    }

    private static StoredVariable variable(String namespace, String path, String content) {
        return new StoredVariable(namespace, path, "key-1", content.getBytes(StandardCharsets.UTF_8), 0, 0,
                Instant.EPOCH, Instant.EPOCH);
    }
}
