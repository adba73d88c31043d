package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** A bug behind the SPI (a node registry that throws) is a 500 with an error id the log also has, no stack trace. */
final class InternalErrorTest {
    private static final NodeRegistry BROKEN = mock(NodeRegistry.class);

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().nodes(BROKEN).build();

    @Test
    void aBugIsA500WithAnIdThatAlsoAppearsInTheLog() throws Exception {
        when(BROKEN.localNodeId()).thenReturn("node");
        when(BROKEN.list()).thenThrow(new IllegalStateException("registry bug: index 7 out of bounds"));
        Logger handlerLog = (Logger) LoggerFactory.getLogger("io.taskapi.plugin.http.TaskApiHandler");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        handlerLog.addAppender(log);
        try {
            TestTask task = api.newTask("web");
            task.openSocket();
            String management = api.tokens().createManagementToken("admin").secretId();

            HttpResponse response = task.client().get("/v1/nodes").bearer(management).send();

            assertThat(response.status()).isEqualTo(500);
            String message = response.json().path("errors").get(0).asText();
            assertThat(message).startsWith("Internal server error (error id ").doesNotContain("registry bug");
            String errorId = message.substring(message.indexOf("id ") + 3, message.length() - 1);
            assertThat(log.list).anySatisfy(line -> {
                assertThat(line.getFormattedMessage()).contains(errorId);
                assertThat(line.getThrowableProxy().getMessage()).contains("registry bug");
            });
            assertThat(response.body()).doesNotContain("at io.taskapi").doesNotContain(management);
        } finally {
            handlerLog.detachAppender(log);
        }
    }
}
