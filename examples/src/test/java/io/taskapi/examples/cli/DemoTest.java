package io.taskapi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code taskapi demo}, end to end: a dev agent with ACLs, the seed's job whose curl calls its Task API socket with
 * its workload identity, and the node found by the metadata that curl set.
 */
class DemoTest {
    @Test
    @Timeout(90)
    void theSeedJobTagsTheNodeThroughItsSocketAndTheDemoCleansUp() throws Exception {
        StringWriter text = new StringWriter();
        long start = System.nanoTime();

        Demo.Result result = new Demo(new PrintWriter(text, true), Map.of())
                .run(Path.of("jobs/taskapi-example.hcl"), 0);

        String output = text.toString();
        assertThat(result.nodeFound()).as(output).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.allocationStatus()).isEqualTo("complete");
        // curl --verbose --fail-with-body inside the task: the API said 200 and returned the node's new metadata.
        assertThat(result.taskStderr()).contains("> POST /v1/client/metadata").contains("< HTTP/1.1 200");
        assertThat(result.taskStdout()).contains("\"example\":\"Hello World!\"");
        assertThat(output).contains("$ taskapi node status -filter 'Meta.example == \"Hello World!\"'")
                .contains("Found it").contains("removed");
        // Secrets are shown redacted: no JWT, no bootstrap secret.
        assertThat(output).doesNotContain("eyJ").contains("Authorization: Bearer <workload identity, redacted>")
                .contains("Secret ID   = <redacted");
        // Nothing left behind: the data directory (sockets, tokens, logs) and the task's process.
        assertThat(result.dataDir()).doesNotExist();
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(result.dataDir().toString()))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }
}
