package io.taskapi.examples.jobspec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.taskapi.hcl.HclParseException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes job files through {@link JobspecParser#parse} (and with it the plugin's HCL lexer and parser), as
 * {@code POST /v1/jobs/parse} and {@code taskapi job run FILE} read them. Seeds and past findings are under
 * {@code src/test/resources/io/taskapi/examples/jobspec/JobspecParserFuzzTestInputs/parse/}; see docs/security.md.
 */
class JobspecParserFuzzTest {

    /**
     * Guards against: an exception other than {@link HclParseException} (a 500 instead of a 400 with
     * {@code line:column}), a stack overflow on deep nesting, an error position that is not a real
     * {@code line:column}, and a job that does not survive the API's JSON form ({@link JobJson} writes it and reads
     * back the same job, as the agent does between {@code /v1/jobs/parse} and {@code /v1/jobs}).
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parse(byte[] input) {
        String source = new String(input, UTF_8);
        JobSpec job;
        try {
            job = JobspecParser.parse(source);
        } catch (HclParseException e) {
            assertThat(e.position().line()).isBetween(1, (int) source.lines().count() + 1);
            assertThat(e.getMessage()).startsWith(e.position() + ": ");
            return;
        }
        assertThat(job.groups()).isNotEmpty().allSatisfy(group -> assertThat(group.tasks()).isNotEmpty());
        assertThat(JobJson.read(JobJson.write(job))).isEqualTo(job);
    }
}
