package io.taskapi.spi.state;

import java.util.Map;
import java.util.Optional;

/**
 * Dynamic node metadata, as Nomad's {@code /v1/client/metadata} writes it. A value is present to set a key, or empty
 * to record a deletion of a static key (a tombstone). A write returns only once it is durable.
 */
public interface NodeMetadataStore {
    /**
     * @param nodeId a node id
     * @return its dynamic metadata; empty when none was ever written
     * @throws StateUnavailableException when the store cannot answer
     */
    Map<String, Optional<String>> read(String nodeId) throws StateUnavailableException;

    /**
     * Replaces a node's dynamic metadata. Durable when it returns.
     *
     * @param nodeId a node id
     * @param dynamicMetadata the whole new dynamic metadata
     * @throws StateUnavailableException when the store cannot write; nothing changed
     */
    void write(String nodeId, Map<String, Optional<String>> dynamicMetadata) throws StateUnavailableException;
}
