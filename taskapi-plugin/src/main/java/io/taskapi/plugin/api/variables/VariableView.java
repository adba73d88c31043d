package io.taskapi.plugin.api.variables;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.taskapi.spi.state.StoredVariable;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Nomad's {@code VariableDecrypted} JSON: {@code {"Namespace","Path","CreateIndex","CreateTime","ModifyIndex",
 * "ModifyTime","Items":{…}}}, times in nanoseconds since the epoch, as Nomad sends them.
 */
@JsonPropertyOrder({"Namespace", "Path", "CreateIndex", "CreateTime", "ModifyIndex", "ModifyTime", "Items"})
record VariableView(@JsonProperty("Namespace") String namespace,
                    @JsonProperty("Path") String path,
                    @JsonProperty("CreateIndex") long createIndex,
                    @JsonProperty("CreateTime") long createTime,
                    @JsonProperty("ModifyIndex") long modifyIndex,
                    @JsonProperty("ModifyTime") long modifyTime,
                    @JsonProperty("Items") Map<String, String> items) {

    static VariableView of(DecryptedVariable variable) {
        return new VariableView(variable.namespace(), variable.path(), variable.createIndex(),
                nanos(variable.createTime()), variable.modifyIndex(), nanos(variable.modifyTime()),
                new TreeMap<>(variable.items()));
    }

    /** Names the variable, never an item: records print every component by default. */
    @Override
    public String toString() {
        return "VariableView[" + namespace + "/" + path + ", modifyIndex=" + modifyIndex + "]";
    }

    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /** Nomad's {@code VariableMetadata}: what a list shows of each variable, no items. */
    @JsonPropertyOrder({"Namespace", "Path", "CreateIndex", "CreateTime", "ModifyIndex", "ModifyTime"})
    record Metadata(@JsonProperty("Namespace") String namespace,
                    @JsonProperty("Path") String path,
                    @JsonProperty("CreateIndex") long createIndex,
                    @JsonProperty("CreateTime") long createTime,
                    @JsonProperty("ModifyIndex") long modifyIndex,
                    @JsonProperty("ModifyTime") long modifyTime) {

        static Metadata of(StoredVariable variable) {
            return new Metadata(variable.namespace(), variable.path(), variable.createIndex(),
                    nanos(variable.createTime()), variable.modifyIndex(), nanos(variable.modifyTime()));
        }
    }

    /** The secrets API's answer to a read: {@code {"data":{"value":"bar"}}}, as the seed's Vault-style API. */
    record Secret(@JsonProperty("data") Map<String, String> data) {
        static Secret of(DecryptedVariable variable) {
            return new Secret(new TreeMap<>(variable.items()));
        }

        /** Never prints the data. */
        @Override
        public String toString() {
            return "Secret[keys=" + data.keySet() + "]";
        }
    }
}
