package io.taskapi.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.taskapi.spi.driver.TaskRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds one workload identity JWT. It starts valid and Nomad-shaped; every method makes it different, which is how
 * tests get the bad tokens a verifier must refuse. Get one from {@link TestingIdentityIssuer#token(TaskRef)}.
 *
 * <p>Defaults: header {@code {"alg":"RS256","kid":<issuer's RSA kid>,"typ":"JWT"}}; claims {@code nomad_namespace},
 * {@code nomad_job_id}, {@code nomad_allocation_id}, {@code nomad_task},
 * {@code sub = "global:<namespace>:<job>:<group>:<task>:default"}, {@code aud = ["nomadproject.io"]},
 * {@code iat = nbf = now}, {@code exp = iat + 1h} and a random {@code jti}. "Now" is read from the issuer's clock when
 * the token is signed, so relative times stay relative.
 *
 * <p>Precedence: {@link #claim}, {@link #withoutClaim}, {@link #header} and {@link #withoutHeader} are applied last
 * and win over the typed setters (a typed setter called later clears an earlier override of its own claim);
 * {@link #headerJson}/{@link #payloadJson} replace everything. Not thread-safe: one builder per token.
 *
 * <pre>{@code
 * issuer.token(task).audience("vault.io").sign();                       // wrong audience
 * issuer.token(task).notBefore(Duration.ofMinutes(10)).sign();          // not valid yet
 * issuer.token(task).alg("HS256").sign();                               // header lies about the algorithm
 * issuer.token(task).unsigned().sign();                                 // alg none, empty signature
 * issuer.token(task).claim("nomad_allocation_id", 42).sign();           // wrong JSON type
 * issuer.token(task).tamperPayload().sign();                            // signature no longer matches
 * }</pre>
 */
public final class IdentityTokenBuilder {
    private final Clock clock;
    private SigningKey key;
    private TaskRef task;
    private String region = TestingIdentityIssuer.DEFAULT_REGION;
    private String identityName = TestingIdentityIssuer.DEFAULT_IDENTITY_NAME;
    private List<String> audience = List.of(TestingIdentityIssuer.DEFAULT_AUDIENCE);
    private String jwtId = UUID.randomUUID().toString();
    private Duration ttl = TestingIdentityIssuer.DEFAULT_TTL;
    // now -> iat
    private Function<Instant, Instant> issuedAt = now -> now;
    // (now, iat) -> nbf / exp
    private BiFunction<Instant, Instant, Instant> notBefore = (now, iat) -> iat;
    private BiFunction<Instant, Instant, Instant> expiresAt = (now, iat) -> iat.plus(ttl);
    // a null value removes the field
    private final Map<String, JsonNode> headerOverrides = new LinkedHashMap<>();
    private final Map<String, JsonNode> claimOverrides = new LinkedHashMap<>();
    private String rawHeader;
    private String rawPayload;
    private boolean unsigned;
    private Consumer<ObjectNode> payloadTamper;
    private boolean tamperSignature;

    IdentityTokenBuilder(Clock clock, SigningKey key, TaskRef task) {
        this.clock = requireNonNull(clock, "clock is null");
        this.key = requireNonNull(key, "key is null");
        this.task = requireNonNull(task, "task is null");
    }

    // ---- signing key and header

    /**
     * Signs with another key; the header's {@code alg} and {@code kid} follow it unless overridden.
     *
     * @param key any key, published or not
     * @return this builder
     */
    public IdentityTokenBuilder signedWith(SigningKey key) {
        this.key = requireNonNull(key, "key is null");
        return this;
    }

    /**
     * Writes {@code alg} in the header without changing how the token is signed, for example {@code "none"},
     * {@code "HS256"} or {@code "rs256"}.
     *
     * @param alg the header value
     * @return this builder
     */
    public IdentityTokenBuilder alg(String alg) {
        return header("alg", requireNonNull(alg, "alg is null"));
    }

    /**
     * Writes {@code kid} in the header without changing the signing key: {@code signedWith(a).kid(b.keyId())} signs
     * with one key and names another.
     *
     * @param kid the header value
     * @return this builder
     */
    public IdentityTokenBuilder kid(String kid) {
        return header("kid", requireNonNull(kid, "kid is null"));
    }

    /**
     * @param typ the header's {@code typ}, for example {@code "at+jwt"}
     * @return this builder
     */
    public IdentityTokenBuilder typ(String typ) {
        return header("typ", requireNonNull(typ, "typ is null"));
    }

    /**
     * Sets any header parameter ({@code crit}, {@code jku}, {@code b64}, …).
     *
     * @param name the parameter
     * @param value any value Jackson can write: a string, number, boolean, list, map, {@link JsonNode}, or
     *     {@code null} for JSON {@code null}
     * @return this builder
     */
    public IdentityTokenBuilder header(String name, Object value) {
        headerOverrides.put(requireNonNull(name, "name is null"), toJson(value));
        return this;
    }

    /**
     * @param name a header parameter to leave out, for example {@code "kid"}
     * @return this builder
     */
    public IdentityTokenBuilder withoutHeader(String name) {
        headerOverrides.put(requireNonNull(name, "name is null"), null);
        return this;
    }

    /**
     * Uses this exact text as the header (encoded, and signed over), for duplicate keys or JSON that is not an object.
     *
     * @param json any text
     * @return this builder
     */
    public IdentityTokenBuilder headerJson(String json) {
        this.rawHeader = requireNonNull(json, "json is null");
        return this;
    }

    // ---- claims

    /**
     * Names another task in every claim that names one ({@code nomad_*} and {@code sub}).
     *
     * @param task the task
     * @return this builder
     */
    public IdentityTokenBuilder task(TaskRef task) {
        this.task = requireNonNull(task, "task is null");
        for (String claim : List.of("nomad_namespace", "nomad_job_id", "nomad_allocation_id", "nomad_task", "sub")) {
            claimOverrides.remove(claim);
        }
        return this;
    }

    /**
     * @param region the region at the start of {@code sub} (default {@code global})
     * @return this builder
     */
    public IdentityTokenBuilder region(String region) {
        this.region = requireNonNull(region, "region is null");
        claimOverrides.remove("sub");
        return this;
    }

    /**
     * @param identityName the identity name at the end of {@code sub} (default {@code default})
     * @return this builder
     */
    public IdentityTokenBuilder identityName(String identityName) {
        this.identityName = requireNonNull(identityName, "identityName is null");
        claimOverrides.remove("sub");
        return this;
    }

    /**
     * @param audience the {@code aud} array; none gives an empty array
     * @return this builder
     */
    public IdentityTokenBuilder audience(String... audience) {
        this.audience = List.of(requireNonNull(audience, "audience is null"));
        claimOverrides.remove("aud");
        return this;
    }

    /**
     * @param jwtId the {@code jti}
     * @return this builder
     */
    public IdentityTokenBuilder jwtId(String jwtId) {
        this.jwtId = requireNonNull(jwtId, "jwtId is null");
        claimOverrides.remove("jti");
        return this;
    }

    /**
     * Sets any claim, replacing a default one.
     *
     * @param name the claim
     * @param value any value Jackson can write, or {@code null} for JSON {@code null}
     * @return this builder
     */
    public IdentityTokenBuilder claim(String name, Object value) {
        claimOverrides.put(requireNonNull(name, "name is null"), toJson(value));
        return this;
    }

    /**
     * @param name a claim to leave out, for example {@code "exp"} or {@code "nomad_allocation_id"}
     * @return this builder
     */
    public IdentityTokenBuilder withoutClaim(String name) {
        claimOverrides.put(requireNonNull(name, "name is null"), null);
        return this;
    }

    /**
     * Uses this exact text as the claims (encoded, and signed over).
     *
     * @param json any text
     * @return this builder
     */
    public IdentityTokenBuilder payloadJson(String json) {
        this.rawPayload = requireNonNull(json, "json is null");
        return this;
    }

    // ---- times

    /**
     * @param instant the {@code iat}; {@code nbf} and {@code exp} follow it unless set
     * @return this builder
     */
    public IdentityTokenBuilder issuedAt(Instant instant) {
        requireNonNull(instant, "instant is null");
        issuedAt = now -> instant;
        claimOverrides.remove("iat");
        return this;
    }

    /**
     * @param fromNow the {@code iat} relative to the clock's now; negative is in the past
     * @return this builder
     */
    public IdentityTokenBuilder issuedAt(Duration fromNow) {
        requireNonNull(fromNow, "fromNow is null");
        issuedAt = now -> now.plus(fromNow);
        claimOverrides.remove("iat");
        return this;
    }

    /**
     * @param instant the {@code nbf}
     * @return this builder
     */
    public IdentityTokenBuilder notBefore(Instant instant) {
        requireNonNull(instant, "instant is null");
        notBefore = (now, iat) -> instant;
        claimOverrides.remove("nbf");
        return this;
    }

    /**
     * @param fromNow the {@code nbf} relative to now; positive makes a token that is not valid yet
     * @return this builder
     */
    public IdentityTokenBuilder notBefore(Duration fromNow) {
        requireNonNull(fromNow, "fromNow is null");
        notBefore = (now, iat) -> now.plus(fromNow);
        claimOverrides.remove("nbf");
        return this;
    }

    /**
     * @param instant the {@code exp}
     * @return this builder
     */
    public IdentityTokenBuilder expiresAt(Instant instant) {
        requireNonNull(instant, "instant is null");
        expiresAt = (now, iat) -> instant;
        claimOverrides.remove("exp");
        return this;
    }

    /**
     * @param fromNow the {@code exp} relative to now; negative makes an expired token
     * @return this builder
     */
    public IdentityTokenBuilder expiresAt(Duration fromNow) {
        requireNonNull(fromNow, "fromNow is null");
        expiresAt = (now, iat) -> now.plus(fromNow);
        claimOverrides.remove("exp");
        return this;
    }

    /**
     * @param ttl how long after {@code iat} the token expires (default one hour)
     * @return this builder
     */
    public IdentityTokenBuilder ttl(Duration ttl) {
        this.ttl = requireNonNull(ttl, "ttl is null");
        expiresAt = (now, iat) -> iat.plus(this.ttl);
        claimOverrides.remove("exp");
        return this;
    }

    /** @return this builder, making a token without {@code exp}, as Nomad's default identity is */
    public IdentityTokenBuilder withoutExpiry() {
        return withoutClaim("exp");
    }

    // ---- deliberately broken tokens

    /** @return this builder, making {@code alg:"none"} and an empty signature (a later {@link #alg} still wins) */
    public IdentityTokenBuilder unsigned() {
        unsigned = true;
        return alg("none");
    }

    /**
     * Signs the claims, then changes them: {@code nomad_job_id} gets a {@code -tampered} suffix. The signature is
     * valid for the original claims only.
     *
     * @return this builder
     */
    public IdentityTokenBuilder tamperPayload() {
        return tamperPayload(claims -> {
            JsonNode jobId = claims.get("nomad_job_id");
            claims.put("nomad_job_id", (jobId != null && jobId.isTextual() ? jobId.asText() : "job") + "-tampered");
        });
    }

    /**
     * Signs the claims, then lets {@code change} edit them. The signature is valid for the original claims only.
     *
     * @param change edits the claims after signing
     * @return this builder
     */
    public IdentityTokenBuilder tamperPayload(Consumer<ObjectNode> change) {
        this.payloadTamper = requireNonNull(change, "change is null");
        return this;
    }

    /** @return this builder, flipping one bit of the signature after signing */
    public IdentityTokenBuilder tamperSignature() {
        tamperSignature = true;
        return this;
    }

    // ---- results

    /** @return the compact JWS */
    public String sign() {
        return parts().compact();
    }

    /**
     * @return the token's three encoded parts
     * @throws IllegalStateException when tampering is asked for together with {@link #payloadJson}, or a signature
     *     tamper for an unsigned token
     */
    public JwsParts parts() {
        Instant now = clock.instant();
        ObjectNode claims = claims(now);
        String header = JwsParts.encode(rawHeader != null ? rawHeader : write(header()));
        String payload = JwsParts.encode(rawPayload != null ? rawPayload : write(claims));
        String signature = unsigned
                ? ""
                : Json.BASE64URL.encodeToString(key.sign((header + "." + payload).getBytes(US_ASCII)));
        if (payloadTamper != null) {
            if (rawPayload != null) {
                throw new IllegalStateException("tamperPayload does not work on a raw payloadJson");
            }
            payloadTamper.accept(claims);
            payload = JwsParts.encode(write(claims));
        }
        if (tamperSignature) {
            if (signature.isEmpty()) {
                throw new IllegalStateException("an unsigned token has no signature to tamper with");
            }
            byte[] bytes = Json.BASE64URL_DECODER.decode(signature);
            bytes[0] ^= 0x01;
            signature = Json.BASE64URL.encodeToString(bytes);
        }
        return new JwsParts(header, payload, signature);
    }

    /** @return the claims the token would carry if signed now, as JSON (overrides applied, before tampering) */
    public String claimsJson() {
        return rawPayload != null ? rawPayload : write(claims(clock.instant()));
    }

    private ObjectNode header() {
        ObjectNode header = Json.MAPPER.createObjectNode();
        header.put("alg", key.algorithm().jwsName());
        header.put("kid", key.keyId());
        header.put("typ", "JWT");
        apply(header, headerOverrides);
        return header;
    }

    private ObjectNode claims(Instant now) {
        ObjectNode claims = Json.MAPPER.createObjectNode();
        claims.put("nomad_namespace", task.namespace());
        claims.put("nomad_job_id", task.jobId());
        claims.put("nomad_allocation_id", task.allocationId());
        claims.put("nomad_task", task.taskName());
        claims.put("sub", String.join(":", region, task.namespace(), task.jobId(), task.group(), task.taskName(),
                identityName));
        ArrayNode aud = claims.putArray("aud");
        audience.forEach(aud::add);
        Instant iat = issuedAt.apply(now);
        claims.put("iat", iat.getEpochSecond());
        claims.put("nbf", notBefore.apply(now, iat).getEpochSecond());
        claims.put("exp", expiresAt.apply(now, iat).getEpochSecond());
        claims.put("jti", jwtId);
        apply(claims, claimOverrides);
        return claims;
    }

    private static void apply(ObjectNode target, Map<String, JsonNode> overrides) {
        overrides.forEach((name, value) -> {
            if (value == null) {
                target.remove(name);
            } else {
                target.set(name, value);
            }
        });
    }

    private static JsonNode toJson(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        if (value instanceof String text) {
            return TextNode.valueOf(text);
        }
        JsonNode node = Json.MAPPER.valueToTree(value);
        return node == null ? NullNode.getInstance() : node;
    }

    private static String write(JsonNode node) {
        try {
            return new String(Json.MAPPER.writeValueAsBytes(node), UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the signing key and task, never key material */
    @Override
    public String toString() {
        return "IdentityTokenBuilder[key=" + key + ", task=" + task + "]";
    }
}
