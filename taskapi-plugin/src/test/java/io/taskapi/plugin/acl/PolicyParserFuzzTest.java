package io.taskapi.plugin.acl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes ACL policy rules, HCL and JSON, through {@link PolicyParser#parse}: what {@code PUT /v1/acl/policy/:name}
 * parses from a caller. Seeds and past findings are under
 * {@code src/test/resources/io/taskapi/plugin/acl/PolicyParserFuzzTestInputs/parse/}; see docs/security.md.
 */
class PolicyParserFuzzTest {

    /**
     * Guards against: an exception other than {@link PolicyParseException} (a 500 instead of a 400 naming the line),
     * a stack overflow on deep nesting, an error position that is not a real {@code line:column}, a parse that keeps
     * something other than what was written (the parsed policy, written back as HCL and as JSON, parses to the same
     * policy), and a policy that {@link Acl#compile} cannot merge.
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parse(byte[] input) {
        String rules = new String(input, UTF_8);
        Policy policy;
        try {
            policy = PolicyParser.parse(rules);
        } catch (PolicyParseException e) {
            assertThat(e.position().line()).isBetween(1, (int) rules.lines().count() + 1);
            assertThat(e.getMessage()).startsWith(e.position() + ": ");
            return;
        }
        assertThat(PolicyParser.parse(PolicyText.json(policy))).as("JSON round trip").isEqualTo(policy);
        PolicyText.hcl(policy).ifPresent(hcl ->
                assertThat(PolicyParser.parse(hcl)).as("HCL round trip of %s", hcl).isEqualTo(policy));
        assertThat(Acl.compile(List.of(policy))).isNotNull();
    }
}
