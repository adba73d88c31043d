package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskapi.spi.state.AclAuthMethod;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclRole;
import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.AllocationWorkload;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.SigningAlgorithm;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.VerificationKey;
import java.io.IOException;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The documented key layout and value format (docs/cluster.md), without a cluster: other agents depend on both. */
class KeyLayoutAndCodecTest {
    private final KeyLayout layout = new KeyLayout("/taskapi");

    @Test
    void keysAreTheDocumentedOnes() {
        assertEquals("/taskapi/v1/", layout.root());
        assertEquals("/taskapi/v1/acl/tokens/a-1", layout.token("a-1").toString(UTF_8));
        assertEquals("/taskapi/v1/acl/token-secrets/" + KeyLayout.sha256Hex("s"),
                layout.tokenSecret("s").toString(UTF_8));
        assertEquals("043a718774c572bd8a25adbeb1bfcd5c0256ae11cecf9f9c3f925d0e52beaf89", KeyLayout.sha256Hex("s"));
        assertEquals("/taskapi/v1/acl/bootstrap", layout.bootstrap().toString(UTF_8));
        assertEquals("/taskapi/v1/acl/policies/ops", layout.policy("ops").toString(UTF_8));
        assertEquals("/taskapi/v1/variables/default/app/db", layout.variable("default", "app/db").toString(UTF_8));
        assertEquals("/taskapi/v1/acl/roles/r-1", layout.role("r-1").toString(UTF_8));
        assertEquals("/taskapi/v1/acl/role-names/ops", layout.roleName("ops").toString(UTF_8));
        assertEquals("/taskapi/v1/acl/auth/methods/corp", layout.authMethod("corp").toString(UTF_8));
        assertEquals("/taskapi/v1/acl/auth/rules/b-1", layout.bindingRule("b-1").toString(UTF_8));
        assertEquals("/taskapi/v1/acl/auth-method-rules/corp", layout.authMethodRules("corp").toString(UTF_8));
    }

    @Test
    void noCachedPrefixHoldsAnotherPrefixsKeys() {
        // A watch on a prefix sees every key under it: an index or guard key there would reach the cache.
        List<String> cached = List.of(KeyLayout.TOKENS, KeyLayout.POLICIES, KeyLayout.ROLES, KeyLayout.AUTH);
        List<String> others = List.of(KeyLayout.TOKEN_SECRETS, KeyLayout.BOOTSTRAP, KeyLayout.ROLE_NAMES,
                KeyLayout.AUTH_METHOD_RULES);
        for (String prefix : cached) {
            for (String other : others) {
                assertFalse(other.startsWith(prefix), other + " is under " + prefix);
            }
        }
    }

    @Test
    void rolesAuthMethodsAndBindingRulesAreNomadShapedJsonAndReadBackExactly() throws IOException {
        AclRole role = new AclRole("r-1", "ops", "d", List.of("b", "a"), 4, 9);
        String json = Codec.role(role).toString(UTF_8);
        assertEquals("{\"ID\":\"r-1\",\"Name\":\"ops\",\"Description\":\"d\","
                + "\"Policies\":[{\"Name\":\"b\"},{\"Name\":\"a\"}]}", json);
        assertEquals(role, Codec.role(json.getBytes(UTF_8), 4, 9));

        // The config text comes back exactly, spacing and number formats included: it is stored as a string.
        AclAuthMethod method = new AclAuthMethod("corp", "JWT", "global", Duration.ofMinutes(90), true,
                "{ \"BoundAudiences\" : [\"a\"], \"N\": 1.50e2 }", Instant.parse("2030-01-02T03:04:05.123456789Z"),
                Instant.parse("2030-01-03T00:00:00Z"), 3, 7);
        String methodJson = Codec.authMethod(method).toString(UTF_8);
        assertEquals("{\"Name\":\"corp\",\"Type\":\"JWT\",\"TokenLocality\":\"global\","
                + "\"MaxTokenTTL\":5400000000000,\"Default\":true,"
                + "\"Config\":\"{ \\\"BoundAudiences\\\" : [\\\"a\\\"], \\\"N\\\": 1.50e2 }\","
                + "\"CreateTime\":\"2030-01-02T03:04:05.123456789Z\",\"ModifyTime\":\"2030-01-03T00:00:00Z\"}",
                methodJson);
        assertEquals(method, Codec.authMethod(methodJson.getBytes(UTF_8), 3, 7));

        AclBindingRule rule = new AclBindingRule("b-1", "d", "corp", "\"ops\" in list.groups", "role",
                "${value.team}-ops", Instant.parse("2030-01-02T03:04:05Z"), Instant.parse("2030-01-02T03:04:06Z"), 5,
                8);
        assertEquals(rule, Codec.bindingRule(Codec.bindingRule(rule).getBytes(), 5, 8));
    }

