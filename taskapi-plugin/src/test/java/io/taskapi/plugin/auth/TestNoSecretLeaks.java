package io.taskapi.plugin.auth;

import static io.taskapi.plugin.auth.Tokens.ALLOC_ID;
import static io.taskapi.plugin.auth.Tokens.RSA_HEADER;
import static io.taskapi.plugin.auth.Tokens.json;
import static io.taskapi.plugin.auth.Tokens.validClaims;
import static io.taskapi.plugin.auth.Tokens.validClaimsMap;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every way of being refused, at TRACE: no exception message and no log line may hold the credential or any of its
 * parts (GHSA-c3q9-q986-vrwh was Nomad leaking identities into audit logs).
 */
class TestNoSecretLeaks {
    private static final String ACL_SECRET = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final String EXPIRED_ACL_SECRET = "9c858901-8a57-4791-81fe-4c455b099bc9";

    private final AuthFixture fixture = new AuthFixture();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.taskapi");
    private Level previousLevel;

    @BeforeEach
    void captureLogs() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.TRACE);
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
        logger.setLevel(previousLevel);
    }

    @Test
    void noRefusalMessageOrLogLineHoldsTheCredential() throws Exception {
        fixture.aclTokens.add(new AclToken("accessor-expired", EXPIRED_ACL_SECRET, "old", AclTokenType.CLIENT,
                List.of(), Tokens.NOW.minusSeconds(7200), Optional.of(Tokens.NOW.minusSeconds(1))));
        addWeakRsaKey();
        Map<String, String> credentials = hostileCredentials();

        List<String> outcomes = new ArrayList<>();
        for (Map.Entry<String, String> entry : credentials.entrySet()) {
            String credential = entry.getValue();
            try {
                fixture.gate.authenticate(credential);
                outcomes.add(entry.getKey() + ": allowed");
            } catch (CredentialRejectedException | StateUnavailableException e) {
                outcomes.add(entry.getKey() + ": " + e.getMessage());
                assertNoFragment(entry.getKey() + " message", e.getMessage(), credential);
                assertThat(e.toString()).doesNotContain(credential);
            }
        }
        assertThat(outcomes).as("every hostile credential is refused").noneMatch(o -> o.endsWith(": allowed"));
        assertThat(logs.list).as("refusals are logged").isNotEmpty();

        for (ILoggingEvent event : logs.list) {
            for (String credential : credentials.values()) {
                assertNoFragment("log line", render(event), credential);
            }
        }
    }

    @Test
    void successfulAuthenticationLogsNoCredential() throws Exception {
        String token = Tokens.rs256(validClaims().build());
        fixture.gate.authenticate(token);
        fixture.gate.authenticate(token);

        assertThat(logs.list).anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("authenticated"));
        for (ILoggingEvent event : logs.list) {
            assertNoFragment("log line", render(event), token);
        }
    }

    @Test
    void unparsableHeaderDoesNotLeakThroughParserMessages() {
        // Jackson quotes an unrecognized token in its message ("Unrecognized token 'SUPER...'"); none of it may
        // reach the caller or the log.
        String secretish = "SUPERSECRETVALUE1234567890";
        String token = Tokens.b64("{\"alg\":\"RS256\",\"kid\":" + secretish + "}") + "." + Tokens.b64("{}") + ".AAAA";
        CredentialRejectedException e = fixture.rejectWorkload(token, RejectionReason.MALFORMED);
        assertThat(e.getMessage()).doesNotContain(secretish);
        assertThat(render(logs.list)).doesNotContain(secretish);
    }

    @Test
    void unparsableSignedClaimsDoNotLeakThroughParserMessages() {
        String secretish = "SUPERSECRETCLAIM1234567890";
        String token = Tokens.signRs256(RSA_HEADER, "{\"sub\":" + secretish + "}");
        CredentialRejectedException e = fixture.rejectWorkload(token, RejectionReason.MALFORMED);
        assertThat(e.getMessage()).doesNotContain(secretish);
        assertThat(render(logs.list)).doesNotContain(secretish);
    }

    @Test
    void duplicateMemberNameIsNotEchoed() {
        String secretish = "SUPERSECRETNAME1234567890";
        String token = Tokens.signRs256(RSA_HEADER, "{\"" + secretish + "\":1,\"" + secretish + "\":2}");
        CredentialRejectedException e = fixture.rejectWorkload(token, RejectionReason.MALFORMED);
        assertThat(e.getMessage()).doesNotContain(secretish);
        assertThat(render(logs.list)).doesNotContain(secretish);
    }

    private Map<String, String> hostileCredentials() {
        Map<String, String> all = new LinkedHashMap<>();
        String valid = Tokens.rs256(validClaims().build());
        String[] parts = Tokens.parts(valid);
        Map<String, Object> tampered = validClaimsMap();
        tampered.put("nomad_task", "admin");
        all.put("tampered payload", parts[0] + "." + Tokens.b64(json(tampered)) + "." + parts[2]);
        all.put("alg none", Tokens.unsigned("{\"alg\":\"none\",\"kid\":\"rsa-1\"}", json(validClaimsMap()),
                new byte[0]));
        all.put("expired", Tokens.rs256(validClaims().expirationTime(Date.from(Tokens.NOW.minusSeconds(3600)))
                .build()));
        all.put("wrong audience", Tokens.rs256(validClaims().audience("vault.io").build()));
        all.put("missing claim", Tokens.rs256(validClaims().claim("nomad_task", null).build()));
        all.put("unknown kid", Tokens.signRs256("{\"alg\":\"RS256\",\"kid\":\"nope\"}", json(validClaimsMap())));
        all.put("weak key", Tokens.signRs256("{\"alg\":\"RS256\",\"kid\":\"weak\"}", json(validClaimsMap())));
        all.put("unknown alloc", Tokens.rs256(validClaims().claim("nomad_allocation_id", "gone").build()));
        all.put("another job's claims", Tokens.rs256(validClaims().claim("nomad_job_id", "billing").build()));
        all.put("another group's subject", Tokens.rs256(validClaims()
                .subject("global:default:example:admin:web:default").build()));
        all.put("duplicate header key", Tokens.signRs256("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"kid\":\"x\"}",
                json(validClaimsMap())));
        all.put("nested claims", Tokens.signRs256(RSA_HEADER, "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"));
        all.put("padding", valid + "==");
        all.put("garbage header", "eyJub3QganNvbg.e30.AAAA");
        all.put("four parts", valid + ".AAAA");
        all.put("json serialization", "{\"payload\":\"" + parts[1] + "\",\"signature\":\"" + parts[2] + "\"}");
        all.put("too long", valid + "A".repeat(fixture.config.maxTokenLength()));
        all.put("unknown ACL", ACL_SECRET);
        all.put("expired ACL", EXPIRED_ACL_SECRET);
        all.put("plain string", "not-a-token-at-all-but-long-enough");
        fixture.allocations.live("terminal-alloc");
        String terminal = Tokens.rs256(validClaims().claim("nomad_allocation_id", "terminal-alloc").build());
        fixture.allocations.end("terminal-alloc");
        all.put("terminal alloc", terminal);
        assertThat(fixture.allocations.status(ALLOC_ID)).isNotNull();
        return all;
    }

    private void addWeakRsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        fixture.keys.add(new VerificationKey("weak", SigningAlgorithm.RS256, generator.generateKeyPair().getPublic()));
    }

    /** The credential, and each of its dot-separated parts long enough to be meaningful, must not appear. */
    private static void assertNoFragment(String where, String text, String credential) {
        if (text == null) {
            return;
        }
        assertThat(text).as(where).doesNotContain(credential);
        for (String part : credential.split("\\.")) {
            if (part.length() >= 8) {
                assertThat(text).as(where + " (token part)").doesNotContain(part);
            }
        }
    }

    private static String render(List<ILoggingEvent> events) {
        StringBuilder text = new StringBuilder();
        events.forEach(event -> text.append(render(event)).append('\n'));
        return text.toString();
    }

    private static String render(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy proxy = event.getThrowableProxy(); proxy != null; proxy = proxy.getCause()) {
            text.append(" | ").append(proxy.getClassName()).append(": ").append(proxy.getMessage());
        }
        return text.toString();
    }
}
