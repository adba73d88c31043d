package io.taskapi.plugin.auth;

import java.net.URI;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The CSRF rule for the {@code token} cookie, an ambient credential a browser attaches on its own: a state-changing
 * request authenticated only by the cookie must show it is not cross-site, by {@code Sec-Fetch-Site: same-origin} (or
 * {@code none}, a request the user typed), or, from a browser that sends no {@code Sec-Fetch-Site}, an {@code Origin}
 * whose host and port are the request's {@code Host}; or by carrying an {@code X-Nomad-Token} header, which no
 * cross-site form can set. A plain HTML form posted from another site shows none of these.
 */
public final class CrossSiteCheck {
    private static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

    private CrossSiteCheck() {}

    /**
     * @param headers a request's headers
     * @return whether the request proves it is not cross-site
     */
    public static boolean provesSameOrigin(HttpFields headers) {
        if (headers.contains(TokenExtractor.NOMAD_TOKEN_HEADER)) {
            return true;
        }
        String site = headers.get(SEC_FETCH_SITE);
        if (site != null) {
            return isSameOrigin(site);
        }
        String origin = headers.get(HttpHeader.ORIGIN);
        return origin != null && originMatchesHost(origin, headers.get(HttpHeader.HOST));
    }

    /**
     * @param headers a request's headers
     * @return whether a browser says the request is cross-site (a {@code Sec-Fetch-Site} other than same-origin or
     *     none, or an {@code Origin} that is not the {@code Host}); a request with neither header is not
     */
    public static boolean looksCrossSite(HttpFields headers) {
        String site = headers.get(SEC_FETCH_SITE);
        if (site != null) {
            return !isSameOrigin(site);
        }
        String origin = headers.get(HttpHeader.ORIGIN);
        return origin != null && !originMatchesHost(origin, headers.get(HttpHeader.HOST));
    }

    /**
     * @param method an HTTP method
     * @return whether it changes state (anything but GET, HEAD and OPTIONS)
     */
    public static boolean changesState(String method) {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }

    private static boolean isSameOrigin(String site) {
        String value = site.strip().toLowerCase(Locale.ROOT);
        return value.equals("same-origin") || value.equals("none");
    }

    private static boolean originMatchesHost(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI uri = URI.create(origin.strip());
            if (uri.getHost() == null) {
                return false;
            }
            String authority = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            return authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
