package io.taskapi.plugin.auth;

import static io.taskapi.plugin.auth.Tokens.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenStore;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestAclTokenVerifier {
    private static final String SECRET = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private static final AclToken TOKEN = new AclToken("b780e702-98ce-521f-2e5f-c6b87b05b4f6", SECRET, "ops",
            AclTokenType.CLIENT, List.of("readonly"), NOW.minusSeconds(3600), Optional.empty());

    private final AuthFixture fixture = new AuthFixture();

    @Test
    void knownTokenPasses() throws Exception {
        fixture.aclTokens.add(TOKEN);

        Identity identity = fixture.acl.verify(SECRET);

        assertThat(identity).isEqualTo(new AclTokenIdentity(TOKEN));
        assertThat(identity.auditName()).isEqualTo("token:" + TOKEN.accessorId());
        assertThat(fixture.gate.authenticate(SECRET)).isEqualTo(identity);
    }

    @Test
    void unknownTokenRejected() {
        assertThatThrownBy(() -> fixture.acl.verify(SECRET))
                .isInstanceOfSatisfying(CredentialRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_TOKEN))
                .hasMessage("ACL token not found");
    }

    @Test
    void expiredTokenRejected() {
        fixture.aclTokens.add(withExpiry(NOW.minusSeconds(1)));

        assertThatThrownBy(() -> fixture.acl.verify(SECRET))
                .isInstanceOfSatisfying(CredentialRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.EXPIRED_TOKEN))
                .hasMessage("ACL token expired");
    }

    @Test
    void tokenExpiresExactlyAtItsExpirationTime() throws Exception {
        fixture.aclTokens.add(withExpiry(NOW.plusSeconds(1)));
        assertThat(fixture.acl.verify(SECRET)).isInstanceOf(AclTokenIdentity.class);

        fixture.clock.set(NOW.plusSeconds(1));
        assertThatThrownBy(() -> fixture.acl.verify(SECRET)).isInstanceOf(CredentialRejectedException.class);
    }

    @Test
    void storeFailurePropagatesStateUnavailable() throws Exception {
        AclTokenStore failing = mock(AclTokenStore.class);
        when(failing.findBySecretId(any())).thenThrow(new StateUnavailableException("raft has no leader"));
        AclTokenVerifier verifier = new AclTokenVerifier(failing, fixture.clock);

        assertThatThrownBy(() -> verifier.verify(SECRET))
                .isInstanceOf(StateUnavailableException.class)
                .hasMessage("raft has no leader");
    }

    @Test
    void storeThrowingUncheckedBecomesStateUnavailableWithoutItsMessage() throws Exception {
        AclTokenStore broken = mock(AclTokenStore.class);
        when(broken.findBySecretId(any())).thenThrow(new IllegalStateException("no row for " + SECRET));
        AclTokenVerifier verifier = new AclTokenVerifier(broken, fixture.clock);

        assertThatThrownBy(() -> verifier.verify(SECRET))
                .isInstanceOf(StateUnavailableException.class)
                .hasNoCause()
                .message().doesNotContain(SECRET);
    }

    @Test
    void storeAnswerWithADifferentSecretRejected() throws Exception {
        // A store that matched loosely (here: ignoring case) must not let the caller in.
        AclTokenStore loose = FakeAclTokens.answering(secret -> Optional.of(TOKEN));
        AclTokenVerifier verifier = new AclTokenVerifier(loose, fixture.clock);

        assertThat(verifier.verify(SECRET)).isInstanceOf(AclTokenIdentity.class);
        assertThatThrownBy(() -> verifier.verify(SECRET.toUpperCase(Locale.ROOT)))
                .isInstanceOfSatisfying(CredentialRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_TOKEN));
    }

    @Test
    void recognizesUuidShapesOnly() {
        assertThat(fixture.acl.recognizes(SECRET)).isTrue();
        assertThat(fixture.acl.recognizes(SECRET.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(fixture.acl.recognizes(SECRET.replace("-", ""))).isFalse();
        assertThat(fixture.acl.recognizes(SECRET + "0")).isFalse();
        assertThat(fixture.acl.recognizes("3f2504e0-4f89-41d3-9a0c-0305e82c330g")).isFalse();
        assertThat(fixture.acl.recognizes("a.b.c")).isFalse();
        assertThat(fixture.acl.recognizes("")).isFalse();
    }

    private static AclToken withExpiry(java.time.Instant expiry) {
        return new AclToken(TOKEN.accessorId(), SECRET, "ops", AclTokenType.CLIENT, List.of(), NOW.minusSeconds(3600),
                Optional.of(expiry));
    }
}