    @Test
    void aTokenIsNomadShapedJsonAndReadsBackExactly() throws IOException {
        AclToken token = new AclToken("acc", "sec", "name", AclTokenType.CLIENT, List.of("b", "a"),
                Instant.parse("2030-01-02T03:04:05.123456789Z"), Optional.of(Instant.parse("2031-01-01T00:00:00Z")));

        String json = Codec.token(token).toString(UTF_8);

        assertEquals("{\"AccessorID\":\"acc\",\"SecretID\":\"sec\",\"Name\":\"name\",\"Type\":\"client\","
                + "\"Policies\":[\"b\",\"a\"],\"CreateTime\":\"2030-01-02T03:04:05.123456789Z\","
                + "\"ExpirationTime\":\"2031-01-01T00:00:00Z\"}", json);
        assertEquals(token, Codec.token(json.getBytes(UTF_8)));
    }

    @Test
    void everyRecordReadsBackExactly() throws Exception {
        AclPolicy policy = new AclPolicy("p", "d", "rules", Optional.of(new JobAcl("ns", "job", "g", "t")), 4, 9);
        assertEquals(policy, Codec.policy(Codec.policy(policy).getBytes(), 4, 9));

        StoredVariable variable = new StoredVariable("ns", "a/b", "k1", new byte[] {0, -1, 7}, 0, 0, Instant.EPOCH,
                Instant.EPOCH);
        StoredVariable read = Codec.variable("ns", "a/b", Codec.variable(variable, Instant.parse(
                "2030-01-01T00:00:00Z"), Instant.parse("2030-01-02T00:00:00Z")).getBytes(), 3, 5);
        assertArrayEquals(new byte[] {0, -1, 7}, read.ciphertext());
        assertEquals(variable.stored(3, 5, Instant.parse("2030-01-01T00:00:00Z"),
                Instant.parse("2030-01-02T00:00:00Z")), read);

        NodeInfo node = EtcdNodeRegistryContractTest.node("n");
        assertEquals(node, Codec.node(Codec.node(node).getBytes()));

        Map<String, Optional<String>> metadata = Map.of("a", Optional.of("1"), "gone", Optional.empty());
        assertEquals(metadata, Codec.metadata(Codec.metadata(metadata).getBytes()));

        Codec.Allocation allocation = new Codec.Allocation("node", new AllocationWorkload("ns", "job", "g",
                Set.of("a", "b")), true);
        assertEquals(allocation, Codec.allocation(Codec.allocation(allocation).getBytes()));

        for (String algorithm : List.of("RSA", "Ed25519")) {
            VerificationKey key = new VerificationKey("kid", algorithm.equals("RSA") ? SigningAlgorithm.RS256
                    : SigningAlgorithm.EDDSA, KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPublic());
            assertEquals(key, Codec.verificationKey(Codec.verificationKey(key).getBytes()));
        }
    }

    @Test
    void aValueThatDoesNotDecodeIsAnError() {
        for (String bad : List.of("", "[]", "{}", "{\"AccessorID\":1}", "not json",
                "{\"AccessorID\":\"a\",\"SecretID\":\"s\",\"Name\":\"n\",\"Type\":\"root\",\"Policies\":[],"
                        + "\"CreateTime\":\"2030-01-01T00:00:00Z\"}")) {
            assertThrows(IOException.class, () -> Codec.token(bad.getBytes(UTF_8)), bad);
        }
        for (String bad : List.of("{\"ID\":\"r\",\"Name\":\"n\",\"Description\":\"\",\"Policies\":[\"p\"]}",
                "{\"ID\":\"r\",\"Name\":\"n\",\"Description\":\"\"}")) {
            assertThrows(IOException.class, () -> Codec.role(bad.getBytes(UTF_8), 1, 1), bad);
        }
        assertThrows(IOException.class, () -> Codec.authMethod(("{\"Name\":\"c\",\"Type\":\"JWT\","
                + "\"TokenLocality\":\"local\",\"MaxTokenTTL\":\"1h\",\"Default\":false,\"Config\":\"{}\","
                + "\"CreateTime\":\"2030-01-01T00:00:00Z\",\"ModifyTime\":\"2030-01-01T00:00:00Z\"}")
                .getBytes(UTF_8), 1, 1), "a duration that is not a number of nanoseconds");
        assertThrows(IOException.class, () -> Codec.verificationKey(
                "{\"KeyID\":\"k\",\"Algorithm\":\"none\",\"PublicKey\":\"\"}".getBytes(UTF_8)));
        assertThrows(IOException.class, () -> Codec.variable("ns", "p",
                "{\"KeyID\":\"k\",\"Ciphertext\":\"!!\",\"CreateTime\":\"x\",\"ModifyTime\":\"x\"}".getBytes(UTF_8),
                1, 1));
    }

    @Test
    void theConfigurationRefusesWhatCannotWork() {
        List<URI> endpoints = List.of(URI.create("http://127.0.0.1:2379"));
        assertThrows(IllegalArgumentException.class, () -> EtcdStateConfig.of(List.of(), "/taskapi"));
        assertThrows(IllegalArgumentException.class, () -> EtcdStateConfig.of(endpoints, "taskapi"));
        assertThrows(IllegalArgumentException.class, () -> EtcdStateConfig.of(endpoints, "/taskapi/"));
        assertThrows(IllegalArgumentException.class, () -> EtcdStateConfig.of(endpoints, "/taskapi")
                .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(10), EtcdStateConfig.of(endpoints, "/taskapi").stalenessBound());
    }
}
