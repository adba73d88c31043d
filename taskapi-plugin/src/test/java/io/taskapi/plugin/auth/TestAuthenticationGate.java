package io.taskapi.plugin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import io.taskapi.plugin.config.TaskApiConfig;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StateUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
        AuthenticationGate gate = new AuthenticationGate(List.of(recording("A", seen, true)), fixture.config);

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
        AuthenticationGate gate = new AuthenticationGate(List.of(recording("A", seen, true)), fixture.config);

        gate.authenticate("x".repeat(fixture.config.maxTokenLength()));
        assertThat(seen).containsExactly("A");
    }

    @Test
    void verifiersAreAskedInTheOrderGivenAndTheFirstThatRecognizesDecides() throws Exception {
        List<String> seen = new ArrayList<>();
        IdentityVerifier a = new AlphaVerifier(seen);
        IdentityVerifier b = new BetaVerifier(seen);

        AuthenticationGate alphaFirst = new AuthenticationGate(List.of(a, b), fixture.config);
        assertThat(alphaFirst.verifiers()).containsExactly(a, b);
        alphaFirst.authenticate("cred");
        assertThat(seen).containsExactly("recognizes:Alpha", "verify:Alpha");

        seen.clear();
        AuthenticationGate betaFirst = new AuthenticationGate(List.of(b, a), fixture.config);
        assertThat(betaFirst.verifiers()).containsExactly(b, a);
        betaFirst.authenticate("cred");
        assertThat(seen).containsExactly("recognizes:Beta", "verify:Beta");
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
        AuthenticationGate gate = new AuthenticationGate(List.of(down), fixture.config);
        assertThatThrownBy(() -> gate.authenticate("a.b.c")).isInstanceOf(StateUnavailableException.class);
    }

    @Test
    void noVerifiersIsAConfigurationError() {
        assertThatThrownBy(() -> new AuthenticationGate(List.of(), TaskApiConfig.defaults().auth()))
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

    @Test
    void aCredentialPresentedWhileItIsBeingVerifiedSharesThatVerification() throws Exception {
        assertThat(concurrentVerifications("good")).isEqualTo(1);
        assertThat(concurrentVerifications("forged")).isEqualTo(1);
    }

    /**
     * Eight callers present one credential while its first verification is held: every caller gets that
     * verification's outcome (the identity, or the refusal), and the verifier runs how many times?
     */
    private int concurrentVerifications(String credential) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger verifications = new AtomicInteger();
        Identity identity = new AnonymousIdentity();
        IdentityVerifier held = new IdentityVerifier() {
            @Override
            public boolean recognizes(String presented) {
                return true;
            }

            @Override
            public Identity verify(String presented) throws CredentialRejectedException {
                verifications.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (presented.equals("forged")) {
                    throw new CredentialRejectedException(RejectionReason.BAD_SIGNATURE, "signature invalid");
                }
                return identity;
            }
        };
        AuthenticationGate gate = new AuthenticationGate(List.of(held), fixture.config);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch arrived = new CountDownLatch(8);
            List<Future<Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                outcomes.add(callers.submit(() -> {
                    arrived.countDown();
                    try {
                        return gate.authenticate(credential);
                    } catch (CredentialRejectedException e) {
                        return e.reason();
                    }
                }));
            }
            arrived.await();
            await().atMost(Duration.ofSeconds(10)).until(() -> gate.isBeingVerified(credential));
            Thread.sleep(200); // every caller reaches the gate while the first verification is held
            release.countDown();
            for (Future<Object> outcome : outcomes) {
                assertThat(outcome.get(10, TimeUnit.SECONDS))
                        .isEqualTo(credential.equals("forged") ? RejectionReason.BAD_SIGNATURE : identity);
            }
            assertThat(gate.isBeingVerified(credential)).as("nothing left in flight").isFalse();
            return verifications.get();
        } finally {
            callers.shutdownNow();
        }
    }
}
