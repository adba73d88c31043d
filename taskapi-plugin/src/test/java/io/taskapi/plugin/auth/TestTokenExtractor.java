package io.taskapi.plugin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class TestTokenExtractor {
    private final TokenExtractor extractor = new TokenExtractor();

    private Optional<String> extract(String... namesAndValues) {
        HttpFields.Mutable headers = HttpFields.build();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return extractor.extract(headers);
    }

    // Nomad's TestParseToken cases.

    @Test
    void nomadTokenHeaderIsTrimmed() {
        assertThat(extract("X-Nomad-Token", " foobar")).contains("foobar");
    }

    @Test
    void bearerToken() {
        assertThat(extract("Authorization", "Bearer foobar")).contains("foobar");
    }

    @Test
    void authorizationWithoutSchemeCarriesNoToken() {
        assertThat(extract("Authorization", "foobar")).isEmpty();
    }

    // Beyond Nomad's tests.

    @Test
    void lowerCaseBearerScheme() {
        assertThat(extract("Authorization", "bearer foobar")).contains("foobar");
    }

    @Test
    void upperCaseBearerScheme() {
        assertThat(extract("Authorization", "BEARER foobar")).contains("foobar");
    }

    @Test
    void onlyTheFirstWordAfterBearerCounts() {
        assertThat(extract("Authorization", "Bearer foo bar")).contains("foo");
        assertThat(extract("Authorization", "Bearer   foo\tbar")).contains("foo");
    }

    @Test
    void bearerWithoutValueCarriesNoToken() {
        assertThat(extract("Authorization", "Bearer")).isEmpty();
        assertThat(extract("Authorization", "Bearer   ")).isEmpty();
    }

    @Test
    void otherSchemesCarryNoToken() {
        assertThat(extract("Authorization", "Basic Zm9vOmJhcg==")).isEmpty();
        assertThat(extract("Authorization", "Bearerfoobar")).isEmpty();
    }

    @Test
    void headerNameIsCaseInsensitive() {
        assertThat(extract("x-nomad-token", "foobar")).contains("foobar");
        assertThat(extract("authorization", "Bearer foobar")).contains("foobar");
    }

    @Test
    void nomadTokenHeaderWinsOverAuthorization() {
        assertThat(extract("Authorization", "Bearer second", "X-Nomad-Token", "first")).contains("first");
    }

    @Test
    void blankNomadTokenHeaderFallsThrough() {
        assertThat(extract("X-Nomad-Token", "  ", "Authorization", "Bearer foobar")).contains("foobar");
    }

    @Test
    void tokenCookie() {
        assertThat(extract("Cookie", "token=foobar")).contains("foobar");
    }

    @Test
    void tokenCookieAmongOthers() {
        assertThat(extract("Cookie", "session=abc; token=foobar; theme=dark")).contains("foobar");
    }

    @Test
    void quotedTokenCookie() {
        assertThat(extract("Cookie", "token=\"foobar\"")).contains("foobar");
    }

    @Test
    void tokenCookieInASecondCookieHeader() {
        assertThat(extract("Cookie", "session=abc", "Cookie", "token=foobar")).contains("foobar");
    }

    @Test
    void cookieNameMustMatchExactly() {
        assertThat(extract("Cookie", "tokens=foobar; Token=x; xtoken=y")).isEmpty();
        assertThat(extract("Cookie", "token=")).isEmpty();
        assertThat(extract("Cookie", "token=\"\"")).isEmpty();
    }

    @Test
    void authorizationWinsOverCookie() {
        assertThat(extract("Cookie", "token=cookie", "Authorization", "Bearer header")).contains("header");
    }

    @Test
    void noCredential() {
        assertThat(extract()).isEmpty();
        assertThat(extract("Accept", "application/json")).isEmpty();
    }
}
