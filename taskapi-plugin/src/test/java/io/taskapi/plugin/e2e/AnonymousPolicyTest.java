package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The heart of the Task API: the anonymous policy applies to token-less requests on the operator listener and can
 * never be reached through a task socket, even when it grants everything a workload could want.
 */
final class AnonymousPolicyTest {
    private static final OperatorListener OPERATOR = OperatorListener.onFreePort();
    private static final String SET_META = "{\"Meta\":{\"anonymous.was.here\":\"yes\"}}";

    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder()
            .config("http.operator-address", OPERATOR.address())
            .build();

    private static TestTask task;
    private static String management;

    @BeforeAll
    static void grantAnonymousNodeWrite() throws Exception {
        task = API.newTask("web");
        task.openSocket();
        management = API.tokens().createManagementToken("admin").secretId();
        var written = OPERATOR.send("POST", "/v1/acl/policy/anonymous", management,
                "{\"Rules\":\"node { policy = \\\"write\\\" }\"}");
        assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
    }

    @Test
    void tokenLessWriteThroughATaskSocketIsRefusedBeforeAnyPolicy() throws Exception {
        HttpResponse response = task.client().request("POST", "/v1/client/metadata")
                .json("{\"Meta\":{\"via.task.socket\":\"yes\"}}").send();

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("errors").get(0).asText()).startsWith("Unauthorized");
        var after = OPERATOR.send("GET", "/v1/client/metadata", management, null);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).doesNotContain("via.task.socket");
    }

    @Test
    void theSameWriteOnTheOperatorListenerGetsTheAnonymousPolicy() {
        var response = OPERATOR.send("POST", "/v1/client/metadata", null, SET_META);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"anonymous.was.here\":\"yes\"");
    }

    @Test
    void anonymousGetsOnlyWhatItsPolicyGrants() {
        var tokens = OPERATOR.send("GET", "/v1/acl/tokens", null, null);

        assertThat(tokens.statusCode()).isEqualTo(403);
        assertThat(tokens.body()).contains("Permission denied");
    }
}
