package io.taskapi.plugin.auth;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.plugin.auth.jwt.CompactJws;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the workload-identity path with untrusted tokens: {@link CompactJws#parse} (shape, base64url, JOSE header
 * through {@code StrictJson}) and the whole {@link WorkloadIdentityVerifier}, including the claims parser
 * ({@code StrictJson}, {@link WorkloadClaims}) behind a signature that verifies. Seeds and past findings are under
 * {@code src/test/resources/io/taskapi/plugin/auth/WorkloadTokenFuzzTestInputs/<method>/}; see docs/security.md.
 */
class WorkloadTokenFuzzTest {
    /** Shorter runs of token text may occur in the fixed messages by chance ("base64url"). */
    private static final int MIN_LEAK_LENGTH = 20;

    private static final ObjectMapper LENIENT = new ObjectMapper();
    private final AuthFixture fixture = new AuthFixture();

    /**
     * A raw credential, as the Authorization or X-Nomad-Token header brings it (bytes as ISO-8859-1, as Jetty reads
     * them). Guards against: an exception other than a refusal (a 500, or a refusal whose reason is lost), a refusal
     * that quotes the token, a stack overflow on deep header JSON, and a header accepted without the checks
     * {@link CompactJws} promises (alg allow-listed, kid present, canonical base64url).
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void rawToken(byte[] input) throws Exception {
        String token = new String(input, ISO_8859_1);
        try {
            CompactJws jws = CompactJws.parse(token);
            assertThat(CompactJws.hasCompactShape(token)).isTrue();
            String[] parts = token.split("\\.", -1);
            assertThat(jws.header().keyId()).isNotEmpty();
            assertThat(jws.signingInput()).isEqualTo((parts[0] + "." + parts[1]).getBytes(US_ASCII));
            // canonical: every accepted part is the one encoding of its bytes
            assertThat(encode(jws.payload())).isEqualTo(parts[1]);
            assertThat(encode(jws.signature())).isEqualTo(parts[2]);
        } catch (CredentialRejectedException e) {
            assertDoesNotQuote(e, token);
        }
        try {
            fixture.workload.verify(token);
        } catch (CredentialRejectedException e) {
            assertDoesNotQuote(e, token);
        }
    }

    /**
     * A header line and a claims document (the rest of the input; bytes as they are, UTF-8 or not), signed with the
     * test Ed25519 key, so that the claims parser sees what only a holder of a trusted key could send. Guards
     * against: an exception other than a refusal, a refusal that quotes the token or the claims, and an identity
     * accepted that does not say what its claims say.
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void signedToken(byte[] input) throws Exception {
        int newline = indexOf(input, (byte) '\n');
        byte[] header = newline < 0 ? Tokens.ED_HEADER.getBytes(UTF_8) : Arrays.copyOfRange(input, 0, newline);
        byte[] claims = newline < 0 ? input : Arrays.copyOfRange(input, newline + 1, input.length);
        String token = Tokens.signEdDsa(header, claims);
        Identity identity;
        try {
            identity = fixture.workload.verify(token);
        } catch (CredentialRejectedException e) {
            assertDoesNotQuote(e, token);
            assertThat(e.getMessage()).doesNotContain(longOrNothing(new String(claims, UTF_8)));
            return;
        }
        // Accepted: the claims were one strict JSON object, so a lenient parser reads the same values.
        JsonNode json = LENIENT.readTree(claims);
        WorkloadIdentity workload = (WorkloadIdentity) identity;
        assertThat(workload.namespace()).isEqualTo(json.get("nomad_namespace").textValue());
        assertThat(workload.jobId()).isEqualTo(json.get("nomad_job_id").textValue());
        assertThat(workload.allocationId()).isEqualTo(Tokens.ALLOC_ID).isEqualTo(json.get("nomad_allocation_id")
                .textValue());
        assertThat(workload.task()).isEqualTo(json.get("nomad_task").textValue());
        assertThat(workload.subject()).isEqualTo(json.get("sub").textValue());
        assertThat(workload.audience()).contains(Tokens.AUDIENCE);
        assertThat(workload.keyId()).isEqualTo(TestKeys.ED_KID);
        workload.expiresAt().ifPresent(exp -> assertThat(exp).isAfter(Tokens.NOW.minus(fixture.config.clockLeeway())));
    }

    /** No refusal may hold the token or any long part of it: refusals are logged and sent to the caller. */
    private static void assertDoesNotQuote(CredentialRejectedException e, String token) {
        assertThat(e.reason()).isNotNull();
        String message = String.valueOf(e.getMessage());
        assertThat(message).doesNotContain(longOrNothing(token));
        for (String part : token.split("\\.", -1)) {
            assertThat(message).doesNotContain(longOrNothing(part));
        }
    }

    /** The text if it is long enough to count as a leak; otherwise something no message contains. */
    private static String longOrNothing(String text) {
        return text.length() >= MIN_LEAK_LENGTH ? text : "\0no leak check\0";
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
