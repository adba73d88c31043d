package io.taskapi.plugin.auth.login;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Config} of a {@code JWT} auth method, as Nomad's {@code ACLAuthMethodConfig} names its fields. Only the
 * fields a JWT login uses; the OIDC ones are refused when written.
 *
 * @param validationPubKeys PEM public keys ({@code JWTValidationPubKeys}); empty when a JWKS is used
 * @param jwksUrl where the JSON Web Key Set is ({@code JWKSURL}: {@code file:} or {@code http(s):}); empty when PEM
 *     keys are used
 * @param boundAudiences the token's {@code aud} must name one of them, when set
 * @param boundIssuer the token's {@code iss} must be one of them, when set
 * @param claimMappings claim (name, or JSON pointer starting with {@code /}) to variable, for {@code value.<var>}
 * @param listClaimMappings claim to variable, for {@code list.<var>}
 * @param notBeforeLeeway leeway on {@code nbf}: 0 means Nomad's default of 150s, negative means none
 * @param expirationLeeway leeway on {@code exp}: 0 means Nomad's default of 150s, negative means none
 * @param clockSkewLeeway leeway on {@code iat}: 0 means Nomad's default of 60s, negative means none
 * @param signingAlgs the algorithms allowed (a subset of RS256 and EdDSA); empty for both
 */
public record JwtMethodConfig(List<String> validationPubKeys, String jwksUrl, List<String> boundAudiences,
                              List<String> boundIssuer, Map<String, String> claimMappings,
                              Map<String, String> listClaimMappings, Duration notBeforeLeeway,
                              Duration expirationLeeway, Duration clockSkewLeeway, List<String> signingAlgs) {
    /** Nomad's (cap/jwt's) default leeway on exp and nbf. */
    static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(150);
    /** Nomad's (cap/jwt's) default leeway on iat. */
    static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    /**
     * Copies the collections and checks that nothing is missing.
     *
     * @param validationPubKeys see the record component of that name
     * @param jwksUrl see the record component of that name
     * @param boundAudiences see the record component of that name
     * @param boundIssuer see the record component of that name
     * @param claimMappings see the record component of that name
     * @param listClaimMappings see the record component of that name
     * @param notBeforeLeeway see the record component of that name
     * @param expirationLeeway see the record component of that name
     * @param clockSkewLeeway see the record component of that name
     * @param signingAlgs see the record component of that name
     */
    public JwtMethodConfig {
        validationPubKeys = List.copyOf(validationPubKeys);
        requireNonNull(jwksUrl, "jwksUrl is null");
        boundAudiences = List.copyOf(boundAudiences);
        boundIssuer = List.copyOf(boundIssuer);
        claimMappings = Map.copyOf(claimMappings);
        listClaimMappings = Map.copyOf(listClaimMappings);
        requireNonNull(notBeforeLeeway, "notBeforeLeeway is null");
        requireNonNull(expirationLeeway, "expirationLeeway is null");
        requireNonNull(clockSkewLeeway, "clockSkewLeeway is null");
        signingAlgs = List.copyOf(signingAlgs);
    }

    /** @return the leeway applied to {@code exp} */
    Duration effectiveExpirationLeeway() {
        return effective(expirationLeeway, DEFAULT_LEEWAY);
    }

    /** @return the leeway applied to {@code nbf} */
    Duration effectiveNotBeforeLeeway() {
        return effective(notBeforeLeeway, DEFAULT_LEEWAY);
    }

    /** @return the leeway applied to {@code iat} */
    Duration effectiveClockSkewLeeway() {
        return effective(clockSkewLeeway, DEFAULT_CLOCK_SKEW);
    }

    /** @return the JWKS location, when the keys come from one */
    Optional<String> jwks() {
        return jwksUrl.isEmpty() ? Optional.empty() : Optional.of(jwksUrl);
    }

    private static Duration effective(Duration configured, Duration byDefault) {
        if (configured.isZero()) {
            return byDefault;
        }
        return configured.isNegative() ? Duration.ZERO : configured;
    }
}
