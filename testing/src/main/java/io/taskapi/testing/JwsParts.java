package io.taskapi.testing;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * The three base64url parts of a compact JWS, for tests that take a token apart or put a bad one together. It splits
 * and joins at the dots and decodes on request; it checks nothing (the plugin's parser does that).
 *
 * <pre>{@code
 * JwsParts good = issuer.token(task).parts();
 * String swapped = good.withPayload(other.parts().payload()).compact();   // a signature over someone else's claims
 * }</pre>
 *
 * @param header the encoded header
 * @param payload the encoded claims
 * @param signature the encoded signature; empty for an unsigned token
 */
public record JwsParts(String header, String payload, String signature) {
    /** Checks that every part is present (an empty part is allowed: that is a test's business). */
    public JwsParts {
        requireNonNull(header, "header is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(signature, "signature is null");
    }

    /**
     * Splits a compact JWS at its dots.
     *
     * @param token {@code header.payload.signature}
     * @return its parts
     * @throws IllegalArgumentException when it does not have exactly three parts
     */
    public static JwsParts split(String token) {
        requireNonNull(token, "token is null");
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a compact JWS has 3 parts, this has " + parts.length);
        }
        return new JwsParts(parts[0], parts[1], parts[2]);
    }

    /**
     * @param json any text
     * @return it as a base64url part without padding
     */
    public static String encode(String json) {
        return Json.BASE64URL.encodeToString(requireNonNull(json, "json is null").getBytes(StandardCharsets.UTF_8));
    }

    /** @return {@code header.payload.signature} */
    public String compact() {
        return header + "." + payload + "." + signature;
    }

    /** @return the decoded header JSON */
    public String headerJson() {
        return decode(header);
    }

    /** @return the decoded claims JSON */
    public String payloadJson() {
        return decode(payload);
    }

    /** @return the decoded signature bytes */
    public byte[] signatureBytes() {
        return Json.BASE64URL_DECODER.decode(signature);
    }

    /**
     * @param encodedHeader an already encoded header
     * @return a copy with that header and the old signature
     */
    public JwsParts withHeader(String encodedHeader) {
        return new JwsParts(encodedHeader, payload, signature);
    }

    /**
     * @param encodedPayload an already encoded payload
     * @return a copy with that payload and the old signature
     */
    public JwsParts withPayload(String encodedPayload) {
        return new JwsParts(header, encodedPayload, signature);
    }

    /**
     * @param encodedSignature an already encoded signature
     * @return a copy with that signature
     */
    public JwsParts withSignature(String encodedSignature) {
        return new JwsParts(header, payload, encodedSignature);
    }

    /** @return the decoded header and claims; the signature only by length, since it makes the token usable */
    @Override
    public String toString() {
        return "JwsParts[header=" + safeDecode(header) + ", payload=" + safeDecode(payload) + ", signature=<"
                + signature.length() + " chars>]";
    }

    private static String safeDecode(String part) {
        try {
            return decode(part);
        } catch (IllegalArgumentException e) {
            return "<not base64url: " + part.length() + " chars>";
        }
    }

    private static String decode(String part) {
        return new String(Json.BASE64URL_DECODER.decode(part), StandardCharsets.UTF_8);
    }
}
