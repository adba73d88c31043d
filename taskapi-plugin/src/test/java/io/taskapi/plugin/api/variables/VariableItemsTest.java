package io.taskapi.plugin.api.variables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Items are strings, at most 64 KiB of keys and values in UTF-8, as Nomad counts them. */
final class VariableItemsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stringsAreReadSortedByKey() throws Exception {
        List<String> errors = new ArrayList<>();

        Map<String, String> items = VariableItems.read(JSON.readTree("{\"b\":\"2\",\"a\":\"1\",\"\":\"empty key\"}"),
                "Items: value of", errors);

        assertThat(errors).isEmpty();
        assertThat(items).containsExactly(Map.entry("", "empty key"), Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void everyValueThatIsNotAStringIsNamedByItsKeyNeverByItsValue() throws Exception {
        List<String> errors = new ArrayList<>();

        VariableItems.read(JSON.readTree("{\"n\":12345,\"o\":{\"deep\":\"s3cr3t\"},\"l\":[\"x\"],\"z\":null,"
                + "\"ok\":\"fine\"}"), "Items: value of", errors);

        assertThat(errors).containsExactly("Items: value of \"n\" must be a string",
                "Items: value of \"o\" must be a string", "Items: value of \"l\" must be a string",
                "Items: value of \"z\" must be a string");
        assertThat(String.join(" ", errors)).doesNotContain("12345").doesNotContain("s3cr3t");
    }

    @Test
    void exactly64KiBOfKeysAndValuesIsAllowedAndOneByteMoreIsNot() {
        List<String> atLimit = new ArrayList<>();
        List<String> over = new ArrayList<>();

        VariableItems.read(items("k", VariableItems.MAX_BYTES - 1), "v", atLimit);
        VariableItems.read(items("k", VariableItems.MAX_BYTES), "v", over);

        assertThat(atLimit).isEmpty();
        assertThat(over).containsExactly("variables are limited to 64KiB in total size");
    }

    @Test
    void theSizeIsCountedInUtf8BytesAcrossItems() {
        ObjectNode node = JSON.createObjectNode();
        node.put("a", "é".repeat(16384));   // 2 bytes each: 32768 + 1
        node.put("b", "x".repeat(32767));   // 32767 + 1: 65537 in all
        List<String> errors = new ArrayList<>();

        VariableItems.read(node, "v", errors);

        assertThat(errors).containsExactly(VariableItems.TOO_LARGE);
    }

    private static JsonNode items(String key, int valueLength) {
        return JSON.createObjectNode().put(key, "x".repeat(valueLength));
    }
}
