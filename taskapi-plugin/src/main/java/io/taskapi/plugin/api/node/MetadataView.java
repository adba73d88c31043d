package io.taskapi.plugin.api.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.taskapi.plugin.node.NodeMetadata;
import java.util.Map;
import java.util.TreeMap;

/** Nomad's {@code NodeMetaResponse}: {@code {"Meta":{…},"Dynamic":{…, "k":null},"Static":{…}}}. */
record MetadataView(@JsonProperty("Meta") Map<String, String> meta,
                    @JsonProperty("Dynamic") @JsonInclude(content = JsonInclude.Include.ALWAYS)
                    Map<String, String> dynamic,
                    @JsonProperty("Static") Map<String, String> statics) {

    static MetadataView of(NodeMetadata metadata) {
        Map<String, String> dynamic = new TreeMap<>();
        // A tombstone is shown as null, as Nomad shows it.
        metadata.dynamic().forEach((key, value) -> dynamic.put(key, value.orElse(null)));
        return new MetadataView(new TreeMap<>(metadata.merged()), dynamic, new TreeMap<>(metadata.statics()));
    }
}
