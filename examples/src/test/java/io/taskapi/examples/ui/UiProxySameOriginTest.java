package io.taskapi.examples.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/** The proxy's CSRF rule, case by case (the browser test shows it with a real browser and curl). */
final class UiProxySameOriginTest {
    private static HttpFields headers(String... pairs) {
        HttpFields.Mutable fields = HttpFields.build().add("Host", "127.0.0.1:8443");
        for (int i = 0; i < pairs.length; i += 2) {
            fields.add(pairs[i], pairs[i + 1]);
        }
        return fields;
    }

    @Test
    void readsNeedNoProof() {
        assertThat(SameOrigin.refusal("GET", headers())).isEmpty();
        assertThat(SameOrigin.refusal("HEAD", headers("Origin", "https://evil.example"))).isEmpty();
    }

    @Test
    void aWriteFromTheUisOwnPageGoesThrough() {
        assertThat(SameOrigin.refusal("PUT", headers("Sec-Fetch-Site", "same-origin"))).isEmpty();
        assertThat(SameOrigin.refusal("POST", headers("Origin", "https://127.0.0.1:8443"))).isEmpty();
        assertThat(SameOrigin.refusal("DELETE", headers("Sec-Fetch-Site", "same-origin",
                "Origin", "https://127.0.0.1:8443"))).isEmpty();
    }

    @Test
    void aWriteFromAnywhereElseIsRefused() {
        assertThat(SameOrigin.refusal("POST", headers())).contains(SameOrigin.REFUSAL);
        assertThat(SameOrigin.refusal("POST", headers("Origin", "https://evil.example"))).isPresent();
        assertThat(SameOrigin.refusal("POST", headers("Origin", "null"))).isPresent();
        assertThat(SameOrigin.refusal("POST", headers("Origin", "http://127.0.0.1:8443"))).as("plain HTTP")
                .isPresent();
        assertThat(SameOrigin.refusal("PUT", headers("Sec-Fetch-Site", "cross-site"))).isPresent();
        assertThat(SameOrigin.refusal("PUT", headers("Sec-Fetch-Site", "same-site"))).isPresent();
        assertThat(SameOrigin.refusal("PUT", headers("Sec-Fetch-Site", "same-origin",
                "Origin", "https://evil.example"))).as("the two disagree").isPresent();
    }
}
