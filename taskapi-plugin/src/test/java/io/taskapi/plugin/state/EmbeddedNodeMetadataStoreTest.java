package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.state.StateUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedNodeMetadataStoreTest {
    @TempDir
    Path tmp;

    private Path dataDir;
    private EmbeddedDatabase database;
    private EmbeddedNodeMetadataStore metadata;

    @BeforeEach
    void open() throws Exception {
        dataDir = tmp.resolve("data");
        database = EmbeddedDatabase.open(dataDir);
        metadata = new EmbeddedNodeMetadataStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aNodeNeverWrittenHasNoDynamicMetadata() throws Exception {
        assertThat(metadata.read("node-1")).isEmpty();
    }

    @Test
    void writeStoresValuesAndTombstones() throws Exception {
        Map<String, Optional<String>> dynamic = new LinkedHashMap<>();
        dynamic.put("rack", Optional.of("r1"));
        dynamic.put("gone", Optional.empty());
        dynamic.put("empty", Optional.of(""));
        dynamic.put("unicode.key", Optional.of("värde \"quoted\" \n"));

        metadata.write("node-1", dynamic);

        assertThat(metadata.read("node-1")).isEqualTo(dynamic);
        assertThat(metadata.read("node-1").keySet()).containsExactly("empty", "gone", "rack", "unicode.key");
        assertThat(metadata.read("node-2")).isEmpty();
    }

    @Test
    void writeReplacesTheWholeMap() throws Exception {
        metadata.write("node-1", Map.of("a", Optional.of("1"), "b", Optional.of("2")));

        metadata.write("node-1", Map.of("b", Optional.empty(), "c", Optional.of("3")));

        assertThat(metadata.read("node-1")).isEqualTo(Map.of("b", Optional.empty(), "c", Optional.of("3")));
        metadata.write("node-1", Map.of());
        assertThat(metadata.read("node-1")).isEmpty();
    }

    @Test
    void readGivesAnUnmodifiableMap() throws Exception {
        metadata.write("node-1", Map.of("a", Optional.of("1")));

        assertThatThrownBy(() -> metadata.read("node-1").put("b", Optional.empty()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullValuesAreRefusedAndNothingChanges() throws Exception {
        Map<String, Optional<String>> bad = new HashMap<>();
        bad.put("a", null);

        assertThatThrownBy(() -> metadata.write("node-1", bad)).isInstanceOf(NullPointerException.class);
        assertThat(metadata.read("node-1")).isEmpty();
        assertThat(database.currentIndex()).isZero();
    }

    @Test
    void metadataSurvivesReopening() throws Exception {
        metadata.write("node-1", Map.of("a", Optional.of("1"), "gone", Optional.empty()));
        database.close();

        database = EmbeddedDatabase.open(dataDir);
        metadata = new EmbeddedNodeMetadataStore(database);

        assertThat(metadata.read("node-1")).isEqualTo(Map.of("a", Optional.of("1"), "gone", Optional.empty()));
    }

    @Test
    void aCorruptRowIsUnavailableNotWrong() throws Exception {
        metadata.write("node-1", Map.of("a", Optional.of("1")));
        try (Connection raw = EmbeddedDatabaseTest.raw(dataDir); Statement statement = raw.createStatement()) {
            statement.executeUpdate("UPDATE node_metadata SET metadata = '{\"a\": 5}'");
        }

        assertThatThrownBy(() -> metadata.read("node-1")).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("read node metadata");
    }
}
