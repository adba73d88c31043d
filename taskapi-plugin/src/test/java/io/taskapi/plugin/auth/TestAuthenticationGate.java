package io.taskapi.plugin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestAuthenticationGate {
    private final AuthFixture fixture = new AuthFixture();

    @Test
    void aclSecretGoesToTheAclVerifier() throws Exception {
        String secret = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        AclToken token = new AclToken("accessor", secret, "ops", AclTokenType.MANAGEMENT, List.of(), Tokens.NOW,
                Optional.empty());
        fixture.aclTokens.add(token);

        assertThat(fixture.gate.authenticate(secret)).isEqualTo(new AclTokenIdentity(token));
    }

    @Test
    void unknownUuidIsRefusedNotAllowed() {
        // Nomad with ACLs disabled lets any non-empty string through; here there is no such path.
        fixture.rejectAtGate("00000000-0000-0000-0000-000000000000", RejectionReason.UNKNOWN_TOKEN);
    }

    @Test
    void anythingElseIsUnrecognized() {
        CredentialRejectedException e = fixture.rejectAtGate("hunter2", RejectionReason.UNRECOGNIZED);
        assertThat(e).hasMessage("credential is neither an ACL token nor a workload identity");
        fixture.rejectAtGate("", RejectionReason.UNRECOGNIZED);
        fixture.rejectAtGate("acls-disabled", RejectionReason.UNRECOGNIZED);
    }

    @Test
    void tooLongIsRefusedBeforeAnyVerifierSeesIt() {
        List<String> seen = new ArrayList<>();
        AuthenticationGate gate = new AuthenticationGate(Set.of(recording("A", seen, true)), fixture.config);

        String tooLong = "x".repeat(fixture.config.maxTokenLength() + 1);
        assertThatThrownBy(() -> gate.authenticate(tooLong))
                .isInstanceOfSatisfying(CredentialRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNRECOGNIZED))
                .hasMessage("credential too long");
        assertThat(seen).isEmpty();
    }

    @Test
    void exactlyTheMaximumLengthIsPassedOn() throws Exception {
        List<String> seen = new ArrayList<>();
        AuthenticationGate gate = new AuthenticationGate(Set.of(recording("A", seen, true)), fixture.config);

        gate.authenticate("x".repeat(fixture.config.maxTokenLength()));
        assertThat(seen).containsExactly("A");
    }

    @Test
    void verifiersAreAskedInClassNameOrderAndTheFirstThatRecognizesDecides() throws Exception {
        List<String> seen = new ArrayList<>();
        IdentityVerifier a = new AlphaVerifier(seen);
        IdentityVerifier b = new BetaVerifier(seen);
        for (int i = 0; i < 20; i++) {
            seen.clear();
            AuthenticationGate gate = new AuthenticationGate(i % 2 == 0 ? Set.of(a, b) : Set.of(b, a),
                    fixture.config);
            assertThat(gate.verifiers()).containsExactly(a, b);
            gate.authenticate("cred");
            assertThat(seen).containsExactly("recognizes:Alpha", "verify:Alpha");
        }
    }

    @Test
    void stateUnavailablePropagates() {
        IdentityVerifier down = new IdentityVerifier() {
            @Override
            public boolean recognizes(String credential) {
                return true;
            }

            @Override
            public Identity verify(String credential) throws StateUnavailableException {
                throw new StateUnavailableException("keyring down");
            }
        };
        AuthenticationGate gate = new AuthenticationGate(Set.of(down), fixture.config);
        assertThatThrownBy(() -> gate.authenticate("a.b.c")).isInstanceOf(StateUnavailableException.class);
    }

    @Test
    void noVerifiersIsAConfigurationError() {
        assertThatThrownBy(() -> new AuthenticationGate(Set.of(), TaskApiConfig.defaults().auth()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static IdentityVerifier recording(String name, List<String> seen, boolean recognizes) {
        return new IdentityVerifier() {
            @Override
            public boolean recognizes(String credential) {
                seen.add(name);
                return recognizes;
            }

            @Override
            public Identity verify(String credential) {
                return identity();
            }
        };
    }

    private static Identity identity() {
        return new AclTokenIdentity(new AclToken("accessor", "secret", "n", AclTokenType.CLIENT, List.of(),
                Tokens.NOW, Optional.empty()));
    }

    private static final class AlphaVerifier implements IdentityVerifier {
        private final List<String> seen;

        AlphaVerifier(List<String> seen) {
            this.seen = seen;
        }

        @Override
        public boolean recognizes(String credential) {
            seen.add("recognizes:Alpha");
            return true;
        }

        @Override
        public Identity verify(String credential) {
            seen.add("verify:Alpha");
            return identity();
        }
    }

    private static final class BetaVerifier implements IdentityVerifier {
        private final List<String> seen;

        BetaVerifier(List<String> seen) {
            this.seen = seen;
        }

        @Override
        public boolean recognizes(String credential) {
            seen.add("recognizes:Beta");
            return true;
        }

        @Override
        public Identity verify(String credential) {
            seen.add("verify:Beta");
            return identity();
        }
    }
}
