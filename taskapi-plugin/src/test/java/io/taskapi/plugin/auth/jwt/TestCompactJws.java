package io.taskapi.plugin.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.spi.state.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestCompactJws {
    private static final String PAYLOAD = b64("{\"sub\":\"x\"}");
    private static final String SIGNATURE = b64(new byte[] {1, 2, 3});

    @Test
    void parsesAWellFormedHeader() throws Exception {
        CompactJws jws = CompactJws.parse(token("{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"typ\":\"JWT\"}"));
        assertThat(jws.header()).isEqualTo(new JwsHeader(SigningAlgorithm.EDDSA, "k1"));
        assertThat(jws.payload()).isEqualTo("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(jws.signature()).containsExactly(1, 2, 3);
        assertThat(new String(jws.signingInput(), StandardCharsets.US_ASCII))
                .isEqualTo(b64("{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"typ\":\"JWT\"}") + "." + PAYLOAD);
        assertThat(jws.toString()).isEqualTo("CompactJws[alg=EdDSA]");
    }

    @ParameterizedTest(name = "typ {0} is accepted")
    @ValueSource(strings = {"JWT", "jwt", "Jwt", "application/jwt", "APPLICATION/JWT"})
    void jwtTypesAccepted(String typ) throws Exception {
        CompactJws.parse(token("{\"alg\":\"RS256\",\"kid\":\"k\",\"typ\":\"" + typ + "\"}"));
    }

    @ParameterizedTest(name = "typ {0} is refused")
    @ValueSource(strings = {"\"JOSE\"", "\"at+jwt\"", "\"\"", "1", "null", "[\"JWT\"]"})
    void otherTypesRejected(String typ) {
        reject("{\"alg\":\"RS256\",\"kid\":\"k\",\"typ\":" + typ + "}", RejectionReason.MALFORMED);
    }

    @Test
    void critRejected() {
        reject("{\"alg\":\"RS256\",\"kid\":\"k\",\"crit\":[\"exp\"],\"exp\":1}", RejectionReason.MALFORMED);
        reject("{\"alg\":\"RS256\",\"kid\":\"k\",\"crit\":[]}", RejectionReason.MALFORMED);
    }

    @ParameterizedTest(name = "header parameter {0} is refused")
    @ValueSource(strings = {"jwk", "jku", "x5u", "x5c"})
    void headerSuppliedKeysRejected(String parameter) {
        CredentialRejectedException e = reject("{\"alg\":\"RS256\",\"kid\":\"k\",\"" + parameter + "\":\"x\"}",
                RejectionReason.MALFORMED);
        assertThat(e).hasMessage("keys supplied in the token header are not accepted");
    }

    @Test
    void algMustBeAString() {
        reject("{\"alg\":1,\"kid\":\"k\"}", RejectionReason.BAD_ALGORITHM);
        reject("{\"alg\":[\"RS256\"],\"kid\":\"k\"}", RejectionReason.BAD_ALGORITHM);
        reject("{\"kid\":\"k\"}", RejectionReason.BAD_ALGORITHM);
    }

    @Test
    void algIsCheckedBeforeEverythingElse() {
        CredentialRejectedException e = reject("{\"alg\":\"none\",\"crit\":[\"x\"]}", RejectionReason.BAD_ALGORITHM);
        assertThat(e).hasMessage("unsecured tokens are not accepted");
    }

    @Test
    void headerMustBeAnObject() {
        reject("[\"alg\",\"RS256\"]", RejectionReason.MALFORMED);
        reject("\"RS256\"", RejectionReason.MALFORMED);
        reject("", RejectionReason.MALFORMED);
        reject("{\"alg\":\"RS256\",\"kid\":\"k\"} {}", RejectionReason.MALFORMED);
    }

    @Test
    void headerMustBeStrictUtf8() throws Exception {
        byte[] header = "{\"alg\":\"RS256\",\"kid\":\"k\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        CompactJws.parse(b64(header) + "." + PAYLOAD + "." + SIGNATURE);

        byte[] latin1 = "{\"alg\":\"RS256\",\"kid\":\"k\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        rejectToken(b64(latin1) + "." + PAYLOAD + "." + SIGNATURE, RejectionReason.MALFORMED);
        byte[] utf16 = "{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(StandardCharsets.UTF_16);
        rejectToken(b64(utf16) + "." + PAYLOAD + "." + SIGNATURE, RejectionReason.MALFORMED);
    }

    @Test
    void jsonExtensionsRejected() {
        reject("{'alg':'RS256','kid':'k'}", RejectionReason.MALFORMED);
        reject("{\"alg\":\"RS256\",\"kid\":\"k\",}", RejectionReason.MALFORMED);
        reject("{\"alg\":\"RS256\",/* c */\"kid\":\"k\"}", RejectionReason.MALFORMED);
        reject("\uFEFF{\"alg\":\"RS256\",\"kid\":\"k\"}", RejectionReason.MALFORMED);
    }

    @Test
    void emptyHeaderPartRejected() {
        rejectToken("." + PAYLOAD + "." + SIGNATURE, RejectionReason.MALFORMED);
    }

    @Test
    void shapeIsExactlyThreeParts() {
        assertThat(CompactJws.hasCompactShape("a.b.c")).isTrue();
        assertThat(CompactJws.hasCompactShape("..")).isTrue();
        assertThat(CompactJws.hasCompactShape("a.b")).isFalse();
        assertThat(CompactJws.hasCompactShape("a.b.c.d")).isFalse();
        assertThat(CompactJws.hasCompactShape("abc")).isFalse();
    }

    private static String token(String headerJson) {
        return b64(headerJson) + "." + PAYLOAD + "." + SIGNATURE;
    }

    private static CredentialRejectedException reject(String headerJson, RejectionReason reason) {
        return rejectToken(token(headerJson), reason);
    }

    private static CredentialRejectedException rejectToken(String token, RejectionReason reason) {
        CredentialRejectedException e =
                catchThrowableOfType(CredentialRejectedException.class, () -> CompactJws.parse(token));
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        return e;
    }

    private static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
