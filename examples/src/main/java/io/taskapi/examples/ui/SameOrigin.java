package io.taskapi.examples.ui;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The proxy's CSRF rule. The proxy turns the browser's {@code token} cookie (an ambient credential: a browser attaches
 * it by itself) into an {@code X-Nomad-Token} header, which the API takes as proof that a request is not cross-site;
 * so the proxy must ask for that proof itself before it forwards a state-changing request: {@code Sec-Fetch-Site:
 * same-origin} where the browser sends it, and an {@code Origin} that is the proxy's own where it sends one, at least
 * one of the two. A form or script of another site carries neither.
 */
final class SameOrigin {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    static final String REFUSAL = "Permission denied: a state-changing request must come from this UI's own origin"
            + " (Sec-Fetch-Site: same-origin, or an Origin that is this proxy's)";

    private SameOrigin() {
    }

    /**
     * @param method the request's method
     * @param headers its header fields
     * @return empty when the request may be forwarded; else why not
     */
    static Optional<String> refusal(String method, HttpFields headers) {
        if (SAFE_METHODS.contains(method)) {
            return Optional.empty();
        }
        String fetchSite = headers.get("Sec-Fetch-Site");
        String origin = headers.get(HttpHeader.ORIGIN);
        if (fetchSite == null && origin == null) {
            return Optional.of(REFUSAL);
        }
        if (fetchSite != null && !fetchSite.trim().equalsIgnoreCase("same-origin")) {
            return Optional.of(REFUSAL);
        }
        if (origin != null && !origin.trim().toLowerCase(Locale.ROOT).equals(ownOrigin(headers))) {
            return Optional.of(REFUSAL);
        }
        return Optional.empty();
    }

    /** The proxy serves HTTPS only, at the host and port the browser addressed. */
    private static String ownOrigin(HttpFields headers) {
        String host = headers.get(HttpHeader.HOST);
        if (host == null || host.isBlank()) {
            return "";
        }
        String origin = "https://" + host.trim().toLowerCase(Locale.ROOT);
        // A browser leaves the default port out of an Origin.
        return origin.endsWith(":443") ? origin.substring(0, origin.length() - 4) : origin;
    }
}
