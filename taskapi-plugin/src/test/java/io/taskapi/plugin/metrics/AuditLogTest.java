package io.taskapi.plugin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A flood of refusals costs one line per window and a count, never a line each; other answers are all written. */
final class AuditLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("taskapi.audit");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level configured;
    private Instant now = Instant.parse("2026-12-02T00:00:00Z");
    private final AuditLog audit = new AuditLog(new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    });

    @BeforeEach
    void capture() {
        lines.start();
        configured = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(configured);
    }

    @Test
    void refusalsAreSummarizedPerWindowAndEverythingElseIsWritten() {
        for (int i = 0; i < 1000; i++) {
            audit.record(Optional.empty(), "-", "GET", "-", 401, 1000);
        }
        for (int i = 0; i < 3; i++) {
            audit.record(Optional.empty(), "-", "GET", "-", 429, 1000);
            audit.record(Optional.empty(), "token:abc", "GET", "/v1/agent/health", 200, 1000);
        }
        assertThat(messages()).hasSize(2 + 3);

        now = now.plus(Duration.ofSeconds(AuditLog.SUMMARY_SECONDS));
        audit.record(Optional.empty(), "-", "GET", "-", 401, 1000);

        assertThat(messages()).filteredOn(line -> line.contains("refusals_suppressed"))
                .containsExactlyInAnyOrder(
                        "time=2026-12-02T00:00:10Z socket=operator refusals_suppressed=999 status=401"
                                + " since=2026-12-02T00:00:00Z",
                        "time=2026-12-02T00:00:10Z socket=operator refusals_suppressed=2 status=429"
                                + " since=2026-12-02T00:00:00Z");
        // The new window's first refusal is written in full again.
        assertThat(messages().get(messages().size() - 1)).contains("status=401").contains("route=-");
    }

    @Test
    void closingWritesWhatIsStillCounted() {
        audit.record(Optional.empty(), "-", "GET", "-", 401, 1000);
        audit.record(Optional.empty(), "-", "GET", "-", 401, 1000);

        audit.close();

        assertThat(messages()).last().asString().contains("refusals_suppressed=1 status=401");
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
