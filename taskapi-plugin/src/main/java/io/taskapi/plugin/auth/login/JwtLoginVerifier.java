package io.taskapi.plugin.auth.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.auth.jwt.CompactJws;
import io.taskapi.plugin.auth.jwt.JwsSignatures;
import io.taskapi.plugin.auth.jwt.StrictJson;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.spi.state.SigningAlgorithm;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a login token against a JWT auth method with the same hardening as workload identities
 * ({@link CompactJws}): a compact JWS only, {@code alg} from the allow-list (RS256, EdDSA; never {@code none}), no
 * key carried in the header, the key's algorithm and not the header's deciding, the signature checked before any
 * claim is read. Then {@code exp} (required), {@code nbf} and {@code iat} with the method's leeways, the audience
 * and the issuer. Every refusal says why in words that hold nothing of the token.
 */
public final class JwtLoginVerifier {
    private JwtLoginVerifier() {}

    /**
     * @param token the login token
     * @param config the method's config
     * @param now the current time
     * @return the verified claims
     * @throws LoginRejectedException when it does not pass
     */
    public static ObjectNode verify(String token, JwtMethodConfig config, Instant now)
            throws LoginRejectedException {
        CompactJws jws;
        try {
            jws = CompactJws.parse(token, false);
        } catch (CredentialRejectedException e) {
            throw new LoginRejectedException(e.getMessage());
        } catch (RuntimeException e) {
            throw new LoginRejectedException("token is malformed");
        }
        SigningAlgorithm algorithm = jws.header().algorithm();
        if (!config.signingAlgs().isEmpty() && !config.signingAlgs().contains(algorithm.jwsName())) {
            throw new LoginRejectedException("token algorithm is not allowed by the auth method");
        }
        String keyId = jws.header().keyId();
        List<LoginKeys.Candidate> candidates = new ArrayList<>();
        for (LoginKeys.Candidate candidate : LoginKeys.of(config)) {
            boolean idMatches = keyId.isEmpty() || !candidate.named() || candidate.key().keyId().equals(keyId);
            if (idMatches && candidate.key().algorithm() == algorithm) {
                candidates.add(candidate);
            }
        }
        if (candidates.isEmpty()) {
            throw new LoginRejectedException("no key of the auth method can verify the token");
        }
        boolean verified = false;
        for (LoginKeys.Candidate candidate : candidates) {
            try {
                if (JwsSignatures.verify(candidate.key(), jws.signingInput(), jws.signature())) {
                    verified = true;
                    break;
                }
            } catch (InvalidKeyException | RuntimeException e) {
                // a key that cannot be used verifies nothing; the next may
            }
        }
        if (!verified) {
            throw new LoginRejectedException("token signature is not valid");
        }
        ObjectNode claims;
        try {
            claims = StrictJson.parseObject(jws.payload(), "token claims");
        } catch (CredentialRejectedException | RuntimeException e) {
            throw new LoginRejectedException("token claims are malformed");
        }
        checkTimes(claims, config, now);
        checkAudience(claims, config);
        checkIssuer(claims, config);
        return claims;
    }

    private static void checkTimes(ObjectNode claims, JwtMethodConfig config, Instant now)
            throws LoginRejectedException {
        Instant exp = time(claims, "exp").orElseThrow(() -> new LoginRejectedException("token has no expiry (exp)"));
        if (!now.isBefore(exp.plus(config.effectiveExpirationLeeway()))) {
            throw new LoginRejectedException("token is expired");
        }
        java.util.Optional<Instant> nbf = time(claims, "nbf");
        if (nbf.isPresent() && now.plus(config.effectiveNotBeforeLeeway()).isBefore(nbf.get())) {
            throw new LoginRejectedException("token is not valid yet (nbf)");
        }
        java.util.Optional<Instant> iat = time(claims, "iat");
        if (iat.isPresent() && now.plus(config.effectiveClockSkewLeeway()).isBefore(iat.get())) {
            throw new LoginRejectedException("token is issued in the future (iat)");
        }
    }

    private static java.util.Optional<Instant> time(ObjectNode claims, String name) throws LoginRejectedException {
        JsonNode value = claims.get(name);
        if (value == null || value.isNull()) {
            return java.util.Optional.empty();
        }
        if (!value.isNumber()) {
            throw new LoginRejectedException("token claim " + name + " is not a number");
        }
        return java.util.Optional.of(Instant.ofEpochSecond(value.asLong()));
    }

    private static void checkAudience(ObjectNode claims, JwtMethodConfig config) throws LoginRejectedException {
        if (config.boundAudiences().isEmpty()) {
            return;
        }
        JsonNode aud = claims.get("aud");
        List<String> audiences = new ArrayList<>();
        if (aud != null && aud.isTextual()) {
            audiences.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(element -> audiences.add(element.asText()));
        }
        if (audiences.stream().noneMatch(config.boundAudiences()::contains)) {
            throw new LoginRejectedException("token audience (aud) is not one the auth method accepts");
        }
    }

    private static void checkIssuer(ObjectNode claims, JwtMethodConfig config) throws LoginRejectedException {
        if (config.boundIssuer().isEmpty()) {
            return;
        }
        JsonNode iss = claims.get("iss");
        if (iss == null) {
            throw new LoginRejectedException("auth method specifies BoundIssuers but the provided token does not "
                    + "contain issuer information");
        }
        if (!iss.isTextual() || !config.boundIssuer().contains(iss.asText())) {
            // Not the value: it is the token's.
            throw new LoginRejectedException("invalid JWT issuer");
        }
    }
}
