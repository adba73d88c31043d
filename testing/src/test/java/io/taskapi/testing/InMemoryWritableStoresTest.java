package io.taskapi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.NodeInfo;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The in-memory policy, node, node metadata and variable stores behave as the SPI says. */
class InMemoryWritableStoresTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00.123456789Z");
    private static final OptionalLong NO_CAS = OptionalLong.empty();

    // ---- policies

    @Test
    void policiesGetIndexesKeepTheirCreateIndexAndListByName() throws Exception {
        InMemoryAclPolicyStore policies = new InMemoryAclPolicyStore();

        AclPolicy first = policies.put(new AclPolicy("zeta", "d", "rules", Optional.empty(), 7, 7));
        AclPolicy job = policies.createJobPolicy("alpha", "rules", new JobAcl("default", "web", "", ""));
        AclPolicy replaced = policies.put(new AclPolicy("zeta", "d2", "rules2", Optional.empty(), 0, 0));
        policies.createPolicy("Beta", "rules");

        assertThat(first.createIndex()).isEqualTo(1);
        assertThat(first.modifyIndex()).isEqualTo(1);
        assertThat(job.jobAcl()).contains(new JobAcl("default", "web", "", ""));
        assertThat(replaced.createIndex()).isEqualTo(1);
        assertThat(replaced.modifyIndex()).isEqualTo(3);
        assertThat(policies.find("zeta")).contains(replaced);
        assertThat(policies.find("missing")).isEmpty();
        assertThat(policies.list()).extracting(AclPolicy::name).containsExactly("Beta", "alpha", "zeta");
        assertThat(policies.delete("alpha")).isTrue();
        assertThat(policies.delete("alpha")).isFalse();
        assertThat(policies.policies()).extracting(AclPolicy::name).containsExactly("Beta", "zeta");
    }

    @Test
    void policySubscribersHearOfChangesOnly() throws Exception {
        InMemoryAclPolicyStore policies = new InMemoryAclPolicyStore();
        AtomicInteger changes = new AtomicInteger();
        Subscription subscription = policies.onChange(changes::incrementAndGet);

        policies.createPolicy("p", "rules");
        policies.delete("p");
        policies.delete("p");
        assertThat(policies.subscriberCount()).isEqualTo(1);
        subscription.close();
        policies.createPolicy("q", "rules");

        assertThat(changes).hasValue(2);
        assertThat(policies.subscriberCount()).isZero();
    }

    @Test
    void unavailablePolicyStoreThrowsButItsSideDoorWorks() throws Exception {
        InMemoryAclPolicyStore policies = new InMemoryAclPolicyStore();
        policies.faults().setUnavailable(true);

        assertThatThrownBy(() -> policies.find("p")).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("ACL policy store");
        assertThatThrownBy(policies::list).isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> policies.put(new AclPolicy("p", "", "", Optional.empty(), 0, 0)))
                .isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> policies.delete("p")).isInstanceOf(StateUnavailableException.class);
        policies.createPolicy("p", "rules");
        assertThat(policies.policies()).hasSize(1);
        assertThat(policies.faults().lookupCount()).isEqualTo(2);
        policies.faults().setUnavailable(false);
        assertThat(policies.find("p")).isPresent();
    }

    // ---- nodes

    @Test
    void theRegistryKnowsOneLocalNodeByDefault() throws Exception {
        InMemoryNodeRegistry nodes = new InMemoryNodeRegistry();

        NodeInfo local = nodes.localNode();
        assertThat(UUID.fromString(nodes.localNodeId()).toString()).isEqualTo(local.id());
        assertThat(local.name()).isEqualTo("test-node");
        assertThat(local.datacenter()).isEqualTo("dc1");
        assertThat(local.nodePool()).isEqualTo("default");
        assertThat(local.nodeClass()).isEmpty();
        assertThat(local.status()).isEqualTo("ready");
        assertThat(local.attributes()).containsEntry("kernel.name", "linux");
        assertThat(local.staticMeta()).isNotEmpty();
        assertThat(nodes.list()).containsExactly(local);
        assertThat(nodes.find(local.id())).contains(local);
        assertThat(nodes.find("missing")).isEmpty();
        assertThat(new InMemoryNodeRegistry().localNodeId()).isNotEqualTo(local.id());
    }

    @Test
    void nodesCanBeAddedReplacedAndRemovedButTheLocalOneStays() throws Exception {
        InMemoryNodeRegistry nodes = new InMemoryNodeRegistry(new NodeInfo("00000000-0000-0000-0000-000000000005",
                "local", "dc2", "gpu", "big", "ready", Map.of(), Map.of("a", "b")));
        NodeInfo other = new NodeInfo("00000000-0000-0000-0000-000000000001", "other", "dc1", "default", "",
                "down", Map.of(), Map.of());

        nodes.put(other);
        nodes.put(new NodeInfo(nodes.localNodeId(), "local", "dc2", "gpu", "big", "disconnected", Map.of(),
                Map.of()));

        assertThat(nodes.list()).extracting(NodeInfo::id).containsExactly(other.id(), nodes.localNodeId());
        assertThat(nodes.localNode().status()).isEqualTo("disconnected");
        assertThat(nodes.remove(other.id())).isTrue();
        assertThat(nodes.remove(other.id())).isFalse();
        assertThatThrownBy(() -> nodes.remove(nodes.localNodeId())).isInstanceOf(IllegalArgumentException.class);
        assertThat(InMemoryNodeRegistry.node("x").name()).isEqualTo("x");
    }

    @Test
    void unavailableRegistryStillKnowsItsLocalNodeId() throws Exception {
        InMemoryNodeRegistry nodes = new InMemoryNodeRegistry();
        nodes.faults().setUnavailable(true);

        assertThatThrownBy(nodes::list).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("node registry");
        assertThatThrownBy(() -> nodes.find(nodes.localNodeId())).isInstanceOf(StateUnavailableException.class);
        assertThat(nodes.localNodeId()).isNotEmpty();
        assertThat(nodes.nodes()).hasSize(1);
        assertThat(nodes.faults().lookupCount()).isEqualTo(2);
    }

    // ---- node metadata

    @Test
    void nodeMetadataIsReplacedWholeAndKeepsTombstones() throws Exception {
        InMemoryNodeMetadataStore metadata = new InMemoryNodeMetadataStore();
        assertThat(metadata.read("n")).isEmpty();

        metadata.write("n", Map.of("a", Optional.of("1"), "b", Optional.of("2")));
        metadata.write("n", Map.of("b", Optional.empty(), "c", Optional.of("3")));

        assertThat(metadata.read("n")).isEqualTo(Map.of("b", Optional.empty(), "c", Optional.of("3")));
        assertThat(metadata.read("n").keySet()).containsExactly("b", "c");
        assertThat(metadata.read("other")).isEmpty();
        assertThatThrownBy(() -> metadata.read("n").put("x", Optional.empty()))
                .isInstanceOf(UnsupportedOperationException.class);
        Map<String, Optional<String>> withNull = new HashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> metadata.write("n", withNull)).isInstanceOf(NullPointerException.class);
        assertThat(metadata.writeCount()).isEqualTo(2);
    }

    @Test
    void unavailableNodeMetadataStoreThrows() throws Exception {
        InMemoryNodeMetadataStore metadata = new InMemoryNodeMetadataStore();
        metadata.write("n", Map.of("a", Optional.of("1")));
        metadata.faults().setUnavailable(true);

        assertThatThrownBy(() -> metadata.read("n")).isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> metadata.write("n", Map.of())).isInstanceOf(StateUnavailableException.class);
        assertThat(metadata.metadata("n")).containsKey("a");
        assertThat(metadata.faults().lookupCount()).isEqualTo(1);
    }

    // ---- variables

    @Test
    void variablesGetIndexesAndTimes() throws Exception {
        TestingClock clock = new TestingClock(NOW);
        InMemoryVariableStore variables = new InMemoryVariableStore(clock);

        StoredVariable first = variables.put(variable("default", "a", "one"), NO_CAS);
        clock.advance(Duration.ofSeconds(1));
        StoredVariable second = variables.put(variable("default", "a", "two"), NO_CAS);

        assertThat(first.createIndex()).isEqualTo(1);
        assertThat(first.createTime()).isEqualTo(NOW);
        assertThat(second.createIndex()).isEqualTo(1);
        assertThat(second.modifyIndex()).isEqualTo(2);
        assertThat(second.createTime()).isEqualTo(NOW);
        assertThat(second.modifyTime()).isEqualTo(NOW.plusSeconds(1));
        assertThat(variables.get("default", "a")).contains(second);
        assertThat(variables.get("other", "a")).isEmpty();
    }

    @Test
    void checkAndSetOnPutFollowsNomad() throws Exception {
        InMemoryVariableStore variables = new InMemoryVariableStore();

        // 0 on absent: created
        StoredVariable created = variables.put(variable("default", "a", "one"), OptionalLong.of(0));
        // 0 on present: conflict with the current one
        assertConflict(() -> variables.put(variable("default", "a", "x"), OptionalLong.of(0)), created);
        // N matching: updated
        StoredVariable updated = variables.put(variable("default", "a", "two"),
                OptionalLong.of(created.modifyIndex()));
        // N stale: conflict with the current one
        assertConflict(() -> variables.put(variable("default", "a", "x"), OptionalLong.of(created.modifyIndex())),
                updated);
        // N on absent: conflict with nothing
        assertConflict(() -> variables.put(variable("default", "b", "x"), OptionalLong.of(9)), null);

        assertThat(variables.variables()).containsExactly(updated);
    }

    @Test
    void checkAndSetOnDeleteFollowsNomad() throws Exception {
        InMemoryVariableStore variables = new InMemoryVariableStore();
        StoredVariable old = variables.put(variable("default", "a", "one"), NO_CAS);
        StoredVariable current = variables.put(variable("default", "a", "two"), NO_CAS);

        assertThat(variables.delete("default", "missing", OptionalLong.of(0))).isFalse();
        assertConflict(() -> variables.delete("default", "a", OptionalLong.of(0)), current);
        assertConflict(() -> variables.delete("default", "a", OptionalLong.of(old.modifyIndex())), current);
        assertConflict(() -> variables.delete("default", "missing", OptionalLong.of(3)), null);
        assertThat(variables.delete("default", "a", OptionalLong.of(current.modifyIndex()))).isTrue();
        assertThat(variables.delete("default", "a", NO_CAS)).isFalse();
        assertThat(variables.variables()).isEmpty();
    }

    @Test
    void listFiltersByNamespaceAndLiteralPrefixAndSorts() throws Exception {
        InMemoryVariableStore variables = new InMemoryVariableStore();
        for (String[] coordinates : new String[][] {{"prod", "b/x"}, {"default", "b/y"}, {"default", "a"},
                {"default", "b/x"}, {"default", "a_b"}, {"default", "axb"}}) {
            variables.put(variable(coordinates[0], coordinates[1], "v"), NO_CAS);
        }

        assertThat(coordinates(variables.list("default", ""))).containsExactly("default:a", "default:a_b",
                "default:axb", "default:b/x", "default:b/y");
        assertThat(coordinates(variables.list("*", "b/"))).containsExactly("default:b/x", "default:b/y",
                "prod:b/x");
        assertThat(coordinates(variables.list("default", "a_"))).containsExactly("default:a_b");
        assertThat(variables.list("nowhere", "")).isEmpty();
    }

    @Test
    void unavailableVariableStoreThrows() throws Exception {
        InMemoryVariableStore variables = new InMemoryVariableStore();
        variables.faults().setUnavailable(true);

        assertThatThrownBy(() -> variables.get("default", "a")).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("variable store");
        assertThatThrownBy(() -> variables.list("*", "")).isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> variables.put(variable("default", "a", "v"), NO_CAS))
                .isInstanceOf(StateUnavailableException.class);
        assertThatThrownBy(() -> variables.delete("default", "a", NO_CAS))
                .isInstanceOf(StateUnavailableException.class);
        assertThat(variables.faults().lookupCount()).isEqualTo(2);
        assertThat(variables.variables()).isEmpty();
    }

    private static void assertConflict(Call call, StoredVariable current) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(CasConflictException.class,
                conflict -> assertThat(conflict.current()).isEqualTo(Optional.ofNullable(current)));
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static List<String> coordinates(List<StoredVariable> list) {
        return list.stream().map(variable -> variable.namespace() + ":" + variable.path()).toList();
    }

    private static StoredVariable variable(String namespace, String path, String content) {
        return new StoredVariable(namespace, path, "key-1", content.getBytes(StandardCharsets.UTF_8), 0, 0,
                Instant.EPOCH, Instant.EPOCH);
    }
}
