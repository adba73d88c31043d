package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.state.EmbeddedDatabase.Topic;
import io.taskapi.spi.state.NodeMetadataStore;
import io.taskapi.spi.state.StateUnavailableException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dynamic node metadata in the embedded database (table {@code node_metadata}): one row per node, its metadata a JSON
 * object of key to string, or to {@code null} for a tombstone (a deleted static key). A write replaces the node's
 * whole row in one transaction. Thread-safe.
 */
public final class EmbeddedNodeMetadataStore implements NodeMetadataStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedDatabase database;

    /** @param database the open embedded database */
    public EmbeddedNodeMetadataStore(EmbeddedDatabase database) {
        this.database = requireNonNull(database, "database is null");
    }

    /**
     * {@inheritDoc}
     *
     * @return the keys in order, an empty {@link Optional} for a tombstone; unmodifiable
     */
    @Override
    public Map<String, Optional<String>> read(String nodeId) throws StateUnavailableException {
        requireNonNull(nodeId, "nodeId is null");
        return database.read("read node metadata", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT metadata FROM node_metadata WHERE node_id = ?")) {
                statement.setString(1, nodeId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? parse(nodeId, rows.getString(1)) : Map.of();
                }
            }
        });
    }

    @Override
    public void write(String nodeId, Map<String, Optional<String>> dynamicMetadata)
            throws StateUnavailableException {
        requireNonNull(nodeId, "nodeId is null");
        String json = serialize(requireNonNull(dynamicMetadata, "dynamicMetadata is null"));
        database.write("write node metadata", Topic.NODE_METADATA, transaction -> {
            long index = transaction.index();
            try (PreparedStatement upsert = transaction.connection().prepareStatement("INSERT INTO node_metadata "
                    + "(node_id, metadata, modify_index) VALUES (?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET "
                    + "metadata = excluded.metadata, modify_index = excluded.modify_index")) {
                upsert.setString(1, nodeId);
                upsert.setString(2, json);
                upsert.setLong(3, index);
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public String toString() {
        return "EmbeddedNodeMetadataStore[" + database.file() + "]";
    }

    private static String serialize(Map<String, Optional<String>> metadata) {
        ObjectNode object = JSON.createObjectNode();
        new TreeMap<>(metadata).forEach((key, value) -> {
            requireNonNull(key, "a metadata key is null");
            requireNonNull(value, "the value of metadata key " + key + " is null: use Optional.empty()");
            if (value.isPresent()) {
                object.put(key, value.get());
            } else {
                object.putNull(key);
            }
        });
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always JSON", e);
        }
    }

    private static Map<String, Optional<String>> parse(String nodeId, String json) throws SQLException {
        try {
            JsonNode object = JSON.readTree(json);
            if (object == null || !object.isObject()) {
                throw new SQLException("the node metadata row " + nodeId + " is not a JSON object");
            }
            Map<String, Optional<String>> metadata = new TreeMap<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = field.getValue();
                if (!value.isNull() && !value.isTextual()) {
                    throw new SQLException("the node metadata row " + nodeId + " holds a value that is not a string");
                }
                metadata.put(field.getKey(), value.isNull() ? Optional.empty() : Optional.of(value.asText()));
            }
            return Collections.unmodifiableMap(metadata);
        } catch (JsonProcessingException e) {
            throw new SQLException("the node metadata row " + nodeId + " is not JSON");
        }
    }

    /** @return the database it keeps its rows in, for the index the plugin's answers start from */
    EmbeddedDatabase database() {
        return database;
    }
}
