package io.taskapi.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;

/** The one {@link ObjectMapper} and base64url codec the fixtures share. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    // JWS (RFC 7515 §2) uses base64url without padding.
    static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private Json() {}
}
