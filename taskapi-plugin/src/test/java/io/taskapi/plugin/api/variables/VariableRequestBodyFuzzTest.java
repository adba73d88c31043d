package io.taskapi.plugin.api.variables;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the JSON body of {@code PUT /v1/var/*path} ({@link VariableItems#ofVariableBody}) and the items reader the
 * secrets routes share ({@link VariableItems#read}). Seeds and past findings are under
 * {@code src/test/resources/io/taskapi/plugin/api/variables/VariableRequestBodyFuzzTestInputs/variableBody/};
 * see docs/security.md.
 */
class VariableRequestBodyFuzzTest {
    /** Shorter values may occur in the fixed wording or in a key by chance. */
    private static final int MIN_LEAK_LENGTH = 20;

    /**
     * Guards against: an exception other than a 400 (a 500, or a stack overflow on deep JSON), items accepted that
     * are not all strings or are over Nomad's 64 KiB, and a refusal that repeats an item's value (values are
     * secrets; refusals are sent back and may be logged).
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void variableBody(byte[] input) {
        Optional<JsonNode> body = RequestBodies.json(input);
        if (body.isEmpty()) {
            return;
        }
        JsonNode root = body.get();
        try {
            Map<String, String> items = VariableItems.ofVariableBody(root, "default", "nomad/jobs/web");
            assertThat(items).isNotEmpty();
            long bytes = 0;
            for (Map.Entry<String, String> item : items.entrySet()) {
                assertThat(root.get("Items").get(item.getKey()).textValue()).isEqualTo(item.getValue());
                bytes += item.getKey().getBytes(StandardCharsets.UTF_8).length
                        + item.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
            assertThat(bytes).isLessThanOrEqualTo(VariableItems.MAX_BYTES);
        } catch (ApiException e) {
            RequestBodies.assertBadRequest(e);
            assertDoesNotRepeatValues(e.messages(), root.get("Items"), root);
        }
        if (root.isObject()) {
            // the secrets routes read the whole body as items
            List<String> errors = new ArrayList<>();
            VariableItems.read(root, "value of", errors);
            assertDoesNotRepeatValues(errors, root, root);
        }
    }

    /**
     * No message holds an item's value, unless the caller also wrote that text where messages may quote it: in a
     * field name (unknown fields and non-string items are named), or in the body's {@code Namespace} or {@code Path}
     * (a mismatch there is quoted).
     */
    private static void assertDoesNotRepeatValues(List<String> messages, JsonNode items, JsonNode root) {
        if (items == null || !items.isObject()) {
            return;
        }
        List<String> quotable = new ArrayList<>();
        items.fieldNames().forEachRemaining(quotable::add);
        root.fieldNames().forEachRemaining(quotable::add);
        for (String field : List.of("Namespace", "Path")) {
            if (root.path(field).isTextual()) {
                quotable.add(root.path(field).textValue());
            }
        }
        items.properties().forEach(item -> {
            String value = item.getValue().isValueNode() ? item.getValue().asText() : "";
            if (value.length() >= MIN_LEAK_LENGTH && quotable.stream().noneMatch(text -> text.contains(value))) {
                assertThat(messages).noneSatisfy(message -> assertThat(message).contains(value));
            }
        });
    }
}
