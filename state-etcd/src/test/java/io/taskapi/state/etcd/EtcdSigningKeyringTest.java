package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One set of workload-identity signing keys for the cluster: signed on one agent, verified on another. */
class EtcdSigningKeyringTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestCluster cluster;
    private Path directory;
    private RootKey root;
    private String prefix;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void rootKey() throws IOException {
        directory = Files.createTempDirectory("taskapi-signing-");
        root = RootKey.generate(directory.resolve("root.key"));
        prefix = TestCluster.freshPrefix();
    }

    @AfterEach
    void cleanUp() throws IOException {
        cluster.closeConnections();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private record Agent(EtcdSigningKeyring signing, EtcdIdentityKeyStore verifying) {}

    private Agent agent(Optional<RootKey> key) throws StateUnavailableException {
        EtcdState state = cluster.connectDirect(prefix);
        Agent agent = new Agent(state.signingKeys(key), state.identityKeys());
        state.awaitLoaded(WAIT);
        return agent;
    }

    @Test
    void anIdentitySignedOnOneAgentVerifiesOnAnotherUntilItsKeyIsRetired() throws Exception {
        Agent a = agent(Optional.of(root));
        Agent b = agent(Optional.of(RootKey.load(directory.resolve("root.key"))));

        EtcdSigningKeyring.SigningKey first = a.signing().activeSigningKey();
        byte[] signature = sign(first, "claims");

        VerificationKey onB = TwoAgentsTest.awaitValue(() -> b.verifying().findKey(first.keyId()));
        assertTrue(verify(onB, "claims", signature), "B does not verify what A signed");
        assertEquals(first.keyId(), b.signing().activeSigningKey().keyId(), "the agents sign with other keys");
        assertFalse(first.toString().contains("MII"), first.toString());

        String second = b.signing().rotate();
        assertNotEquals(first.keyId(), second);
        TwoAgentsTest.awaitPresent(() -> a.signing().activeSigningKey().keyId().equals(second) ? Optional.of(1)
                : Optional.empty(), true);
        TwoAgentsTest.awaitPresent(() -> a.verifying().findKey(second), true);
        assertTrue(a.verifying().findKey(first.keyId()).isPresent(), "rotation unpublished the previous key");
        assertEquals(2, a.verifying().publishedKeys().size());

        assertThrows(IllegalArgumentException.class, () -> a.signing().retire(second));
        assertTrue(a.signing().retire(first.keyId()));
        TwoAgentsTest.awaitPresent(() -> b.verifying().findKey(first.keyId()), false);
        assertFalse(b.signing().retire(first.keyId()));
    }

    @Test
    void ofAgentsAskingAtOnceForTheFirstSigningKeyAllGetTheSameOne() throws Exception {
        Agent a = agent(Optional.of(root));
        Agent b = agent(Optional.of(root));

        var ids = TwoAgentsTest.race(java.util.List.of(() -> a.signing().activeSigningKey().keyId(),
                () -> b.signing().activeSigningKey().keyId(), () -> a.signing().activeSigningKey().keyId()));

        assertEquals(1, new java.util.HashSet<>(ids).size(), "more than one first key: " + ids);
        TwoAgentsTest.awaitPresent(() -> b.verifying().publishedKeys().size() == 1 ? Optional.of(1)
                : Optional.empty(), true);
    }

    @Test
    void withoutTheRootKeyOrWithAnotherSigningIsSealed() throws Exception {
        String id = agent(Optional.of(root)).signing().activeSigningKey().keyId();
        Agent none = agent(Optional.empty());
        Agent other = agent(Optional.of(RootKey.generate(directory.resolve("other.key"))));

        StateUnavailableException sealed = assertThrows(StateUnavailableException.class,
                () -> none.signing().activeSigningKey());
        assertTrue(sealed.getMessage().contains("sealed"), sealed.getMessage());
        assertThrows(StateUnavailableException.class, () -> other.signing().activeSigningKey());
        assertTrue(other.verifying().findKey(id).isPresent(), "verifying needs no root key");
    }

    private static byte[] sign(EtcdSigningKeyring.SigningKey key, String payload) throws Exception {
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key.privateKey());
        signer.update(payload.getBytes(UTF_8));
        return signer.sign();
    }

    private static boolean verify(VerificationKey key, String payload, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key.publicKey());
        verifier.update(payload.getBytes(UTF_8));
        return verifier.verify(signature);
    }
}
