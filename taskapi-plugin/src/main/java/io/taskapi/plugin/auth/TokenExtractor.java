package io.taskapi.plugin.auth;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Finds the credential in a request, the way Nomad's {@code parseToken} does, plus a cookie:
 * <ol>
 *   <li>{@code X-Nomad-Token}, trimmed;</li>
 *   <li>{@code Authorization: Bearer <token>}: the scheme is case-insensitive and only the first word after it counts
 *       ({@code Authorization: foobar} alone carries no token);</li>
 *   <li>a cookie named {@code token}, its value unquoted if quoted.</li>
 * </ol>
 * A source that is present but blank counts as absent, so the next one is tried. Nothing here checks the
 * credential; the {@link AuthenticationGate} does.
 */
public final class TokenExtractor {
    /** Nomad's own header, checked first. */
    public static final String NOMAD_TOKEN_HEADER = "X-Nomad-Token";
    /** The name of the cookie that may carry the token. */
    public static final String TOKEN_COOKIE = "token";

    private static final String BEARER = "Bearer";

    /** Stateless; injectable so the HTTP layer can take it as a dependency. */
    @Inject
    public TokenExtractor() {}

    /**
     * @param headers the request headers
     * @return the credential, or empty when the request carries none
     */
    public Optional<String> extract(HttpFields headers) {
        return extractCredential(headers).map(Credential::value);
    }

    /**
     * A credential and where it came from.
     *
     * @param value the credential
     * @param fromCookie whether it came from the {@code token} cookie, an ambient credential a browser sends on its
     *     own (so a state-changing request must prove it is not cross-site)
     */
    public record Credential(String value, boolean fromCookie) {
        @Override
        public String toString() {
            return "Credential[<redacted>, fromCookie=" + fromCookie + "]";
        }
    }

    /**
     * @param headers the request headers
     * @return the credential and its source, or empty when the request carries none
     */
    public Optional<Credential> extractCredential(HttpFields headers) {
        requireNonNull(headers, "headers is null");
        String nomadToken = headers.get(NOMAD_TOKEN_HEADER);
        if (nomadToken != null && !nomadToken.isBlank()) {
            return Optional.of(new Credential(nomadToken.strip(), false));
        }
        Optional<String> bearer = bearer(headers.get(HttpHeader.AUTHORIZATION));
        if (bearer.isPresent()) {
            return Optional.of(new Credential(bearer.get(), false));
        }
        for (String cookieHeader : headers.getValuesList(HttpHeader.COOKIE)) {
            Optional<String> cookie = tokenCookie(cookieHeader);
            if (cookie.isPresent()) {
                return Optional.of(new Credential(cookie.get(), true));
            }
        }
        return Optional.empty();
    }

    /** {@code <scheme> <value>}: the value's first word, only for the Bearer scheme. */
    private static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String rest = authorization.strip();
        int schemeEnd = firstWhitespace(rest, 0);
        if (schemeEnd < 0 || !rest.substring(0, schemeEnd).equalsIgnoreCase(BEARER)) {
            return Optional.empty();
        }
        String value = rest.substring(schemeEnd).strip();
        int valueEnd = firstWhitespace(value, 0);
        String token = valueEnd < 0 ? value : value.substring(0, valueEnd);
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** RFC 6265 §4.2.1: {@code name=value} pairs separated by {@code ;}; a value may be wrapped in quotes. */
    private static Optional<String> tokenCookie(String header) {
        for (String pair : header.split(";")) {
            int equals = pair.indexOf('=');
            if (equals < 0 || !pair.substring(0, equals).strip().equals(TOKEN_COOKIE)) {
                continue;
            }
            String value = pair.substring(equals + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).strip();
            }
            if (!value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static int firstWhitespace(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }
}
