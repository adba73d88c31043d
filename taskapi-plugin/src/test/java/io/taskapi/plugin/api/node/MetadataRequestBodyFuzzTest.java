package io.taskapi.plugin.api.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.RequestBodies;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the JSON body of {@code POST /v1/client/metadata} ({@link MetadataChanges#read}). Seeds and
 * past findings are under
 * {@code src/test/resources/io/taskapi/plugin/api/node/MetadataRequestBodyFuzzTestInputs/metadataBody/};
 * see docs/security.md.
 */
class MetadataRequestBodyFuzzTest {

    /**
     * Guards against: an exception other than a 400 (a 500, or a stack overflow on deep JSON), and a change accepted
     * that is not in the body as a string or a null under a dotted-identifier key.
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void metadataBody(byte[] input) {
        Optional<JsonNode> body = RequestBodies.json(input);
        if (body.isEmpty()) {
            return;
        }
        MetadataChanges read;
        try {
            read = MetadataChanges.read(body.get());
        } catch (ApiException e) {
            RequestBodies.assertBadRequest(e);
            return;
        }
        JsonNode meta = body.get().get("Meta");
        assertThat(read.changes()).hasSize(meta.size());
        read.changes().forEach((key, value) -> {
            assertThat(key).matches("[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*");
            assertThat(value).isEqualTo(Optional.ofNullable(meta.get(key).textValue()));
        });
    }
}
