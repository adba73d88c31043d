package io.taskapi.plugin.auth.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login token checks that the end-to-end test does not reach: times with leeways, kids, algorithms. */
final class JwtLoginVerifierTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final KeyPair KEYS = rsa();

    @TempDir
    Path tmp;

    @Test
    void aPemKeyVerifiesATokenWithoutKidAndTheLeewaysApply() throws Exception {
        JwtMethodConfig config = pem(Duration.ZERO);

        assertThat(JwtLoginVerifier.verify(sign(null, NOW.minusSeconds(100), null, null), config, NOW)
                .get("sub").asText()).isEqualTo("alice");
        assertThatThrownBy(() -> JwtLoginVerifier.verify(sign(null, NOW.minusSeconds(200), null, null), config,
                NOW)).hasMessage("token is expired");
        assertThatThrownBy(() -> JwtLoginVerifier.verify(sign(null, NOW.plusSeconds(600), NOW.plusSeconds(200),
                null), config, NOW)).hasMessage("token is not valid yet (nbf)");
        assertThatThrownBy(() -> JwtLoginVerifier.verify(sign(null, NOW.plusSeconds(600), null,
                NOW.plusSeconds(90)), config, NOW)).hasMessage("token is issued in the future (iat)");
        // A negative leeway is none.
        assertThatThrownBy(() -> JwtLoginVerifier.verify(sign(null, NOW.minusSeconds(1), null, null),
                pem(Duration.ofSeconds(-1)), NOW)).hasMessage("token is expired");
    }

    @Test
    void aJwksKeyIsChosenByKidAndAnotherKidFindsNothing() throws Exception {
        Path jwks = tmp.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(new RSAKey.Builder((RSAPublicKey) KEYS.getPublic()).keyID("k1").build())
                .toString());
        JwtMethodConfig config = new JwtMethodConfig(List.of(), jwks.toUri().toString(), List.of(), List.of(),
                Map.of(), Map.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO, List.of());

        assertThat(JwtLoginVerifier.verify(sign("k1", NOW.plusSeconds(60), null, null), config, NOW)).isNotNull();
        assertThatThrownBy(() -> JwtLoginVerifier.verify(sign("k2", NOW.plusSeconds(60), null, null), config, NOW))
                .hasMessage("no key of the auth method can verify the token");
        Files.writeString(jwks, "not json");
        assertThatThrownBy(() -> JwtLoginVerifier.verify(sign("k1", NOW.plusSeconds(60), null, null), config, NOW))
                .hasMessageStartingWith("unable to get validation keys from JWKS");
    }

    @Test
    void signingAlgsLimitTheAlgorithm() throws Exception {
        JwtMethodConfig edOnly = new JwtMethodConfig(List.of(pemText()), "", List.of(), List.of(), Map.of(),
                Map.of(), Duration.ZERO, Duration.ZERO, Duration.ZERO, List.of("EdDSA"));

        assertThatThrownBy(() -> JwtLoginVerifier.verify(sign(null, NOW.plusSeconds(60), null, null), edOnly, NOW))
                .hasMessage("token algorithm is not allowed by the auth method");
    }

    private static JwtMethodConfig pem(Duration expirationLeeway) {
        return new JwtMethodConfig(List.of(pemText()), "", List.of(), List.of(), Map.of(), Map.of(), Duration.ZERO,
                expirationLeeway, Duration.ZERO, List.of());
    }

    private static String pemText() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    @SuppressWarnings("JavaUtilDate") // nimbus' claim setters take Date
    private static String sign(String kid, Instant exp, Instant nbf, Instant iat) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(exp));
        if (nbf != null) {
            claims.notBeforeTime(Date.from(nbf));
        }
        if (iat != null) {
            claims.issueTime(Date.from(iat));
        }
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256);
        if (kid != null) {
            header.keyID(kid);
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims.build());
        jwt.sign(new RSASSASigner(KEYS.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
