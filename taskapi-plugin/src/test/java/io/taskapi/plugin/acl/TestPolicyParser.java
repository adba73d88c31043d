package io.taskapi.plugin.acl;

import static io.taskapi.plugin.acl.NamespaceCapability.ALLOC_EXEC;
import static io.taskapi.plugin.acl.NamespaceCapability.ALLOC_LIFECYCLE;
import static io.taskapi.plugin.acl.NamespaceCapability.CSI_LIST_VOLUME;
import static io.taskapi.plugin.acl.NamespaceCapability.CSI_MOUNT_VOLUME;
import static io.taskapi.plugin.acl.NamespaceCapability.CSI_READ_VOLUME;
import static io.taskapi.plugin.acl.NamespaceCapability.CSI_WRITE_VOLUME;
import static io.taskapi.plugin.acl.NamespaceCapability.DENY;
import static io.taskapi.plugin.acl.NamespaceCapability.DISPATCH_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_CREATE;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_DELETE;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_READ;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_REGISTER;
import static io.taskapi.plugin.acl.NamespaceCapability.HOST_VOLUME_WRITE;
import static io.taskapi.plugin.acl.NamespaceCapability.LIST_JOBS;
import static io.taskapi.plugin.acl.NamespaceCapability.LIST_SCALING_POLICIES;
import static io.taskapi.plugin.acl.NamespaceCapability.PARSE_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_FS;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_JOB_SCALING;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_LOGS;
import static io.taskapi.plugin.acl.NamespaceCapability.READ_SCALING_POLICY;
import static io.taskapi.plugin.acl.NamespaceCapability.SCALE_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.SENTINEL_OVERRIDE;
import static io.taskapi.plugin.acl.NamespaceCapability.SUBMIT_JOB;
import static io.taskapi.plugin.acl.NamespaceCapability.SUBMIT_RECOMMENDATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.taskapi.plugin.acl.Policy.HostVolumeRule;
import io.taskapi.plugin.acl.Policy.NamespaceRule;
import io.taskapi.plugin.acl.Policy.NodePoolRule;
import io.taskapi.plugin.acl.Policy.OperatorRule;
import io.taskapi.plugin.acl.Policy.SentinelRule;
import io.taskapi.plugin.acl.Policy.VariablePathRule;
import io.taskapi.plugin.hcl.HclPosition;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TestPolicyParser {
    // Written out here rather than taken from Expansions, so that changing an expansion fails these tests.
    static final Set<NamespaceCapability> NS_READ = EnumSet.of(LIST_JOBS, PARSE_JOB, READ_JOB, CSI_LIST_VOLUME,
            CSI_READ_VOLUME, READ_JOB_SCALING, LIST_SCALING_POLICIES, READ_SCALING_POLICY, HOST_VOLUME_READ);
    static final Set<NamespaceCapability> NS_WRITE = union(NS_READ, EnumSet.of(SCALE_JOB, SUBMIT_JOB, DISPATCH_JOB,
            READ_LOGS, READ_FS, ALLOC_EXEC, ALLOC_LIFECYCLE, CSI_MOUNT_VOLUME, CSI_WRITE_VOLUME, SUBMIT_RECOMMENDATION,
            HOST_VOLUME_CREATE));
    static final Set<NamespaceCapability> NS_SCALE = EnumSet.of(LIST_SCALING_POLICIES, READ_SCALING_POLICY,
            READ_JOB_SCALING, SCALE_JOB, READ_JOB, SUBMIT_RECOMMENDATION);

    static <C extends Enum<C>> Set<C> union(Set<C> first, Set<C> second) {
        Set<C> out = EnumSet.copyOf(first);
        out.addAll(second);
        return out;
    }

    private static NamespaceRule onlyNamespace(String rules) {
        Policy policy = PolicyParser.parse(rules);
        assertThat(policy.namespaces()).hasSize(1);
        return policy.namespaces().get(0);
    }

    // ---------------------------------------------------------------- Nomad's TestParse, in HCL and in JSON

    static final String NOMAD_HCL = String.join("\n",
            "namespace \"default\" {",
            "  policy = \"read\"",
            "}",
            "namespace \"other\" {",
            "  policy = \"write\"",
            "}",
            "namespace \"secret\" {",
            "  capabilities = [\"deny\", \"read-logs\"]",
            "}",
            "namespace \"apps\" {",
            "  variables {",
            "    path \"jobs/write-does-not-imply-read-or-delete\" {",
            "      capabilities = [\"write\"]",
            "    }",
            "    path \"project/read-implies-list\" {",
            "      capabilities = [\"read\"]",
            "    }",
            "    path \"project/explicit\" {",
            "      capabilities = [\"read\", \"list\", \"destroy\"]",
            "    }",
            "  }",
            "}",
            "namespace \"autoscaler\" {",
            "  policy = \"scale\"",
            "}",
            "host_volume \"production-tls-*\" {",
            "  capabilities = [\"mount-readonly\"]",
            "}",
            "host_volume \"staging-tls-*\" {",
            "  policy = \"write\"",
            "}",
            "node_pool \"prod\" {",
            "  capabilities = [\"read\"]",
            "}",
            "node_pool \"dev\" {",
            "  policy = \"write\"",
            "}",
            "agent {",
            "  policy = \"read\"",
            "}",
            "node {",
            "  policy = \"write\"",
            "}",
            "operator {",
            "  policy = \"deny\"",
            "}",
            "sentinel {",
            "  policy = \"read\"",
            "  capabilities = [\"sentinel-delete\"]",
            "}",
            "quota {",
            "  policy = \"read\"",
            "}",
            "plugin {",
            "  policy = \"read\"",
            "}");

    // Nomad's JSON case, trailing commas and all, plus the sentinel block its JSON case leaves out.
    static final String NOMAD_JSON = String.join("\n",
            "  {",
            "    \"namespace\": [",
            "      {\"default\": {\"policy\": \"read\"},},",
            "      {\"other\": {\"policy\": \"write\"},},",
            "      {\"secret\": {\"capabilities\": [\"deny\", \"read-logs\"]}},",
            "      {\"apps\": {\"variables\": [{\"path\": [",
            "        {\"jobs/write-does-not-imply-read-or-delete\": {\"capabilities\": [\"write\"],},},",
            "        {\"project/read-implies-list\": {\"capabilities\": [\"read\"],},},",
            "        {\"project/explicit\": {\"capabilities\": [\"read\", \"list\", \"destroy\"],},},",
            "      ],},],},},",
            "      {\"autoscaler\": {\"policy\": \"scale\"},},",
            "    ],",
            "    \"host_volume\": [",
            "      {\"production-tls-*\": {\"capabilities\": [\"mount-readonly\"]}},",
            "      {\"staging-tls-*\": {\"policy\": \"write\"}}",
            "    ],",
            "    \"node_pool\": [",
            "      {\"prod\": {\"capabilities\": [\"read\"]}},",
            "      {\"dev\": {\"policy\": \"write\"}}",
            "    ],",
            "    \"agent\": {\"policy\": \"read\"},",
            "    \"node\": {\"policy\": \"write\"},",
            "    \"operator\": {\"policy\": \"deny\"},",
            "    \"sentinel\": {\"policy\": \"read\", \"capabilities\": [\"sentinel-delete\"]},",
            "    \"quota\": {\"policy\": \"read\"},",
            "    \"plugin\": {\"policy\": \"read\"}",
            "  }");

    static final Policy NOMAD_EXPECTED = new Policy(
            List.of(
                    new NamespaceRule("default", Optional.of(PolicyDisposition.READ), NS_READ, List.of()),
                    new NamespaceRule("other", Optional.of(PolicyDisposition.WRITE), NS_WRITE, List.of()),
                    new NamespaceRule("secret", Optional.empty(), EnumSet.of(DENY, READ_LOGS), List.of()),
                    new NamespaceRule("apps", Optional.empty(), EnumSet.noneOf(NamespaceCapability.class), List.of(
                            new VariablePathRule("jobs/write-does-not-imply-read-or-delete",
                                    EnumSet.of(VariableCapability.WRITE)),
                            new VariablePathRule("project/read-implies-list",
                                    EnumSet.of(VariableCapability.READ, VariableCapability.LIST)),
                            new VariablePathRule("project/explicit", EnumSet.of(VariableCapability.READ,
                                    VariableCapability.LIST, VariableCapability.DESTROY)))),
                    new NamespaceRule("autoscaler", Optional.of(PolicyDisposition.SCALE), NS_SCALE, List.of())),
            List.of(
                    new NodePoolRule("prod", Optional.empty(), EnumSet.of(NodePoolCapability.READ)),
                    new NodePoolRule("dev", Optional.of(PolicyDisposition.WRITE), EnumSet.of(NodePoolCapability.DELETE,
                            NodePoolCapability.READ, NodePoolCapability.WRITE))),
            List.of(
                    new HostVolumeRule("production-tls-*", Optional.empty(),
                            EnumSet.of(HostVolumeCapability.MOUNT_READONLY)),
                    new HostVolumeRule("staging-tls-*", Optional.of(PolicyDisposition.WRITE),
                            EnumSet.of(HostVolumeCapability.MOUNT_READONLY, HostVolumeCapability.MOUNT_READWRITE))),
            Optional.of(PolicyDisposition.READ),
            Optional.of(PolicyDisposition.WRITE),
            Optional.of(PolicyDisposition.READ),
            Optional.of(PolicyDisposition.READ),
            Optional.of(new OperatorRule(Optional.of(PolicyDisposition.DENY), EnumSet.of(OperatorCapability.DENY))),
            Optional.of(new SentinelRule(Optional.of(PolicyDisposition.READ),
                    EnumSet.of(SentinelCapability.SENTINEL_READ, SentinelCapability.SENTINEL_DELETE))));

    @Test
    void nomadsFullPolicyInHcl() {
        assertThat(PolicyParser.parse(NOMAD_HCL)).isEqualTo(NOMAD_EXPECTED);
    }

    @Test
    void nomadsFullPolicyInJson() {
        assertThat(PolicyParser.parse(NOMAD_JSON)).isEqualTo(NOMAD_EXPECTED);
    }

    @Test
    void jsonObjectFormIsTheSameAsTheListForm() {
        String json = "{\"namespace\": {\"default\": {\"policy\": \"read\"}, \"other\": {\"policy\": \"write\"}},"
                + " \"node_pool\": {\"prod\": {\"capabilities\": [\"read\"]}}}";
        String hcl = "namespace \"default\" {\n  policy = \"read\"\n}\nnamespace \"other\" {\n  policy = \"write\"\n}\n"
                + "node_pool \"prod\" {\n  capabilities = [\"read\"]\n}\n";
        assertThat(PolicyParser.parse(json)).isEqualTo(PolicyParser.parse(hcl));
    }

    @Test
    void emptyRulesAreAnEmptyPolicy() {
        Policy policy = PolicyParser.parse("");
        assertThat(policy.isEmpty()).isTrue();
        assertThat(policy).isEqualTo(Policy.empty());
        assertThat(PolicyParser.parse("agent {\n  policy = \"read\"\n}").isEmpty()).isFalse();
    }

    @Test
    void sameLabelTwiceIsKeptTwiceInOrder() {
        // Nomad accepts it (one entry per block) and NewACL merges them; nothing is dropped here either.
        Policy policy = PolicyParser.parse("namespace \"a\" {\n  policy = \"read\"\n}\nnamespace \"b\" {}\n"
                + "namespace \"a\" {\n  capabilities = [\"deny\"]\n}\n");
        assertThat(policy.namespaces()).extracting(NamespaceRule::name).containsExactly("a", "b", "a");
        assertThat(policy.namespaces().get(2).capabilities()).containsExactly(DENY);
    }

    @Test
    void emptyNamespaceBlockIsValidAndGrantsNothing() {
        NamespaceRule rule = onlyNamespace("namespace \"foo\" {}");
        assertThat(rule.policy()).isEmpty();
        assertThat(rule.capabilities()).isEmpty();
        assertThat(rule.variables()).isEmpty();
    }

    // ---------------------------------------------------------------- dispositions and their expansions

    static Stream<Arguments> namespaceDispositions() {
        return Stream.of(
                arguments("deny", EnumSet.of(DENY)),
                arguments("read", NS_READ),
                arguments("write", NS_WRITE),
                arguments("scale", NS_SCALE));
    }

    @ParameterizedTest(name = "namespace policy {0}")
    @MethodSource("namespaceDispositions")
    void namespaceDispositionExpands(String policy, Set<NamespaceCapability> expected) {
        NamespaceRule rule = onlyNamespace("namespace \"a\" {\n  policy = \"" + policy + "\"\n}");
        assertThat(rule.policy()).contains(PolicyDisposition.fromWireName(policy).orElseThrow());
        assertThat(rule.capabilities()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void namespaceWriteIsReadPlusElevenAndScaleIsItsOwnSet() {
        assertThat(NS_READ).hasSize(9);
        assertThat(NS_WRITE).hasSize(20).containsAll(NS_READ);
        assertThat(NS_SCALE).hasSize(6).doesNotContain(LIST_JOBS, SUBMIT_JOB).contains(SCALE_JOB, READ_JOB);
    }

    static Stream<Arguments> impliedNamespaceCapabilities() {
        return Stream.of(
                arguments(List.of("host-volume-write"), EnumSet.of(HOST_VOLUME_WRITE, HOST_VOLUME_REGISTER,
                        HOST_VOLUME_CREATE, HOST_VOLUME_DELETE, HOST_VOLUME_READ)),
                arguments(List.of("host-volume-register"), EnumSet.of(HOST_VOLUME_REGISTER, HOST_VOLUME_CREATE,
                        HOST_VOLUME_READ)),
                arguments(List.of("host-volume-create"), EnumSet.of(HOST_VOLUME_CREATE, HOST_VOLUME_READ)),
                arguments(List.of("host-volume-read"), EnumSet.of(HOST_VOLUME_READ)),
                arguments(List.of("host-volume-delete"), EnumSet.of(HOST_VOLUME_DELETE)),
                arguments(List.of("submit-job"), EnumSet.of(SUBMIT_JOB)),
                arguments(List.of("sentinel-override"), EnumSet.of(SENTINEL_OVERRIDE)),
                arguments(List.of("deny", "read-logs"), EnumSet.of(DENY, READ_LOGS)),
                arguments(List.of(), EnumSet.noneOf(NamespaceCapability.class)));
    }

    @ParameterizedTest(name = "capabilities {0}")
    @MethodSource("impliedNamespaceCapabilities")
    void namespaceCapabilitiesImplyOthers(List<String> written, Set<NamespaceCapability> expected) {
        String list = written.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
        NamespaceRule rule = onlyNamespace("namespace \"a\" {\n  capabilities = [" + list + "]\n}");
        assertThat(rule.capabilities()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void policyAndCapabilitiesAdd() {
        NamespaceRule rule = onlyNamespace("namespace \"a\" {\n  policy = \"read\"\n"
                + "  capabilities = [\"submit-job\", \"host-volume-register\"]\n}");
        assertThat(rule.capabilities()).containsExactlyInAnyOrderElementsOf(
                union(NS_READ, EnumSet.of(SUBMIT_JOB, HOST_VOLUME_REGISTER, HOST_VOLUME_CREATE)));
    }

    @ParameterizedTest(name = "namespace capability {0}")
    @EnumSource(NamespaceCapability.class)
    void everyNamespaceCapabilityParses(NamespaceCapability capability) {
        NamespaceRule rule = onlyNamespace("namespace \"a\" {\n  capabilities = [\"" + capability.wireName() + "\"]\n}");
        assertThat(rule.capabilities()).contains(capability);
    }

    @Test
    void capabilityNamesAreNomads() {
        // Nomad's constants at aa026cc99c; a rename or a removal here would break stored policies.
        assertThat(Arrays.stream(NamespaceCapability.values()).map(Capability::wireName)).containsExactly(
                "deny", "list-jobs", "parse-job", "read-job", "submit-job", "dispatch-job", "read-logs", "read-fs",
                "alloc-exec", "alloc-node-exec", "alloc-lifecycle", "sentinel-override", "csi-register-plugin",
                "csi-write-volume", "csi-read-volume", "csi-list-volume", "csi-mount-volume", "host-volume-create",
                "host-volume-register", "host-volume-read", "host-volume-write", "host-volume-delete",
                "list-scaling-policies", "read-scaling-policy", "read-job-scaling", "scale-job",
                "submit-recommendation", "register-job", "revert-job", "deregister-job", "purge-job", "evaluate-job",
                "plan-job", "tag-job-version", "stable-job", "fail-deployment", "pause-deployment",
                "promote-deployment", "unblock-deployment", "cancel-deployment", "set-alloc-health-deployment",
                "gc-allocation", "pause-allocation", "force-periodic-job", "delete-service-registration");
        assertThat(Arrays.stream(VariableCapability.values()).map(Capability::wireName))
                .containsExactlyInAnyOrder("list", "read", "write", "destroy", "deny");
        assertThat(Arrays.stream(NodePoolCapability.values()).map(Capability::wireName))
                .containsExactlyInAnyOrder("delete", "deny", "read", "write");
        assertThat(Arrays.stream(HostVolumeCapability.values()).map(Capability::wireName))
                .containsExactlyInAnyOrder("deny", "mount-readonly", "mount-readwrite");
        assertThat(Arrays.stream(OperatorCapability.values()).map(Capability::wireName)).containsExactlyInAnyOrder(
                "deny", "snapshot-save", "license-read", "keyring-rotate", "keyring-read", "keyring-delete");
        assertThat(Arrays.stream(SentinelCapability.values()).map(Capability::wireName))
                .containsExactlyInAnyOrder("deny", "sentinel-read", "sentinel-submit", "sentinel-delete");
        assertThat(Arrays.stream(PolicyDisposition.values()).map(PolicyDisposition::wireName))
                .containsExactlyInAnyOrder("deny", "read", "list", "write", "scale");
    }

    static Stream<Arguments> variableCapabilities() {
        return Stream.of(
                arguments(List.of("read"), EnumSet.of(VariableCapability.READ, VariableCapability.LIST)),
                arguments(List.of("list"), EnumSet.of(VariableCapability.LIST)),
                arguments(List.of("write"), EnumSet.of(VariableCapability.WRITE)),
                arguments(List.of("destroy"), EnumSet.of(VariableCapability.DESTROY)),
                arguments(List.of("read", "list", "destroy"), EnumSet.of(VariableCapability.READ,
                        VariableCapability.LIST, VariableCapability.DESTROY)),
                arguments(List.of("deny"), EnumSet.of(VariableCapability.DENY)),
                arguments(List.of("read", "write", "deny"), EnumSet.of(VariableCapability.DENY)),
                arguments(List.of("deny", "read"), EnumSet.of(VariableCapability.DENY)),
                arguments(List.of(), EnumSet.noneOf(VariableCapability.class)));
    }

    @ParameterizedTest(name = "variables {0}")
    @MethodSource("variableCapabilities")
    void variableCapabilitiesExpand(List<String> written, Set<VariableCapability> expected) {
        String list = written.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
        NamespaceRule rule = onlyNamespace("namespace \"a\" {\n  variables {\n    path \"p/*\" {\n"
                + "      capabilities = [" + list + "]\n    }\n  }\n}");
        assertThat(rule.variables()).containsExactly(new VariablePathRule("p/*", expected));
    }

    @Test
    void pathWithoutCapabilitiesGrantsNothing() {
        NamespaceRule rule = onlyNamespace("namespace \"a\" {\n  variables {\n    path \"p\" {}\n  }\n}");
        assertThat(rule.variables()).containsExactly(new VariablePathRule("p", Set.of()));
    }

    static Stream<Arguments> nodePools() {
        return Stream.of(
                arguments("policy = \"read\"", EnumSet.of(NodePoolCapability.READ)),
                arguments("policy = \"write\"", EnumSet.of(NodePoolCapability.DELETE, NodePoolCapability.READ,
                        NodePoolCapability.WRITE)),
                arguments("policy = \"deny\"", EnumSet.of(NodePoolCapability.DENY)),
                arguments("policy = \"scale\"", EnumSet.noneOf(NodePoolCapability.class)),
                arguments("policy = \"read\"\ncapabilities = [\"write\"]", EnumSet.of(NodePoolCapability.READ,
                        NodePoolCapability.WRITE)),
                arguments("policy = \"deny\"\ncapabilities = [\"write\"]", EnumSet.of(NodePoolCapability.DENY,
                        NodePoolCapability.WRITE)),
                arguments("capabilities = [\"deny\", \"read\"]", EnumSet.of(NodePoolCapability.DENY,
                        NodePoolCapability.READ)),
                arguments("capabilities = [\"delete\"]", EnumSet.of(NodePoolCapability.DELETE)));
    }

    @ParameterizedTest(name = "node_pool {0}")
    @MethodSource("nodePools")
    void nodePoolDispositionsAndCapabilities(String body, Set<NodePoolCapability> expected) {
        Policy policy = PolicyParser.parse("node_pool \"pool_1-*\" {\n" + body + "\n}");
        assertThat(policy.nodePools()).hasSize(1);
        assertThat(policy.nodePools().get(0).name()).isEqualTo("pool_1-*");
        assertThat(policy.nodePools().get(0).capabilities()).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> hostVolumes() {
        return Stream.of(
                arguments("policy = \"read\"", EnumSet.of(HostVolumeCapability.MOUNT_READONLY)),
                arguments("policy = \"write\"", EnumSet.of(HostVolumeCapability.MOUNT_READONLY,
                        HostVolumeCapability.MOUNT_READWRITE)),
                arguments("policy = \"deny\"", EnumSet.of(HostVolumeCapability.DENY)),
                arguments("policy = \"scale\"", EnumSet.noneOf(HostVolumeCapability.class)),
                arguments("capabilities = [\"mount-readwrite\"]", EnumSet.of(HostVolumeCapability.MOUNT_READWRITE)));
    }

    @ParameterizedTest(name = "host_volume {0}")
    @MethodSource("hostVolumes")
    void hostVolumeDispositionsAndCapabilities(String body, Set<HostVolumeCapability> expected) {
        Policy policy = PolicyParser.parse("host_volume \"vol-*\" {\n" + body + "\n}");
        assertThat(policy.hostVolumes()).hasSize(1);
        assertThat(policy.hostVolumes().get(0).capabilities()).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> operators() {
        return Stream.of(
                arguments("policy = \"read\"", EnumSet.of(OperatorCapability.LICENSE_READ,
                        OperatorCapability.KEYRING_READ)),
                arguments("policy = \"write\"", EnumSet.of(OperatorCapability.SNAPSHOT_SAVE,
                        OperatorCapability.LICENSE_READ, OperatorCapability.KEYRING_ROTATE,
                        OperatorCapability.KEYRING_READ, OperatorCapability.KEYRING_DELETE)),
                arguments("policy = \"deny\"", EnumSet.of(OperatorCapability.DENY)),
                arguments("policy = \"scale\"", EnumSet.noneOf(OperatorCapability.class)),
                arguments("capabilities = [\"snapshot-save\"]", EnumSet.of(OperatorCapability.SNAPSHOT_SAVE)),
                arguments("", EnumSet.noneOf(OperatorCapability.class)));
    }

    @ParameterizedTest(name = "operator {0}")
    @MethodSource("operators")
    void operatorDispositionsAndCapabilities(String body, Set<OperatorCapability> expected) {
        Policy policy = PolicyParser.parse("operator {\n" + body + "\n}");
        assertThat(policy.operator().orElseThrow().capabilities()).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> sentinels() {
        return Stream.of(
                arguments("policy = \"read\"", EnumSet.of(SentinelCapability.SENTINEL_READ)),
                arguments("policy = \"write\"", EnumSet.of(SentinelCapability.SENTINEL_READ,
                        SentinelCapability.SENTINEL_SUBMIT, SentinelCapability.SENTINEL_DELETE)),
                arguments("policy = \"deny\"", EnumSet.of(SentinelCapability.DENY)),
                arguments("policy = \"scale\"", EnumSet.noneOf(SentinelCapability.class)),
                arguments("capabilities = [\"sentinel-submit\"]", EnumSet.of(SentinelCapability.SENTINEL_SUBMIT)));
    }

    @ParameterizedTest(name = "sentinel {0}")
    @MethodSource("sentinels")
    void sentinelDispositionsAndCapabilities(String body, Set<SentinelCapability> expected) {
        Policy policy = PolicyParser.parse("sentinel {\n" + body + "\n}");
        assertThat(policy.sentinel().orElseThrow().capabilities()).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> coarseDispositions() {
        return Stream.of(
                arguments("agent", "deny"), arguments("agent", "read"), arguments("agent", "write"),
                arguments("agent", "scale"),
                arguments("node", "deny"), arguments("node", "read"), arguments("node", "write"),
                arguments("node", "scale"),
                arguments("quota", "deny"), arguments("quota", "read"), arguments("quota", "write"),
                arguments("quota", "scale"),
                arguments("plugin", "deny"), arguments("plugin", "read"), arguments("plugin", "list"),
                arguments("plugin", "write"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("coarseDispositions")
    void coarseDispositionsParse(String block, String disposition) {
        Policy policy = PolicyParser.parse(block + " {\n  policy = \"" + disposition + "\"\n}");
        Optional<PolicyDisposition> expected = PolicyDisposition.fromWireName(disposition);
        Optional<PolicyDisposition> actual;
        switch (block) {
            case "agent":
                actual = policy.agent();
                break;
            case "node":
                actual = policy.node();
                break;
            case "quota":
                actual = policy.quota();
                break;
            default:
                actual = policy.plugin();
        }
        assertThat(expected).isPresent();
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void nameLimits() {
        String longest = "a".repeat(128);
        assertThat(onlyNamespace("namespace \"" + longest + "\" {}").name()).isEqualTo(longest);
        assertThat(onlyNamespace("namespace \"*\" {}").name()).isEqualTo("*");
        assertThat(onlyNamespace("namespace \"Prod-9*\" {}").name()).isEqualTo("Prod-9*");
        assertThat(PolicyParser.parse("node_pool \"my_pool\" {}").nodePools()).hasSize(1);
    }

    // ---------------------------------------------------------------- errors, HCL

    static Stream<Arguments> hclErrors() {
        return Stream.of(
                // labels (Nomad: "Invalid namespace name", "Invalid node pool name", "Invalid host volume name")
                arguments("namespace without label", "namespace {\n  policy = \"read\"\n}",
                        "1:1: namespace block needs 1 label, found 0"),
                arguments("namespace empty label", "namespace \"\" {}",
                        "1:11: invalid namespace name \"\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                arguments("namespace with a space", "namespace \"has a space\" {\n  policy = \"read\"\n}",
                        "1:11: invalid namespace name \"has a space\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                arguments("namespace with underscore", "namespace \"a_b\" {}",
                        "1:11: invalid namespace name \"a_b\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                arguments("namespace too long", "namespace \"" + "a".repeat(129) + "\" {}",
                        "1:11: invalid namespace name \"" + "a".repeat(129) + "\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                arguments("namespace unquoted label", "namespace default {}",
                        "1:11: block label must be a quoted string, found identifier default"),
                arguments("namespace two labels", "namespace \"a\" \"b\" {}", "1:15: namespace block takes 1 label, found 2"),
                arguments("node pool empty label", "node_pool \"\" {\n}",
                        "1:11: invalid node pool name \"\": must match ^[a-zA-Z0-9-_*]{1,128}$"),
                arguments("node pool bad character", "node_pool \"pool%\" {\n}",
                        "1:11: invalid node pool name \"pool%\": must match ^[a-zA-Z0-9-_*]{1,128}$"),
                arguments("node pool without label", "node_pool {\n  policy = \"read\"\n}",
                        "1:1: node_pool block needs 1 label, found 0"),
                arguments("host volume with a space", "host_volume \"volume has a space\" {\n"
                        + "  capabilities = [\"mount-readwrite\"]\n}",
                        "1:13: invalid host volume name \"volume has a space\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                arguments("host volume underscore", "host_volume \"a_b\" {}",
                        "1:13: invalid host volume name \"a_b\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                arguments("host volume without label", "host_volume {\n  policy = \"read\"\n}",
                        "1:1: host_volume block needs 1 label, found 0"),
                arguments("agent with a label", "agent \"x\" {\n  policy = \"read\"\n}",
                        "1:7: agent block takes no labels, found 1"),
                // dispositions
                arguments("namespace policy unknown", "namespace \"default\" {\n  policy = \"foo\"\n}",
                        "2:12: invalid namespace policy \"foo\": must be one of deny, read, write, scale"),
                arguments("namespace policy list", "namespace \"default\" {\n  policy = \"list\"\n}",
                        "2:12: invalid namespace policy \"list\": must be one of deny, read, write, scale"),
                arguments("dispositions are case sensitive", "namespace \"default\" {\n  policy = \"Read\"\n}",
                        "2:12: invalid namespace policy \"Read\": must be one of deny, read, write, scale"),
                arguments("node pool policy list", "node_pool \"p\" {\n  policy = \"list\"\n}",
                        "2:12: invalid node pool policy \"list\": must be one of deny, read, write, scale"),
                arguments("host volume policy unknown", "host_volume \"v\" {\n  policy = \"mount\"\n}",
                        "2:12: invalid host volume policy \"mount\": must be one of deny, read, write, scale"),
                arguments("agent policy unknown", "agent {\n  policy = \"foo\"\n}",
                        "2:12: invalid agent policy \"foo\": must be one of deny, read, write, scale"),
                arguments("agent policy list", "agent { policy = \"list\" }",
                        "1:18: invalid agent policy \"list\": must be one of deny, read, write, scale"),
                arguments("node policy unknown", "node {\n  policy = \"foo\"\n}",
                        "2:12: invalid node policy \"foo\": must be one of deny, read, write, scale"),
                arguments("quota policy unknown", "quota {\n  policy = \"foo\"\n}",
                        "2:12: invalid quota policy \"foo\": must be one of deny, read, write, scale"),
                arguments("operator policy unknown", "operator {\n  policy = \"foo\"\n}",
                        "2:12: invalid operator policy \"foo\": must be one of deny, read, write, scale"),
                arguments("operator policy list", "operator {\n  policy = \"list\"\n}",
                        "2:12: invalid operator policy \"list\": must be one of deny, read, write, scale"),
                arguments("sentinel policy unknown", "sentinel {\tpolicy = \"invalid\" }",
                        "1:21: invalid sentinel policy \"invalid\": must be one of deny, read, write, scale"),
                arguments("plugin policy unknown", "plugin {\n  policy = \"reader\"\n}",
                        "2:12: invalid plugin policy \"reader\": must be one of deny, read, list, write"),
                arguments("plugin policy scale", "plugin {\n  policy = \"scale\"\n}",
                        "2:12: invalid plugin policy \"scale\": must be one of deny, read, list, write"),
                arguments("agent without policy", "agent {}", "1:1: missing required attribute \"policy\" in agent block"),
                arguments("node without policy", "\nnode {\n}", "2:1: missing required attribute \"policy\" in node block"),
                arguments("quota without policy", "quota {}", "1:1: missing required attribute \"policy\" in quota block"),
                arguments("plugin without policy", "plugin {}", "1:1: missing required attribute \"policy\" in plugin block"),
                // capabilities
                arguments("namespace capability unknown", "namespace \"default\" {\n  capabilities = [\"deny\", \"foo\"]\n}",
                        "2:27: invalid namespace capability \"foo\""),
                arguments("namespace capability from another block", "namespace \"a\" {\n  capabilities = [\"mount-readonly\"]\n}",
                        "2:19: invalid namespace capability \"mount-readonly\""),
                arguments("node pool capability unknown", "node_pool \"my-pool\" {\n  capabilities = [\"read\", \"invalid\"]\n}",
                        "2:27: invalid node pool capability \"invalid\""),
                arguments("host volume capability unknown", "host_volume \"v\" {\n  capabilities = [\"read\"]\n}",
                        "2:19: invalid host volume capability \"read\""),
                arguments("operator capability unknown", "operator {\n  capabilities = [\"snapshot-restore\"]\n}",
                        "2:19: invalid operator capability \"snapshot-restore\""),
                arguments("sentinel capability unknown", "sentinel { capabilities = [\"invalid-capability\"] }",
                        "1:28: invalid sentinel capability \"invalid-capability\""),
                arguments("variable capability unknown", "namespace \"dev\" {\n  variables {\n    path \"a\" {\n"
                        + "      capabilities = [\"read\", \"execute\"]\n    }\n  }\n}",
                        "4:31: invalid variable capability \"execute\""),
                // variables
                arguments("variables with a label", "namespace \"dev\" {\n  variables \"*\" {\n"
                        + "    capabilities = [\"read\", \"write\"]\n  }\n}",
                        "2:13: variables block takes no labels, found 1"),
                arguments("variables without paths", "namespace \"dev\" {\n  variables {}\n}",
                        "2:3: invalid variables block: no path blocks in namespace \"dev\""),
                arguments("variables path leading slash", "namespace \"dev\" {\n  variables {\n    path \"/nomad/job\" {\n"
                        + "      capabilities = [\"read\", \"write\"]\n    }\n  }\n}",
                        "3:10: invalid variable path \"/nomad/job\" in namespace \"dev\": must not start with '/'"),
                arguments("variables path missing", "namespace \"dev\" {\n  policy = \"read\"\n  variables {\n    path {}\n"
                        + "    path \"nomad/jobs/example\" {\n      capabilities = [\"read\"]\n    }\n  }\n}",
                        "4:5: path block needs 1 label, found 0"),
                arguments("variables path empty", "namespace \"dev\" {\n  variables {\n    path \"\" {}\n  }\n}",
                        "3:10: invalid variable path \"\" in namespace \"dev\": must not be empty"),
                arguments("variables twice", "namespace \"dev\" {\n  variables {\n    path \"a\" {}\n  }\n"
                        + "  variables {\n    path \"b\" {}\n  }\n}",
                        "5:3: duplicate variables block in namespace block (first defined at 2:3)"),
                arguments("policy inside variables", "namespace \"dev\" {\n  variables {\n    policy = \"read\"\n  }\n}",
                        "3:5: unknown key \"policy\" in variables block"),
                // strictness (Nomad: "Invalid or duplicate policy keys")
                arguments("unknown block", "bogus {\n  policy = \"read\"\n}", "1:1: unknown key \"bogus\" in policy"),
                arguments("unknown key in namespace", "namespace \"a\" {\n  polcy = \"read\"\n}",
                        "2:3: unknown key \"polcy\" in namespace block"),
                arguments("unknown key in agent", "agent {\n  policy = \"read\"\n  capabilities = []\n}",
                        "3:3: unknown key \"capabilities\" in agent block"),
                arguments("top-level attribute", "policy = \"read\"", "1:1: unknown key \"policy\" in policy"),
                arguments("duplicate attribute", "namespace \"a\" {\n  policy = \"read\"\n  policy = \"write\"\n}",
                        "3:3: duplicate attribute \"policy\" (first defined at 2:3)"),
                arguments("policy must be a string", "namespace \"a\" {\n  policy = [\"read\"]\n}",
                        "2:12: \"policy\" must be a string, found list"),
                arguments("capabilities must be a list", "namespace \"a\" {\n  capabilities = \"read-job\"\n}",
                        "2:18: \"capabilities\" must be a list of strings, found string"),
                arguments("capabilities must be strings", "namespace \"a\" {\n  capabilities = [read-job]\n}",
                        "2:19: unexpected identifier read-job: expected a value (strings must be quoted)"),
                arguments("unquoted disposition", "namespace \"a\" {\n  policy = read\n}",
                        "2:12: unexpected identifier read: expected a value (strings must be quoted)"),
                // no rules
                arguments("blank rules", "   \n", "1:1: invalid policy: no namespace, node_pool, host_volume, agent, "
                        + "node, operator, quota, plugin or sentinel block"),
                arguments("comment only", "# nothing here", "1:1: invalid policy: no namespace, node_pool, host_volume, "
                        + "agent, node, operator, quota, plugin or sentinel block"),
                arguments("first invalid rule in the text is reported", "node_pool \"bad%\" {}\nnamespace \"bad name\" {}",
                        "1:11: invalid node pool name \"bad%\": must match ^[a-zA-Z0-9-_*]{1,128}$"),
                arguments("first invalid rule in the text is reported (reversed)",
                        "namespace \"bad name\" {}\nnode_pool \"bad%\" {}",
                        "1:11: invalid namespace name \"bad name\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                // syntax
                arguments("octal escape (Nomad's TestParse_BadInput)", "namespace \"\\500\" {}",
                        "1:12: invalid escape sequence \\5"),
                arguments("unterminated block", "namespace \"a\" {\n  policy = \"read\"\n",
                        "1:15: unterminated block \"namespace\": missing }"),
                arguments("comment then brace is HCL", "# c\n{}",
                        "2:1: unexpected '{': expected an attribute name or a block type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hclErrors")
    void rejectsHcl(String name, String rules, String message) {
        assertThatThrownBy(() -> PolicyParser.parse(rules))
                .isInstanceOf(PolicyParseException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> duplicateSingleBlocks() {
        return Stream.of("agent", "node", "operator", "quota", "plugin", "sentinel").map(Arguments::of);
    }

    @ParameterizedTest(name = "{0} twice")
    @MethodSource("duplicateSingleBlocks")
    void singleBlocksMayNotRepeat(String block) {
        // Nomad's TestParse_ExtraKeys: "Invalid or duplicate policy keys: agent, …, node, operator, plugin, quota".
        assertThatThrownBy(() -> PolicyParser.parse(block + " {\n  policy = \"read\"\n}\n" + block
                + " {\n  policy = \"write\"\n}\n"))
                .isInstanceOf(PolicyParseException.class)
                .hasMessage("4:1: duplicate " + block + " block in policy (first defined at 1:1)");
    }

    @Test
    void nomadsExtraKeysPolicyFailsAtItsFirstProblem() {
        String rules = String.join("\n",
                "namespace \"foo\" {",
                "  policy = \"write\"",
                "}",
                "bogus {",
                "  policy = \"read\"",
                "}",
                "node {",
                "  policy = \"read\"",
                "}",
                "node {",
                "  policy = \"write\"",
                "}");
        assertThatThrownBy(() -> PolicyParser.parse(rules)).hasMessage("4:1: unknown key \"bogus\" in policy");
        assertThatThrownBy(() -> PolicyParser.parse(rules.replace("bogus", "quota")))
                .hasMessage("10:1: duplicate node block in policy (first defined at 7:1)");
    }

    @Test
    void errorsCarryPositionAndCause() {
        PolicyParseException e = org.junit.jupiter.api.Assertions.assertThrows(PolicyParseException.class,
                () -> PolicyParser.parse("namespace \"a\" {\n  policy = \"x\n}"));
        assertThat(e.position()).isEqualTo(new HclPosition(2, 12));
        assertThat(e.detail()).isEqualTo("unterminated string");
        assertThat(e.getCause()).isNotNull();
    }

    // ---------------------------------------------------------------- errors, JSON

    static Stream<Arguments> jsonErrors() {
        return Stream.of(
                arguments("namespace empty label", "{\n  \"namespace\": [\n    {\n      \"\": {\n        \"policy\": \"read\"\n"
                        + "      }\n    }\n  ]\n}",
                        "4:7: invalid namespace name \"\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                arguments("node pool empty label", "{\"node_pool\": [{\"\": {\"policy\": \"read\"}}]}",
                        "1:17: invalid node pool name \"\": must match ^[a-zA-Z0-9-_*]{1,128}$"),
                arguments("host volume empty label", "{\"host_volume\": [{\"\": {\"policy\": \"read\"}}]}",
                        "1:19: invalid host volume name \"\": must match ^[a-zA-Z0-9-*]{1,128}$"),
                arguments("Nomad's 'paths' typo", "{\"namespace\": {\"dev\": {\"variables\": {\"paths\": {}}}}}",
                        "1:38: unknown key \"paths\" in variables block"),
                arguments("a policy object instead of rules", "{\n  \"Name\": \"my-policy\",\n"
                        + "  \"Description\": \"This is a great policy\",\n  \"Rules\": \"anything\"\n}",
                        "2:3: unknown key \"Name\" in policy"),
                arguments("empty object", "{}", "1:1: invalid policy: no namespace, node_pool, host_volume, agent, "
                        + "node, operator, quota, plugin or sentinel block"),
                arguments("agent policy unknown", "{\"agent\": {\"policy\": \"foo\"}}",
                        "1:22: invalid agent policy \"foo\": must be one of deny, read, write, scale"),
                arguments("agent policy not a string", "{\"agent\": {\"policy\": 1}}",
                        "1:22: \"policy\" must be a string, found number"),
                arguments("capability on its own line", "{\n  \"namespace\": {\n    \"a\": {\n      \"capabilities\": [\n"
                        + "        \"read-job\",\n        \"nope\"\n      ]\n    }\n  }\n}",
                        "6:9: invalid namespace capability \"nope\""),
                arguments("variables path leading slash", "{\"namespace\": {\"dev\": {\"variables\": {\"path\": "
                        + "{\"/x\": {}}}}}}",
                        "1:47: invalid variable path \"/x\" in namespace \"dev\": must not start with '/'"),
                arguments("variables without paths", "{\"namespace\": {\"dev\": {\"variables\": {}}}}",
                        "1:37: invalid variables block: no path blocks in namespace \"dev\""),
                arguments("duplicate key", "{\"agent\": {\"policy\": \"read\"}, \"agent\": {\"policy\": \"write\"}}",
                        "1:31: duplicate key \"agent\" (first defined at 1:2)"),
                arguments("agent twice through a list", "{\"agent\": [{\"policy\": \"read\"}, {\"policy\": \"write\"}]}",
                        "1:32: duplicate agent block in policy (first defined at 1:12)"),
                arguments("syntax error", "{\"agent\": {\"policy\": \"read\"}",
                        "1:29: Unexpected end-of-input: expected close marker for Object (opened at 1:1)"),
                arguments("leading whitespace still JSON", "\n\n  {\"bogus\": {}}", "3:4: unknown key \"bogus\" in policy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonErrors")
    void rejectsJson(String name, String rules, String message) {
        assertThatThrownBy(() -> PolicyParser.parse(rules))
                .isInstanceOf(PolicyParseException.class)
                .hasMessage(message);
    }
}
