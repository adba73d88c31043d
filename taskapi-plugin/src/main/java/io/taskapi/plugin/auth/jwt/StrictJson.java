package io.taskapi.plugin.auth.jwt;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses a JOSE header or a claims set: strict UTF-8, exactly one JSON object, no duplicate member names (so two
 * parsers can never disagree about which {@code alg} or {@code exp} counts), and bounded depth, string and number
 * sizes (deeply nested JSON is a known JWT-library denial of service, CVE-2025-53864).
 */
public final class StrictJson {
    /** Deep enough for Nomad's {@code extra_claims}, shallow enough to stay cheap. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** No string in a token can be longer than the longest token accepted. */
    public static final int MAX_STRING_LENGTH = 65_536;
    /** Long enough for any NumericDate. */
    public static final int MAX_NUMBER_LENGTH = 64;
    /** Member names are short identifiers. */
    public static final int MAX_NAME_LENGTH = 1_024;
    /** The longest decoded part of a token the gate lets through. */
    public static final int MAX_DOCUMENT_LENGTH = 65_536;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .maxNameLength(MAX_NAME_LENGTH)
                            .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    // Parser errors must never quote the token, even where they are only logged.
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private StrictJson() {}

    /**
     * @param utf8 the decoded bytes of a header or a payload
     * @param what what is being parsed ("token header", "token claims"), for the message
     * @return the object
     * @throws CredentialRejectedException (MALFORMED) for anything but one well-formed, bounded JSON object
     */
    public static ObjectNode parseObject(byte[] utf8, String what) throws CredentialRejectedException {
        requireNonNull(utf8, "utf8 is null");
        requireNonNull(what, "what is null");
        if (utf8.length > MAX_DOCUMENT_LENGTH) {
            throw malformed(what);
        }
        String text;
        try {
            // RFC 7515 requires UTF-8; refuse bad sequences instead of letting them become U+FFFD.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(what);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (IOException | RuntimeException e) {
            // Jackson's messages can quote the input: keep only the fixed text.
            throw malformed(what);
        }
        if (!(node instanceof ObjectNode object)) {
            throw malformed(what);
        }
        return object;
    }

    private static CredentialRejectedException malformed(String what) {
        return new CredentialRejectedException(RejectionReason.MALFORMED, what + " is not a well-formed JSON object");
    }
}
