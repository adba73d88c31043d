package io.taskapi.plugin.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestBase64Url {
    @Test
    void decodesEveryLengthLikeTheJdk() throws Exception {
        Random random = new Random(42);
        for (int length = 0; length < 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertThat(Base64Url.decode(encoded)).isEqualTo(bytes);
        }
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"AA==", "AAA=", "A", "AAAAA", "AA AA", "AA\nAA", "AA+A", "AA/A", "AA.A", "AB", "AAB",
            "AAAAAB", "é", "AA%3D"})
    void nonCanonicalOrForeignInputRejected(String text) {
        assertThatThrownBy(() -> Base64Url.decode(text)).isInstanceOf(CredentialRejectedException.class);
    }

    @Test
    void emptyDecodesToNothing() throws Exception {
        assertThat(Base64Url.decode("")).isEmpty();
    }
}
