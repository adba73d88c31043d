package io.taskapi.plugin.api.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.acl.PolicyParser;
import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.RequestBodies;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.testing.InMemoryAclPolicyStore;
import io.taskapi.testing.InMemoryAclTokenStore;
import io.taskapi.testing.TestingClock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the JSON bodies of {@code PUT /v1/acl/policy/:name} and {@code PUT /v1/acl/token}: raw bytes through the
 * API's mapper into {@link AclPolicyWriter} and {@link AclTokenWriter}, over in-memory stores. Seeds and past
 * findings are under {@code src/test/resources/io/taskapi/plugin/api/acl/AclRequestBodyFuzzTestInputs/<method>/};
 * see docs/security.md.
 */
class AclRequestBodyFuzzTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * Guards against: an exception other than a 400 (a 500, or a stack overflow on deep JSON), and a policy stored
     * whose rules the parser refuses (it would break every token that names it).
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void policyBody(byte[] input) throws Exception {
        Optional<JsonNode> body = RequestBodies.json(input);
        if (body.isEmpty()) {
            return;
        }
        InMemoryAclPolicyStore store = new InMemoryAclPolicyStore();
        AclPolicyWriter writer = new AclPolicyWriter(store, mock(AclResolver.class));
        AclPolicy written;
        try {
            written = writer.write("fuzz", body.get());
        } catch (ApiException e) {
            RequestBodies.assertBadRequest(e);
            assertThat(store.policies()).as("nothing stored after a 400").isEmpty();
            return;
        }
        assertThat(written.name()).isEqualTo("fuzz");
        assertThat(store.find("fuzz")).isPresent();
        PolicyParser.parse(written.rules());
    }

    /**
     * Guards against: an exception other than a 400, and a token created against Nomad's rules (a client token
     * without policies, a management token with some, an expiry that is not in the future).
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void tokenBody(byte[] input) throws Exception {
        Optional<JsonNode> body = RequestBodies.json(input);
        if (body.isEmpty()) {
            return;
        }
        TestingClock clock = new TestingClock(NOW);
        InMemoryAclTokenStore store = new InMemoryAclTokenStore(clock);
        AclToken created;
        try {
            created = new AclTokenWriter(store, new io.taskapi.testing.InMemoryAclRoleStore(), clock)
                    .create(body.get());
        } catch (ApiException e) {
            RequestBodies.assertBadRequest(e);
            return;
        }
        if (created.type() == AclTokenType.CLIENT) {
            assertThat(created.policies()).isNotEmpty();
        } else {
            assertThat(created.policies()).isEmpty();
        }
        created.expirationTime().ifPresent(expiry -> assertThat(expiry).isAfter(NOW));
        assertThat(store.findByAccessorId(created.accessorId())).contains(created);
    }
}
