package io.taskapi.plugin.auth.jwt;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.spi.state.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A JWS in compact serialization whose header has been checked, but whose signature has not. The payload is kept as
 * bytes: claims are parsed only after the signature verifies, so the claims parser never sees unsigned input.
 *
 * <p>Header rules (RFC 8725 and the project's hardening checklist): {@code alg} is exactly one of
 * {@link SigningAlgorithm}'s names; {@code crit} is refused because no extension is understood; {@code jwk},
 * {@code jku}, {@code x5u} and {@code x5c} are refused because the token never supplies its own key; {@code typ}, if
 * present, says JWT; {@code kid} is a non-empty string. {@link #toString()} shows only the algorithm.
 */
public final class CompactJws {
    private static final List<String> EMBEDDED_KEY_PARAMETERS = List.of("jwk", "jku", "x5u", "x5c");

    private final JwsHeader header;
    private final byte[] signingInput;
    private final byte[] payload;
    private final byte[] signature;

    private CompactJws(JwsHeader header, byte[] signingInput, byte[] payload, byte[] signature) {
        this.header = header;
        this.signingInput = signingInput;
        this.payload = payload;
        this.signature = signature;
    }

    /**
     * @param token a credential
     * @return whether it has the shape of a compact JWS: exactly three dot-separated parts
     */
    public static boolean hasCompactShape(String token) {
        int first = token.indexOf('.');
        if (first < 0) {
            return false;
        }
        int second = token.indexOf('.', first + 1);
        return second >= 0 && token.indexOf('.', second + 1) < 0;
    }

    /**
     * Splits, decodes and checks the header. The messages of the exceptions never quote the token.
     *
     * @param token the credential
     * @return the parsed JWS
     * @throws CredentialRejectedException MALFORMED for a bad shape, bad base64url, a bad header or a forbidden
     *     header parameter; BAD_ALGORITHM for an {@code alg} that is missing or not allowed; UNKNOWN_KEY for a
     *     missing {@code kid}
     */
    public static CompactJws parse(String token) throws CredentialRejectedException {
        return parse(token, true);
    }

    /**
     * As {@link #parse(String)}, for tokens from an external issuer checked against a fixed set of keys (an ACL auth
     * method's), which may name no key.
     *
     * @param token the credential
     * @param keyIdRequired whether a missing {@code kid} is refused; when not, the header's key id is empty
     * @return the parsed JWS
     * @throws CredentialRejectedException as {@link #parse(String)}
     */
    public static CompactJws parse(String token, boolean keyIdRequired) throws CredentialRejectedException {
        requireNonNull(token, "token is null");
        if (token.startsWith("{")) {
            throw new CredentialRejectedException(RejectionReason.MALFORMED,
                    "JSON-serialized JWS is not accepted; use the compact serialization");
        }
        if (!hasCompactShape(token)) {
            throw new CredentialRejectedException(RejectionReason.MALFORMED,
                    "token is not a compact JWS of three parts");
        }
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        String headerPart = token.substring(0, first);
        if (headerPart.isEmpty()) {
            throw new CredentialRejectedException(RejectionReason.MALFORMED, "token header is empty");
        }
        ObjectNode headerJson = StrictJson.parseObject(Base64Url.decode(headerPart), "token header");
        JwsHeader header = checkHeader(headerJson, keyIdRequired);
        byte[] payload = Base64Url.decode(token.substring(first + 1, second));
        byte[] signature = Base64Url.decode(token.substring(second + 1));
        // Every character is base64url or '.', so ASCII is exact.
        byte[] signingInput = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        return new CompactJws(header, signingInput, payload, signature);
    }

    private static JwsHeader checkHeader(ObjectNode json, boolean keyIdRequired)
            throws CredentialRejectedException {
        // alg first, so that an unsecured token is always reported as what it is.
        JsonNode alg = json.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw new CredentialRejectedException(RejectionReason.BAD_ALGORITHM, "token has no algorithm");
        }
        if (alg.textValue().toLowerCase(Locale.ROOT).equals("none")) {
            throw new CredentialRejectedException(RejectionReason.BAD_ALGORITHM, "unsecured tokens are not accepted");
        }
        Optional<SigningAlgorithm> algorithm = SigningAlgorithm.fromJwsName(alg.textValue());
        if (algorithm.isEmpty()) {
            throw new CredentialRejectedException(RejectionReason.BAD_ALGORITHM, "token algorithm is not allowed");
        }
        if (json.has("crit")) {
            throw new CredentialRejectedException(RejectionReason.MALFORMED,
                    "critical header parameters are not supported");
        }
        for (String parameter : EMBEDDED_KEY_PARAMETERS) {
            if (json.has(parameter)) {
                throw new CredentialRejectedException(RejectionReason.MALFORMED,
                        "keys supplied in the token header are not accepted");
            }
        }
        JsonNode typ = json.get("typ");
        if (typ != null && !(typ.isTextual() && isJwtType(typ.textValue()))) {
            throw new CredentialRejectedException(RejectionReason.MALFORMED, "token type is not JWT");
        }
        JsonNode kid = json.get("kid");
        if (kid == null && !keyIdRequired) {
            return new JwsHeader(algorithm.get(), "");
        }
        if (kid == null || !kid.isTextual() || kid.textValue().isEmpty()) {
            throw new CredentialRejectedException(RejectionReason.UNKNOWN_KEY, "token has no key id");
        }
        return new JwsHeader(algorithm.get(), kid.textValue());
    }

    /** RFC 7515 §4.1.9: media types compare case-insensitively and "application/" may be left out. */
    private static boolean isJwtType(String typ) {
        return typ.equalsIgnoreCase("JWT") || typ.equalsIgnoreCase("application/jwt");
    }

    /** @return the checked header */
    public JwsHeader header() {
        return header;
    }

    /** @return the ASCII bytes the signature covers: {@code header '.' payload} as sent */
    public byte[] signingInput() {
        return signingInput.clone();
    }

    /** @return the decoded payload, not yet parsed and not yet trusted */
    public byte[] payload() {
        return payload.clone();
    }

    /** @return the decoded signature */
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public String toString() {
        return "CompactJws[alg=" + header.algorithm().jwsName() + "]";
    }
}
