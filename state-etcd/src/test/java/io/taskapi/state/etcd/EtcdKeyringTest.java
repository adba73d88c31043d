package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.taskapi.spi.state.StateUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One variable keyring for the cluster, wrapped by a root key each agent loads from its own file. */
class EtcdKeyringTest {
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
        directory = Files.createTempDirectory("taskapi-keyring-");
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

    private EtcdKeyring agent(Optional<RootKey> key) throws StateUnavailableException {
        EtcdState state = cluster.connectDirect(prefix);
        EtcdKeyring keyring = state.keyring(key);
        state.awaitLoaded(WAIT);
        return keyring;
    }

    @Test
    void whatOneAgentEncryptsAnotherDecryptsWithTheSameRootKey() throws Exception {
        EtcdKeyring a = agent(Optional.of(root));
        EtcdKeyring b = agent(Optional.of(RootKey.load(directory.resolve("root.key"))));

        var active = a.activeKey();
        byte[] nonce = new byte[12];
        byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, active.getValue(), nonce, "s3cret".getBytes(UTF_8));

        SecretKey onB = TwoAgentsTest.awaitValue(() -> {
            try {
                return Optional.of(b.key(active.getKey()));
            } catch (StateUnavailableException e) {
                return Optional.empty();
            }
        });
        assertArrayEquals("s3cret".getBytes(UTF_8), crypt(Cipher.DECRYPT_MODE, onB, nonce, ciphertext));
        assertEquals(active.getKey(), b.activeKeyId());
    }

    @Test
    void ofAgentsAskingAtOnceForTheFirstKeyAllGetTheSameOne() throws Exception {
        List<EtcdKeyring> agents = List.of(agent(Optional.of(root)), agent(Optional.of(root)),
                agent(Optional.of(root)));
        List<Callable<Object>> asks = new ArrayList<>();
        for (EtcdKeyring agent : agents) {
            asks.add(agent::activeKeyId);
            asks.add(agent::activeKeyId);
        }

        List<Object> ids = TwoAgentsTest.race(asks);

        assertEquals(1, new HashSet<>(ids).size(), "more than one first key: " + ids);
        assertEquals(1, agents.get(0).keys().size());
    }

    @Test
    void aRotationReachesEveryAgentAndOldKeysStayReadable() throws Exception {
        EtcdKeyring a = agent(Optional.of(root));
        EtcdKeyring b = agent(Optional.of(root));
        String first = a.activeKeyId();

        String second = b.rotate();

        assertNotEquals(first, second);
        TwoAgentsTest.awaitPresent(() -> a.activeKeyId().equals(second) ? Optional.of(1) : Optional.empty(), true);
        assertEquals(b.key(first), a.key(first));
        // The pointer and the key come through two watches: wait for both.
        TwoAgentsTest.awaitPresent(() -> a.keys().size() == 2 ? Optional.of(1) : Optional.empty(), true);
        assertEquals(List.of(first, second), a.keys().stream().map(EtcdKeyring.KeyInfo::id).toList());
        assertTrue(a.keys().get(1).active());
        assertFalse(a.keys().get(0).active());
    }

    @Test
    void etcdHoldsTheKeysOnlyWrapped() throws Exception {
        EtcdKeyring a = agent(Optional.of(root));
        SecretKey key = a.activeKey().getValue();
        String material = Base64.getEncoder().encodeToString(key.getEncoded());

        try (Client client = Client.builder().endpoints(cluster.cluster().endpoints()).build()) {
            List<KeyValue> stored = client.getKVClient().get(ByteSequence.from(prefix, UTF_8),
                    GetOption.builder().isPrefix(true).build()).get().getKvs();
            assertFalse(stored.isEmpty());
            for (KeyValue kv : stored) {
                assertFalse(kv.getValue().toString(UTF_8).contains(material), "a key in clear at " + kv.getKey());
            }
        }
    }

    @Test
    void anAgentWithoutTheRootKeyOrWithAnotherIsSealed() throws Exception {
        String id = agent(Optional.of(root)).activeKeyId();
        EtcdKeyring none = agent(Optional.empty());
        EtcdKeyring other = agent(Optional.of(RootKey.generate(directory.resolve("other.key"))));

        assertTrue(none.isSealed());
        StateUnavailableException sealed = assertThrows(StateUnavailableException.class, none::activeKeyId);
        assertTrue(sealed.getMessage().contains("sealed"), sealed.getMessage());
        TwoAgentsTest.awaitPresent(() -> other.keys().isEmpty() ? Optional.empty() : Optional.of(1), true);
        assertThrows(StateUnavailableException.class, () -> other.key(id));
        assertThrows(StateUnavailableException.class, other::activeKeyId);
        assertEquals(1, other.keys().size(), "an agent with another root key made a key of its own");
    }

    @Test
    void aRootKeyFileReadableByOthersOrNotAKeyIsRefused() throws IOException {
        Path open = directory.resolve("open.key");
        Files.writeString(open, Base64.getEncoder().encodeToString(new byte[32]));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThrows(IOException.class, () -> RootKey.load(open));

        Path shortKey = directory.resolve("short.key");
        Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[16]));
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        IOException refused = assertThrows(IOException.class, () -> RootKey.load(shortKey));
        assertFalse(refused.getMessage().contains(Base64.getEncoder().encodeToString(new byte[16])));
        assertEquals("RootKey[<redacted>]", root.toString());
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] nonce, byte[] input) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(128, nonce));
        return cipher.doFinal(input);
    }
}
