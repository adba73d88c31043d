package io.taskapi.plugin.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TestAcl {
    static final WorkloadClaim CLAIM = new WorkloadClaim("ns", "example", "foo", "bar");

    static Acl acl(String... rules) {
        return Acl.compile(Arrays.stream(rules).map(PolicyParser::parse).toList());
    }

    // ---------------------------------------------------------------- management and deny-all

    @Test
    void managementAllowsEverything() {
        Acl acl = Acl.management();
        assertThat(acl.isManagement()).isTrue();
        for (NamespaceCapability capability : NamespaceCapability.values()) {
            if (capability != NamespaceCapability.DENY) {
                assertThat(acl.allowNamespaceOperation("default", capability)).isTrue();
                assertThat(acl.allowNamespaceOperation("foo", capability)).isTrue();
                assertThat(acl.allowNamespaceOperation("*", capability)).isTrue();
            }
        }
        assertThat(acl.allowNamespace("foo")).isTrue();
        assertThat(acl.allowNamespace("*")).isTrue();
        assertThat(acl.allowNodePoolOperation("my-pool", NodePoolCapability.WRITE)).isTrue();
        assertThat(acl.allowNodePool("my-pool")).isTrue();
        assertThat(acl.allowHostVolumeOperation("v", HostVolumeCapability.MOUNT_READWRITE)).isTrue();
        assertThat(acl.allowHostVolume("v")).isTrue();
        assertThat(acl.allowVariableOperation("ns", "any/path", VariableCapability.DESTROY, Optional.empty())).isTrue();
        assertThat(acl.allowAgentRead()).isTrue();
        assertThat(acl.allowAgentWrite()).isTrue();
        assertThat(acl.allowNodeRead()).isTrue();
        assertThat(acl.allowNodeWrite()).isTrue();
        assertThat(acl.allowOperatorRead()).isTrue();
        assertThat(acl.allowOperatorWrite()).isTrue();
        assertThat(acl.allowOperatorOperation(OperatorCapability.KEYRING_ROTATE)).isTrue();
        assertThat(acl.allowQuotaRead()).isTrue();
        assertThat(acl.allowQuotaWrite()).isTrue();
        assertThat(acl.allowPluginRead()).isTrue();
        assertThat(acl.allowPluginList()).isTrue();
        assertThat(acl.allowPluginWrite()).isTrue();
        assertThat(acl.allowSentinelOperation(SentinelCapability.SENTINEL_SUBMIT)).isTrue();
    }

    static Stream<Acl> denyAlls() {
        return Stream.of(Acl.denyAll(), Acl.compile(List.of()), Acl.compile(List.of(Policy.empty())));
    }

    @ParameterizedTest
    @MethodSource("denyAlls")
    void denyAllAllowsNothing(Acl acl) {
        assertThat(acl.isManagement()).isFalse();
        for (NamespaceCapability capability : NamespaceCapability.values()) {
            if (capability != NamespaceCapability.DENY) {
                assertThat(acl.allowNamespaceOperation("default", capability)).isFalse();
                assertThat(acl.allowNamespaceOperation("*", capability)).isFalse();
            }
        }
        assertThat(acl.allowNamespace("default")).isFalse();
        assertThat(acl.allowNamespace("*")).isFalse();
        assertThat(acl.allowNodePool("default")).isFalse();
        assertThat(acl.allowNodePoolOperation("default", NodePoolCapability.READ)).isFalse();
        assertThat(acl.allowHostVolume("v")).isFalse();
        assertThat(acl.allowHostVolumeOperation("v", HostVolumeCapability.MOUNT_READONLY)).isFalse();
        assertThat(acl.allowVariableOperation("ns", "a", VariableCapability.READ, Optional.empty())).isFalse();
        assertThat(acl.allowAgentRead()).isFalse();
        assertThat(acl.allowNodeRead()).isFalse();
        assertThat(acl.allowOperatorRead()).isFalse();
        assertThat(acl.allowOperatorOperation(OperatorCapability.LICENSE_READ)).isFalse();
        assertThat(acl.allowQuotaRead()).isFalse();
        assertThat(acl.allowPluginList()).isFalse();
        assertThat(acl.allowPluginRead()).isFalse();
        assertThat(acl.allowPluginWrite()).isFalse();
        assertThat(acl.allowSentinelOperation(SentinelCapability.SENTINEL_READ)).isFalse();
    }

    // ---------------------------------------------------------------- Nomad's TestACLMerge

    static final String READ_ALL = "namespace \"default\" {\n  policy = \"read\"\n}\nnode_pool \"my-pool\" {\n"
            + "  policy = \"read\"\n}\nagent {\n  policy = \"read\"\n}\nnode {\n  policy = \"read\"\n}\n"
            + "operator {\n  policy = \"read\"\n}\nquota {\n  policy = \"read\"\n}\n";
    static final String WRITE_ALL = READ_ALL.replace("\"read\"", "\"write\"");
    static final String DENY_ALL = READ_ALL.replace("\"read\"", "\"deny\"");

    @Test
    void mergeReadAndWrite() {
        Acl acl = acl(READ_ALL, WRITE_ALL);
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.LIST_JOBS)).isTrue();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.SUBMIT_JOB)).isTrue();
        assertThat(acl.allowNamespace("default")).isTrue();
        assertThat(acl.allowNamespaceOperation("foo", NamespaceCapability.LIST_JOBS)).isFalse();
        assertThat(acl.allowNamespace("foo")).isFalse();
        assertThat(acl.allowNodePoolOperation("my-pool", NodePoolCapability.READ)).isTrue();
        assertThat(acl.allowNodePoolOperation("my-pool", NodePoolCapability.WRITE)).isTrue();
        assertThat(acl.allowNodePool("my-pool")).isTrue();
        assertThat(acl.allowNodePoolOperation("other-pool", NodePoolCapability.READ)).isFalse();
        assertThat(acl.allowNodePool("other-pool")).isFalse();
        assertThat(acl.isManagement()).isFalse();
        assertThat(acl.allowAgentRead()).isTrue();
        assertThat(acl.allowAgentWrite()).isTrue();
        assertThat(acl.allowNodeRead()).isTrue();
        assertThat(acl.allowNodeWrite()).isTrue();
        assertThat(acl.allowOperatorRead()).isTrue();
        assertThat(acl.allowOperatorWrite()).isTrue();
        assertThat(acl.allowQuotaRead()).isTrue();
        assertThat(acl.allowQuotaWrite()).isTrue();
    }

    @Test
    void mergeReadAndBlank() {
        Acl acl = acl(READ_ALL, "");
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.LIST_JOBS)).isTrue();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.SUBMIT_JOB)).isFalse();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.HOST_VOLUME_REGISTER)).isFalse();
        assertThat(acl.allowNamespaceOperation("foo", NamespaceCapability.LIST_JOBS)).isFalse();
        assertThat(acl.allowNamespaceOperation("foo", NamespaceCapability.HOST_VOLUME_CREATE)).isFalse();
        assertThat(acl.allowNodePoolOperation("my-pool", NodePoolCapability.READ)).isTrue();
        assertThat(acl.allowNodePoolOperation("my-pool", NodePoolCapability.WRITE)).isFalse();
        assertThat(acl.allowNodePool("my-pool")).isTrue();
        assertThat(acl.allowNodePool("other-pool")).isFalse();
        assertThat(acl.allowAgentRead()).isTrue();
        assertThat(acl.allowAgentWrite()).isFalse();
        assertThat(acl.allowNodeRead()).isTrue();
        assertThat(acl.allowNodeWrite()).isFalse();
        assertThat(acl.allowOperatorRead()).isTrue();
        assertThat(acl.allowOperatorWrite()).isFalse();
        assertThat(acl.allowQuotaRead()).isTrue();
        assertThat(acl.allowQuotaWrite()).isFalse();
    }

    @Test
    void mergeReadAndDeny() {
        for (Acl acl : List.of(acl(READ_ALL, DENY_ALL), acl(DENY_ALL, READ_ALL), acl(WRITE_ALL, DENY_ALL))) {
            assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.LIST_JOBS)).isFalse();
            assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.SUBMIT_JOB)).isFalse();
            assertThat(acl.allowNamespace("default")).isFalse();
            assertThat(acl.allowNamespaceOperation("foo", NamespaceCapability.LIST_JOBS)).isFalse();
            assertThat(acl.allowNodePoolOperation("my-pool", NodePoolCapability.READ)).isFalse();
            assertThat(acl.allowNodePoolOperation("my-pool", NodePoolCapability.WRITE)).isFalse();
            assertThat(acl.allowNodePool("my-pool")).isFalse();
            assertThat(acl.allowAgentRead()).isFalse();
            assertThat(acl.allowAgentWrite()).isFalse();
            assertThat(acl.allowNodeRead()).isFalse();
            assertThat(acl.allowNodeWrite()).isFalse();
            assertThat(acl.allowOperatorRead()).isFalse();
            assertThat(acl.allowOperatorWrite()).isFalse();
            assertThat(acl.allowOperatorOperation(OperatorCapability.LICENSE_READ)).isFalse();
            assertThat(acl.allowQuotaRead()).isFalse();
            assertThat(acl.allowQuotaWrite()).isFalse();
        }
    }

    // ---------------------------------------------------------------- coarse: maxPrivilege, deny > write > read > list

    /** What a merged coarse disposition allows: read, write. Scale and "absent" allow nothing. */
    static Stream<Arguments> coarseMerges() {
        return Stream.of(
                arguments(List.of("read"), true, false),
                arguments(List.of("write"), true, true),
                arguments(List.of("deny"), false, false),
                arguments(List.of("scale"), false, false),
                arguments(List.of(), false, false),
                arguments(List.of("read", "write"), true, true),
                arguments(List.of("write", "read"), true, true),
                arguments(List.of("deny", "write"), false, false),
                arguments(List.of("write", "deny"), false, false),
                arguments(List.of("deny", "read"), false, false),
                arguments(List.of("read", "deny"), false, false),
                arguments(List.of("scale", "read"), true, false),
                arguments(List.of("write", "scale"), true, true),
                arguments(List.of("scale", "deny"), false, false),
                arguments(List.of("read", "read"), true, false));
    }

    @ParameterizedTest(name = "{0} -> read={1} write={2}")
    @MethodSource("coarseMerges")
    void coarseDispositionsMergeByMaxPrivilege(List<String> dispositions, boolean read, boolean write) {
        for (String block : List.of("agent", "node", "operator", "quota")) {
            Acl acl = acl(dispositions.stream().map(d -> block + " {\n  policy = \"" + d + "\"\n}").toArray(String[]::new));
            boolean actualRead;
            boolean actualWrite;
            switch (block) {
                case "agent":
                    actualRead = acl.allowAgentRead();
                    actualWrite = acl.allowAgentWrite();
                    break;
                case "node":
                    actualRead = acl.allowNodeRead();
                    actualWrite = acl.allowNodeWrite();
                    break;
                case "operator":
                    actualRead = acl.allowOperatorRead();
                    actualWrite = acl.allowOperatorWrite();
                    break;
                default:
                    actualRead = acl.allowQuotaRead();
                    actualWrite = acl.allowQuotaWrite();
            }
            assertThat(actualRead).as(block + " read").isEqualTo(read);
            assertThat(actualWrite).as(block + " write").isEqualTo(write);
        }
    }

    @Test
    void coarseBlocksAreIndependent() {
        Acl acl = acl("agent {\n  policy = \"write\"\n}", "node {\n  policy = \"deny\"\n}");
        assertThat(acl.allowAgentWrite()).isTrue();
        assertThat(acl.allowNodeRead()).isFalse();
        assertThat(acl.allowOperatorRead()).isFalse();
        assertThat(acl.allowQuotaRead()).isFalse();
        assertThat(acl.allowPluginList()).isFalse();
    }

    /** Plugin: read, list, write checks. As in Nomad, write does not include read or list. */
    static Stream<Arguments> pluginMerges() {
        return Stream.of(
                arguments(List.of("read"), true, true, false),
                arguments(List.of("list"), false, true, false),
                arguments(List.of("write"), false, false, true),
                arguments(List.of("deny"), false, false, false),
                arguments(List.of("list", "read"), true, true, false),
                arguments(List.of("read", "write"), false, false, true),
                arguments(List.of("list", "deny"), false, false, false),
                arguments(List.of("deny", "write"), false, false, false));
    }

    @ParameterizedTest(name = "plugin {0} -> read={1} list={2} write={3}")
    @MethodSource("pluginMerges")
    void pluginDispositions(List<String> dispositions, boolean read, boolean list, boolean write) {
        Acl acl = acl(dispositions.stream().map(d -> "plugin {\n  policy = \"" + d + "\"\n}").toArray(String[]::new));
        assertThat(acl.allowPluginRead()).isEqualTo(read);
        assertThat(acl.allowPluginList()).isEqualTo(list);
        assertThat(acl.allowPluginWrite()).isEqualTo(write);
    }

    // ---------------------------------------------------------------- Nomad's TestAllowOperatorOperation

    static Stream<Arguments> operatorOperations() {
        return Stream.of(
                arguments("policy write allows snapshot-save", "operator { policy = \"write\" }", "snapshot-save", true),
                arguments("policy write allows license-read", "operator { policy = \"write\" }", "license-read", true),
                arguments("policy write allows keyring-rotate", "operator { policy = \"write\" }", "keyring-rotate", true),
                arguments("policy write allows keyring-read", "operator { policy = \"write\" }", "keyring-read", true),
                arguments("policy write allows keyring-delete", "operator { policy = \"write\" }", "keyring-delete", true),
                arguments("policy read allows license-read", "operator { policy = \"read\" }", "license-read", true),
                arguments("policy read allows keyring-read", "operator { policy = \"read\" }", "keyring-read", true),
                arguments("policy read denies snapshot-save", "operator { policy = \"read\" }", "snapshot-save", false),
                arguments("policy read denies keyring-rotate", "operator { policy = \"read\" }", "keyring-rotate", false),
                arguments("policy read denies keyring-delete", "operator { policy = \"read\" }", "keyring-delete", false),
                arguments("policy deny overrides all capabilities",
                        "operator { policy = \"deny\"\n  capabilities = [\"license-read\"] }", "license-read", false),
                arguments("capability snapshot-save allows snapshot-save over read policy",
                        "operator { policy = \"read\"\n  capabilities = [\"snapshot-save\"] }", "snapshot-save", true),
                arguments("capability license-read allows license-read",
                        "operator { capabilities = [\"license-read\"] }", "license-read", true),
                arguments("capability keyring-rotate allows keyring-rotate",
                        "operator { capabilities = [\"keyring-rotate\"] }", "keyring-rotate", true),
                arguments("capability keyring-read allows keyring-read",
                        "operator { capabilities = [\"keyring-read\"] }", "keyring-read", true),
                arguments("capability keyring-delete allows keyring-delete",
                        "operator { capabilities = [\"keyring-delete\"] }", "keyring-delete", true),
                arguments("multiple capabilities allow respective operations",
                        "operator { capabilities = [\"snapshot-save\", \"license-read\"] }", "snapshot-save", true),
                arguments("capability snapshot-save does not permit keyring-rotate",
                        "operator { capabilities = [\"snapshot-save\"] }", "keyring-rotate", false),
                arguments("capability deny denies all operations", "operator { capabilities = [\"deny\"] }",
                        "snapshot-save", false),
                arguments("capability deny takes precedence over other capabilities",
                        "operator { capabilities = [\"snapshot-save\", \"deny\"] }", "snapshot-save", false),
                arguments("deny everything without an operator policy", "agent { policy = \"read\" }",
                        "license-read", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operatorOperations")
    void operatorOperation(String name, String rules, String operation, boolean expected) {
        OperatorCapability capability = OperatorCapability.fromWireName(operation).orElseThrow();
        assertThat(acl(rules).allowOperatorOperation(capability)).isEqualTo(expected);
    }

    @Test
    void operatorCapabilitiesMergeWithDenyClearing() {
        Acl acl = acl("operator { capabilities = [\"snapshot-save\"] }", "operator { capabilities = [\"deny\"] }");
        assertThat(acl.allowOperatorOperation(OperatorCapability.SNAPSHOT_SAVE)).isFalse();
        acl = acl("operator { capabilities = [\"deny\"] }", "operator { capabilities = [\"snapshot-save\"] }");
        assertThat(acl.allowOperatorOperation(OperatorCapability.SNAPSHOT_SAVE)).isFalse();
        acl = acl("operator { capabilities = [\"snapshot-save\"] }", "operator { capabilities = [\"license-read\"] }");
        assertThat(acl.allowOperatorOperation(OperatorCapability.SNAPSHOT_SAVE)).isTrue();
        assertThat(acl.allowOperatorOperation(OperatorCapability.LICENSE_READ)).isTrue();
        assertThat(acl.allowOperatorOperation(OperatorCapability.KEYRING_READ)).isFalse();
    }

    @Test
    void operatorWriteDispositionIsCheckedBeforeCapabilities() {
        // Nomad: AllowOperatorOperation returns true on operator == write before looking at the capability set, and
        // a capabilities-only block does not lower the disposition. Pinned so a change is deliberate.
        Acl acl = acl("operator { policy = \"write\" }", "operator { capabilities = [\"deny\"] }");
        assertThat(acl.allowOperatorOperation(OperatorCapability.SNAPSHOT_SAVE)).isTrue();
        assertThat(acl.allowOperatorWrite()).isTrue();
    }

    // ---------------------------------------------------------------- Nomad's TestAllowSentinelOperation

    static Stream<Arguments> sentinelOperations() {
        return Stream.of(
                arguments("policy write allows sentinel-read", "sentinel { policy = \"write\" }", "sentinel-read", true),
                arguments("policy write allows sentinel-submit", "sentinel { policy = \"write\" }", "sentinel-submit", true),
                arguments("policy write allows sentinel-delete", "sentinel { policy = \"write\" }", "sentinel-delete", true),
                arguments("policy read allows sentinel-read", "sentinel { policy = \"read\" }", "sentinel-read", true),
                arguments("policy read denies sentinel-submit", "sentinel { policy = \"read\" }", "sentinel-submit", false),
                arguments("policy read denies sentinel-delete", "sentinel { policy = \"read\" }", "sentinel-delete", false),
                arguments("policy deny overrides all capabilities",
                        "sentinel { policy = \"deny\"\n  capabilities = [\"sentinel-read\"] }", "sentinel-read", false),
                arguments("capability sentinel-submit allows sentinel-submit over read policy",
                        "sentinel { policy = \"read\"\n  capabilities = [\"sentinel-submit\"] }", "sentinel-submit", true),
                arguments("capability sentinel-read allows sentinel-read",
                        "sentinel { capabilities = [\"sentinel-read\"] }", "sentinel-read", true),
                arguments("multiple capabilities allow respective operations",
                        "sentinel { capabilities = [\"sentinel-read\", \"sentinel-submit\"] }", "sentinel-submit", true),
                arguments("capability deny denies all operations", "sentinel { capabilities = [\"deny\"] }",
                        "sentinel-read", false),
                arguments("capability deny takes precedence over other capabilities",
                        "sentinel { capabilities = [\"sentinel-read\", \"deny\"] }", "sentinel-read", false),
                arguments("deny everything without a sentinel policy", "agent { policy = \"read\" }",
                        "sentinel-read", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sentinelOperations")
    void sentinelOperation(String name, String rules, String operation, boolean expected) {
        SentinelCapability capability = SentinelCapability.fromWireName(operation).orElseThrow();
        assertThat(acl(rules).allowSentinelOperation(capability)).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- Nomad's TestAllowNamespace

    static Stream<Arguments> allowNamespace() {
        return Stream.of(
                arguments("foo namespace - no capabilities", "namespace \"foo\" {}", "foo", false),
                arguments("foo namespace - deny policy", "namespace \"foo\" { policy = \"deny\" }", "foo", false),
                arguments("foo namespace - deny capability", "namespace \"foo\" { capabilities = [\"deny\"] }", "foo",
                        false),
                arguments("foo namespace - with capability", "namespace \"foo\" { capabilities = [\"list-jobs\"] }",
                        "foo", true),
                arguments("foo namespace - with policy", "namespace \"foo\" { policy = \"read\" }", "foo", true),
                arguments("wildcard namespace - no capabilities", "namespace \"foo\" {}", "*", false),
                arguments("wildcard namespace - deny policy", "namespace \"foo\" { policy = \"deny\" }", "*", false),
                arguments("wildcard namespace - deny capability", "namespace \"foo\" { capabilities = [\"deny\"] }",
                        "*", false),
                arguments("wildcard namespace - with capability",
                        "namespace \"foo\" { capabilities = [\"list-jobs\"] }", "*", true),
                arguments("wildcard namespace - with policy", "namespace \"foo\" { policy = \"read\" }", "*", true),
                arguments("wildcard namespace - no namespace rule", "agent { policy = \"read\" }", "*", false),
                // Beyond Nomad's table:
                arguments("wildcard namespace - one allowed among denied",
                        "namespace \"a\" { policy = \"deny\" }\nnamespace \"b-*\" { policy = \"scale\" }", "*", true),
                arguments("other namespace - not covered", "namespace \"foo\" { policy = \"read\" }", "bar", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowNamespace")
    void allowNamespace(String name, String rules, String namespace, boolean allowed) {
        assertThat(acl(rules).allowNamespace(namespace)).isEqualTo(allowed);
    }

    // ---------------------------------------------------------------- Nomad's TestWildcardNamespaceMatching

    static Stream<Arguments> wildcardNamespaces() {
        return Stream.of(
                arguments("wildcard matches", "namespace \"prod-api-*\" { policy = \"write\" }", "prod-api-services",
                        true),
                arguments("non globbed namespaces are not wildcards", "namespace \"prod-api\" { policy = \"write\" }",
                        "prod-api-services", false),
                arguments("concrete matches take precedence", "namespace \"prod-api-services\" { policy = \"deny\" }\n"
                        + "namespace \"prod-api-*\" { policy = \"write\" }", "prod-api-services", false),
                arguments("glob match", "namespace \"prod-api-*\" { policy = \"deny\" }\n"
                        + "namespace \"prod-api-services\" { policy = \"write\" }", "prod-api-services", true),
                arguments("closest character match wins - suffix", "namespace \"*-api-services\" { policy = \"deny\" }\n"
                        + "namespace \"prod-api-*\" { policy = \"write\" }", "prod-api-services", false),
                arguments("closest character match wins - prefix", "namespace \"prod-api-*\" { policy = \"write\" }\n"
                        + "namespace \"*-api-services\" { policy = \"deny\" }", "prod-api-services", false),
                arguments("wildcard namespace with glob match", "namespace \"prod-api-*\" { policy = \"deny\" }\n"
                        + "namespace \"prod-api-services\" { policy = \"write\" }", "*", true),
                // Beyond Nomad's table:
                arguments("closest match, the grant side", "namespace \"*-api-services\" { policy = \"write\" }\n"
                        + "namespace \"prod-api-*\" { policy = \"deny\" }", "prod-api-services", true),
                arguments("star matches the empty run", "namespace \"prod*\" { policy = \"read\" }", "prod", true),
                arguments("star alone matches everything", "namespace \"*\" { policy = \"read\" }", "anything-1", true),
                arguments("double star counts like one", "namespace \"prod**\" { policy = \"read\" }\n"
                        + "namespace \"pro*\" { policy = \"deny\" }", "prod-x", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wildcardNamespaces")
    void wildcardNamespaceMatching(String name, String rules, String namespace, boolean allowed) {
        assertThat(acl(rules).allowNamespace(namespace)).isEqualTo(allowed);
    }

    /** Ties: same literal length. Nomad's sort leaves the pattern that sorts last by bytes first. */
    static Stream<Arguments> globTies() {
        return Stream.of(
                arguments("prod* (write) beats *-api (deny): p > *", "prod*", "write", "*-api", "deny", true),
                arguments("prod* (deny) beats *-api (write): p > *", "prod*", "deny", "*-api", "write", false),
                arguments("pro*-api (write) beats *rod-api (deny): p > *", "pro*-api", "write", "*rod-api", "deny", true),
                arguments("*rod-api (write) loses to pro*-api (deny)", "pro*-api", "deny", "*rod-api", "write", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("globTies")
    void globTiesGoToTheLastPatternInByteOrder(String name, String first, String firstPolicy, String second,
            String secondPolicy, boolean submitAllowed) {
        String a = "namespace \"" + first + "\" { policy = \"" + firstPolicy + "\" }";
        String b = "namespace \"" + second + "\" { policy = \"" + secondPolicy + "\" }";
        // Independent of the order of blocks and of policies.
        for (Acl acl : List.of(acl(a + "\n" + b), acl(b + "\n" + a), acl(a, b), acl(b, a))) {
            assertThat(acl.allowNamespaceOperation("prod-api", NamespaceCapability.SUBMIT_JOB)).isEqualTo(submitAllowed);
        }
    }

    // Nomad's TestACL_matchingCapabilitySet_returnsAllMatches.
    static Stream<Arguments> allMatches() {
        return Stream.of(
                arguments("namespace \"production-*\" { policy = \"write\" }", "production-api",
                        List.of("production-*")),
                arguments("namespace \"prod-*\" { policy = \"write\" }", "production-api", List.of()),
                arguments("namespace \"production-*\" { policy = \"write\" }\n"
                        + "namespace \"production-*-api\" { policy = \"deny\" }", "production-admin-api",
                        List.of("production-*", "production-*-api")));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("allMatches")
    void matchingGlobsInNomadsOrder(String rules, String namespace, List<String> globs) {
        assertThat(acl(rules).namespaceRules().matchingGlobs(namespace)).isEqualTo(globs);
    }

    // ---------------------------------------------------------------- namespace capability merging

    @Test
    void capabilitiesOfOneLabelAreUnioned() {
        Acl acl = acl("namespace \"default\" { capabilities = [\"list-jobs\"] }",
                "namespace \"default\" { capabilities = [\"read-logs\"] }");
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.LIST_JOBS)).isTrue();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.READ_LOGS)).isTrue();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.SUBMIT_JOB)).isFalse();
    }

    static Stream<Arguments> denyClearing() {
        String write = "namespace \"default\" { policy = \"write\" }";
        String deny = "namespace \"default\" { policy = \"deny\" }";
        String denyCap = "namespace \"default\" { capabilities = [\"deny\"] }";
        return Stream.of(
                arguments("write then deny policy", List.of(write, deny)),
                arguments("deny policy then write", List.of(deny, write)),
                arguments("write then deny capability", List.of(write, denyCap)),
                arguments("deny capability then write", List.of(denyCap, write)),
                arguments("both in one policy", List.of(write + "\n" + deny)),
                arguments("deny beside grants in one block",
                        List.of("namespace \"default\" {\n  policy = \"write\"\n  capabilities = [\"deny\"]\n}")),
                arguments("deny listed after grants", List.of("namespace \"default\" { capabilities = "
                        + "[\"submit-job\", \"deny\", \"read-job\"] }")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denyClearing")
    void denyClearsTheLabelsSet(String name, List<String> rules) {
        Acl acl = acl(rules.toArray(String[]::new));
        for (NamespaceCapability capability : NamespaceCapability.values()) {
            if (capability != NamespaceCapability.DENY) {
                assertThat(acl.allowNamespaceOperation("default", capability)).as(capability.wireName()).isFalse();
            }
        }
        assertThat(acl.allowNamespace("default")).isFalse();
        assertThat(acl.allowNamespace("*")).isFalse();
        assertThat(acl.allowNamespaceOperation("*", NamespaceCapability.READ_JOB)).isFalse();
    }

    @Test
    void denyDoesNotCrossLabels() {
        Acl acl = acl("namespace \"*\" { policy = \"deny\" }", "namespace \"default\" { policy = \"write\" }");
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.SUBMIT_JOB)).isTrue();
        assertThat(acl.allowNamespaceOperation("other", NamespaceCapability.READ_JOB)).isFalse();
        assertThat(acl.allowNamespaceOperation("*", NamespaceCapability.SUBMIT_JOB)).isTrue();
        Acl sameLabel = acl("namespace \"*\" { policy = \"deny\" }", "namespace \"*\" { policy = \"write\" }");
        assertThat(sameLabel.allowNamespaceOperation("default", NamespaceCapability.READ_JOB)).isFalse();
    }

    @Test
    void anExactLabelShadowsGlobsEvenWhenItGrantsNothing() {
        Acl acl = acl("namespace \"default\" {}\nnamespace \"*\" { policy = \"write\" }");
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.READ_JOB)).isFalse();
        assertThat(acl.allowNamespace("default")).isFalse();
        assertThat(acl.allowNamespaceOperation("other", NamespaceCapability.READ_JOB)).isTrue();
    }

    @Test
    void allNamespacesSentinelAsksWhetherAnyNamespaceAllows() {
        Acl acl = acl("namespace \"a\" { capabilities = [\"read-logs\"] }\nnamespace \"b-*\" { policy = \"scale\" }\n"
                + "namespace \"c\" { policy = \"deny\" }");
        assertThat(acl.allowNamespaceOperation("*", NamespaceCapability.READ_LOGS)).isTrue();
        assertThat(acl.allowNamespaceOperation("*", NamespaceCapability.SCALE_JOB)).isTrue();
        assertThat(acl.allowNamespaceOperation("*", NamespaceCapability.SUBMIT_JOB)).isFalse();
        assertThat(acl.allowNamespace("*")).isTrue();
    }

    static Stream<Arguments> namespaceDispositions() {
        return Stream.of(
                arguments("read", TestPolicyParser.NS_READ),
                arguments("write", TestPolicyParser.NS_WRITE),
                arguments("scale", TestPolicyParser.NS_SCALE));
    }

    @ParameterizedTest(name = "namespace policy {0}")
    @MethodSource("namespaceDispositions")
    void namespaceDispositionAllowsExactlyItsExpansion(String policy, Set<NamespaceCapability> allowed) {
        Acl acl = acl("namespace \"default\" { policy = \"" + policy + "\" }");
        for (NamespaceCapability capability : NamespaceCapability.values()) {
            if (capability != NamespaceCapability.DENY) {
                assertThat(acl.allowNamespaceOperation("default", capability)).as(capability.wireName())
                        .isEqualTo(allowed.contains(capability));
            }
        }
    }

    @Test
    void hostVolumeCapabilitiesImplyOthersAtCheckTime() {
        Acl acl = acl("namespace \"default\" { capabilities = [\"host-volume-write\"] }");
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.HOST_VOLUME_REGISTER)).isTrue();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.HOST_VOLUME_CREATE)).isTrue();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.HOST_VOLUME_DELETE)).isTrue();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.HOST_VOLUME_READ)).isTrue();
        assertThat(acl.allowNamespaceOperation("default", NamespaceCapability.READ_JOB)).isFalse();
    }

    // ---------------------------------------------------------------- Nomad's TestNodePool

    static Stream<Arguments> nodePools() {
        List<String> none = List.of();
        List<String> all = List.of("delete", "read", "write");
        return Stream.of(
                arguments("policy read", "node_pool \"my-pool\" {\n  policy = \"read\"\n}", "my-pool",
                        List.of("read"), true),
                arguments("policy write", "node_pool \"my-pool\" {\n  policy = \"write\"\n}", "my-pool", all, true),
                arguments("capability write", "node_pool \"my-pool\" {\n  capabilities = [\"write\"]\n}", "my-pool",
                        List.of("write"), true),
                arguments("multiple capabilities", "node_pool \"my-pool\" {\n  capabilities = [\"read\", \"delete\"]\n}",
                        "my-pool", List.of("read", "delete"), true),
                arguments("policy deny takes precedence", "node_pool \"my-pool\" {\n  policy = \"deny\"\n"
                        + "  capabilities = [\"write\", \"delete\"]\n}", "my-pool", none, false),
                arguments("capability deny takes precedence", "node_pool \"my-pool\" {\n"
                        + "  capabilities = [\"write\", \"delete\", \"deny\"]\n}", "my-pool", none, false),
                arguments("wildcard matches all", "node_pool \"*\" {\n  policy = \"read\"\n}", "my-pool",
                        List.of("read"), true),
                arguments("wildcard matches subset", "node_pool \"my-pool-*\" {\n  policy = \"read\"\n}", "my-pool-1",
                        List.of("read"), true),
                arguments("wildcard doesn't match subset", "node_pool \"my-pool-*\" {\n  policy = \"read\"\n}",
                        "your-pool-1", none, false),
                arguments("wildcard matches closest", "node_pool \"my-pool-dev-*\" {\n  policy = \"read\"\n}\n\n"
                        + "node_pool \"my-pool-*\" {\n  policy = \"write\"\n}\n\nnode_pool \"*\" {\n  policy = \"deny\"\n}",
                        "my-pool-dev-1", List.of("read"), true),
                arguments("policy scale grants nothing", "node_pool \"p\" {\n  policy = \"scale\"\n}", "p", none, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodePools")
    void nodePool(String name, String rules, String pool, List<String> allowed, boolean allowAny) {
        Acl acl = acl(rules);
        for (NodePoolCapability capability : NodePoolCapability.values()) {
            if (capability != NodePoolCapability.DENY) {
                assertThat(acl.allowNodePoolOperation(pool, capability)).as(capability.wireName())
                        .isEqualTo(allowed.contains(capability.wireName()));
            }
        }
        assertThat(acl.allowNodePool(pool)).isEqualTo(allowAny);
    }

    // ---------------------------------------------------------------- Nomad's TestWildcardHostVolumeMatching

    static Stream<Arguments> hostVolumes() {
        return Stream.of(
                arguments("host_volume \"prod-api-*\" { policy = \"write\" }", true),
                arguments("host_volume \"prod-api\" { policy = \"write\" }", false),
                arguments("host_volume \"prod-api-services\" { policy = \"deny\" }\n"
                        + "host_volume \"prod-api-*\" { policy = \"write\" }", false),
                arguments("host_volume \"prod-api-*\" { policy = \"deny\" }\n"
                        + "host_volume \"prod-api-services\" { policy = \"write\" }", true),
                arguments("host_volume \"*-api-services\" { policy = \"deny\" }\n"
                        + "host_volume \"prod-api-*\" { policy = \"write\" }", false),
                arguments("host_volume \"prod-api-*\" { policy = \"write\" }\n"
                        + "host_volume \"*-api-services\" { policy = \"deny\" }", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostVolumes")
    void wildcardHostVolumeMatching(String rules, boolean allowed) {
        assertThat(acl(rules).allowHostVolume("prod-api-services")).isEqualTo(allowed);
    }

    @Test
    void hostVolumeOperations() {
        Acl acl = acl("host_volume \"ro\" { policy = \"read\" }\nhost_volume \"rw\" { policy = \"write\" }\n"
                + "host_volume \"no\" { policy = \"deny\" }", "host_volume \"no\" { policy = \"write\" }");
        assertThat(acl.allowHostVolumeOperation("ro", HostVolumeCapability.MOUNT_READONLY)).isTrue();
        assertThat(acl.allowHostVolumeOperation("ro", HostVolumeCapability.MOUNT_READWRITE)).isFalse();
        assertThat(acl.allowHostVolumeOperation("rw", HostVolumeCapability.MOUNT_READWRITE)).isTrue();
        assertThat(acl.allowHostVolumeOperation("no", HostVolumeCapability.MOUNT_READONLY)).isFalse();
        assertThat(acl.allowHostVolume("no")).isFalse();
        assertThat(acl.allowHostVolume("other")).isFalse();
    }

    // ---------------------------------------------------------------- Nomad's TestVariablesMatching

    static Stream<Arguments> variables() {
        return Stream.of(
                arguments("concrete namespace with concrete path matches",
                        "namespace \"ns\" {\n variables { path \"foo/bar\" { capabilities = [\"read\"] }}}",
                        "ns", "foo/bar", "read", null, true),
                arguments("concrete namespace with concrete path matches for expanded caps",
                        "namespace \"ns\" {\n variables { path \"foo/bar\" { capabilities = [\"read\"] }}}",
                        "ns", "foo/bar", "list", null, true),
                arguments("concrete namespace with wildcard path matches",
                        "namespace \"ns\" {\n variables { path \"foo/*\" { capabilities = [\"read\"] }}}",
                        "ns", "foo/bar", "read", null, true),
                arguments("concrete namespace with non-prefix wildcard path matches",
                        "namespace \"ns\" {\n variables { path \"*/bar\" { capabilities = [\"read\"] }}}",
                        "ns", "foo/bar", "read", null, true),
                arguments("concrete namespace with overlapping wildcard path prefix over suffix matches",
                        "namespace \"ns\" {\n variables {\n path \"*/bar\" { capabilities = [\"list\"] }\n"
                                + " path \"foo/*\" { capabilities = [\"write\"] }\n }}",
                        "ns", "foo/bar", "write", null, true),
                arguments("concrete namespace with overlapping wildcard path prefix over suffix denied",
                        "namespace \"ns\" {\n variables {\n path \"*/bar\" { capabilities = [\"list\"] }\n"
                                + " path \"foo/*\" { capabilities = [\"write\"] }\n }}",
                        "ns", "foo/bar", "list", null, false),
                arguments("concrete namespace with wildcard path matches most specific only",
                        "namespace \"ns\" {\n variables {\n path \"*\" { capabilities = [\"read\"] }\n"
                                + " path \"foo/*\" { capabilities = [\"read\"] }\n"
                                + " path \"foo/bar\" { capabilities = [\"list\"] }\n }}",
                        "ns", "foo/bar", "read", null, false),
                arguments("concrete namespace with invalid concrete path fails",
                        "namespace \"ns\" {\n variables { path \"bar\" { capabilities = [\"read\"] }}}",
                        "ns", "foo/bar", "read", null, false),
                arguments("concrete namespace with invalid wildcard path fails",
                        "namespace \"ns\" {\n variables { path \"*/foo\" { capabilities = [\"read\"] }}}",
                        "ns", "foo/bar", "read", null, false),
                arguments("wildcard namespace with concrete path matches",
                        "namespace \"*\" {\n variables { path \"foo/bar\" { capabilities = [\"read\"] }}}",
                        "ns", "foo/bar", "read", null, true),
                arguments("wildcard namespace with invalid concrete path fails",
                        "namespace \"*\" {\n variables { path \"bar\" { capabilities = [\"read\"] }}}",
                        "ns", "foo/bar", "read", null, false),
                arguments("wildcard in user provided path fails",
                        "namespace \"ns\" {\n variables { path \"foo/bar\" { capabilities = [\"read\"] }}}",
                        "ns", "*", "read", null, false),
                arguments("wildcard attempt to bypass delimiter null byte fails",
                        "namespace \"ns\" {\n variables { path \"foo/bar\" { capabilities = [\"read\"] }}}",
                        "ns*", "bar", "read", null, false),
                arguments("wildcard with more specific denied path",
                        "namespace \"ns\" {\n variables {\n path \"*\" { capabilities = [\"list\"] }\n"
                                + " path \"system/*\" { capabilities = [\"deny\"] }}}",
                        "ns", "system/not-allowed", "list", null, false),
                arguments("multiple namespace with overlapping paths",
                        "namespace \"ns\" {\n variables {\n path \"*\" { capabilities = [\"list\"] }\n"
                                + " path \"system/*\" { capabilities = [\"deny\"] }}}\n"
                                + "namespace \"prod\" {\n variables {\n path \"*\" { capabilities = [\"list\"]}}}",
                        "prod", "system/is-allowed", "list", null, true),
                arguments("claim with more specific policy",
                        "namespace \"ns\" {\n variables { path \"nomad/jobs/example\" { capabilities = [\"deny\"] }}}",
                        "ns", "nomad/jobs/example", "read", CLAIM, false),
                arguments("claim with less specific policy",
                        "namespace \"ns\" {\n variables { path \"nomad/jobs\" { capabilities = [\"deny\"] }}}",
                        "ns", "nomad/jobs/example", "read", CLAIM, true),
                arguments("claim with less specific wildcard policy",
                        "namespace \"ns\" {\n variables { path \"nomad/jobs/*\" { capabilities = [\"deny\"] }}}",
                        "ns", "nomad/jobs/example", "read", CLAIM, true),
                // Beyond Nomad's table:
                arguments("delimiter in the path is refused",
                        "namespace \"*\" {\n variables { path \"*\" { capabilities = [\"read\"] }}}",
                        "ns", "a\0b", "read", null, false),
                arguments("delimiter in the namespace is refused",
                        "namespace \"*\" {\n variables { path \"*\" { capabilities = [\"read\"] }}}",
                        "ns\0x", "b", "read", null, false),
                arguments("wildcard namespace and path match everything",
                        "namespace \"*\" {\n variables { path \"*\" { capabilities = [\"read\"] }}}",
                        "any", "deep/path/x", "read", null, true),
                arguments("star spans slashes", "namespace \"ns\" {\n variables { path \"a/*/z\" { capabilities = "
                        + "[\"write\"] }}}", "ns", "a/b/c/z", "write", null, true),
                arguments("write does not imply read", "namespace \"ns\" {\n variables { path \"a\" { capabilities = "
                        + "[\"write\"] }}}", "ns", "a", "read", null, false),
                arguments("read does not imply write", "namespace \"ns\" {\n variables { path \"a\" { capabilities = "
                        + "[\"read\"] }}}", "ns", "a", "write", null, false),
                arguments("deny and read in one path block denies", "namespace \"ns\" {\n variables { path \"a\" { "
                        + "capabilities = [\"read\", \"deny\"] }}}", "ns", "a", "read", null, false),
                arguments("exact path wins over a closer-looking glob", "namespace \"ns\" {\n variables {\n"
                        + " path \"a/b\" { capabilities = [\"list\"] }\n path \"a/b*\" { capabilities = [\"read\"] }}}",
                        "ns", "a/b", "read", null, false),
                arguments("glob namespace with glob path, closest wins", "namespace \"*\" {\n variables {\n"
                        + " path \"*\" { capabilities = [\"read\"] }}}\nnamespace \"ns\" {\n variables {\n"
                        + " path \"secret/*\" { capabilities = [\"deny\"] }}}", "ns", "secret/x", "read", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variables")
    void variablesMatching(String name, String rules, String namespace, String path, String operation,
            WorkloadClaim claim, boolean allowed) {
        VariableCapability capability = VariableCapability.fromWireName(operation).orElseThrow();
        assertThat(acl(rules).allowVariableOperation(namespace, path, capability, Optional.ofNullable(claim)))
                .isEqualTo(allowed);
    }

    // ---------------------------------------------------------------- variables merging

    @Test
    void variablesUnionAcrossPoliciesWithoutDenyClearing() {
        String read = "namespace \"ns\" {\n variables { path \"a\" { capabilities = [\"read\"] }}}";
        String deny = "namespace \"ns\" {\n variables { path \"a\" { capabilities = [\"deny\"] }}}";
        for (Acl acl : List.of(acl(read, deny), acl(deny, read), acl(read + "\n" + deny))) {
            assertThat(acl.allowVariableOperation("ns", "a", VariableCapability.READ, Optional.empty())).isTrue();
            assertThat(acl.allowVariableOperation("ns", "a", VariableCapability.LIST, Optional.empty())).isTrue();
            assertThat(acl.allowVariableOperation("ns", "a", VariableCapability.WRITE, Optional.empty())).isFalse();
        }
    }

    @Test
    void variablesAreMergedInsideADeniedNamespace() {
        String denied = "namespace \"ns\" {\n  policy = \"deny\"\n  variables { path \"a\" { capabilities = [\"read\"] }}}";
        Acl acl = acl(denied);
        assertThat(acl.allowVariableOperation("ns", "a", VariableCapability.READ, Optional.empty())).isTrue();
        assertThat(acl.allowNamespace("ns")).isFalse();
        // Also when an earlier policy already denied the namespace (Nomad adds variables before its deny check).
        Acl later = acl("namespace \"ns\" { policy = \"deny\" }",
                "namespace \"ns\" {\n  policy = \"write\"\n  variables { path \"b\" { capabilities = [\"write\"] }}}");
        assertThat(later.allowVariableOperation("ns", "b", VariableCapability.WRITE, Optional.empty())).isTrue();
        assertThat(later.allowNamespaceOperation("ns", NamespaceCapability.SUBMIT_JOB)).isFalse();
    }

    @Test
    void variablePathsOfDifferentNamespacesStayApart() {
        Acl acl = acl("namespace \"a\" {\n variables { path \"p\" { capabilities = [\"write\"] }}}",
                "namespace \"b\" {\n variables { path \"p\" { capabilities = [\"deny\"] }}}");
        assertThat(acl.allowVariableOperation("a", "p", VariableCapability.WRITE, Optional.empty())).isTrue();
        assertThat(acl.allowVariableOperation("b", "p", VariableCapability.WRITE, Optional.empty())).isFalse();
        assertThat(acl.allowVariableOperation("c", "p", VariableCapability.WRITE, Optional.empty())).isFalse();
    }

    // ---------------------------------------------------------------- implicit workload identity access

    static Stream<Arguments> implicitPaths() {
        return Stream.of(
                arguments("nomad/jobs", true),
                arguments("nomad/jobs/example", true),
                arguments("nomad/jobs/example/foo", true),
                arguments("nomad/jobs/example/foo/bar", true),
                arguments("nomad/jobs/example/foo/bar/more", false),
                arguments("nomad/jobs/example/other", false),
                arguments("nomad/jobs/example/foo/other", false),
                arguments("nomad/jobs/other", false),
                arguments("nomad/jobs/examplex", false),
                arguments("nomad/jobsx", false),
                arguments("nomad/jobs/", false),
                arguments("nomad", false),
                arguments("example", false));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("implicitPaths")
    void workloadReadsItsOwnPathsWithoutAnyPolicy(String path, boolean allowed) {
        Acl acl = Acl.denyAll();
        Optional<WorkloadClaim> claim = Optional.of(CLAIM);
        assertThat(acl.allowVariableOperation("ns", path, VariableCapability.READ, claim)).isEqualTo(allowed);
        assertThat(acl.allowVariableOperation("ns", path, VariableCapability.LIST, claim)).isEqualTo(allowed);
        assertThat(acl.allowVariableOperation("ns", path, VariableCapability.WRITE, claim)).isFalse();
        assertThat(acl.allowVariableOperation("ns", path, VariableCapability.DESTROY, claim)).isFalse();
        assertThat(acl.allowVariableOperation("other", path, VariableCapability.READ, claim)).isFalse();
        assertThat(acl.allowVariableOperation("ns", path, VariableCapability.READ, Optional.empty())).isFalse();
    }

    @Test
    void implicitAccessDoesNotHideAPolicysWriteGrant() {
        // Nomad checks writes without a claim, so a policy's glob grant applies on the workload's own paths.
        Acl acl = acl("namespace \"ns\" {\n variables { path \"nomad/jobs/*\" { capabilities = [\"write\"] }}}");
        Optional<WorkloadClaim> claim = Optional.of(CLAIM);
        assertThat(acl.allowVariableOperation("ns", "nomad/jobs/example", VariableCapability.WRITE, claim)).isTrue();
        assertThat(acl.allowVariableOperation("ns", "nomad/jobs/example", VariableCapability.READ, claim)).isTrue();
        assertThat(acl.allowVariableOperation("ns", "nomad/jobs/other", VariableCapability.READ, claim)).isFalse();
    }

    @Test
    void exactRuleOnAnImplicitPathDecidesEverything() {
        Acl acl = acl("namespace \"ns\" {\n variables { path \"nomad/jobs/example/foo\" { capabilities = [\"write\"] }}}");
        Optional<WorkloadClaim> claim = Optional.of(CLAIM);
        // The exact set {write} is used as is: no implicit read on top of it (Nomad's order: exact first).
        assertThat(acl.allowVariableOperation("ns", "nomad/jobs/example/foo", VariableCapability.READ, claim)).isFalse();
        assertThat(acl.allowVariableOperation("ns", "nomad/jobs/example/foo", VariableCapability.WRITE, claim)).isTrue();
        assertThat(acl.allowVariableOperation("ns", "nomad/jobs/example", VariableCapability.READ, claim)).isTrue();
    }

    @Test
    void workloadClaimNeedsEveryPart() {
        assertThatThrownBy(() -> new WorkloadClaim("", "j", "g", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadClaim("n", "", "g", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadClaim("n", "j", "", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadClaim("n", "j", "g", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadClaim("n", null, "g", "t")).isInstanceOf(NullPointerException.class);
    }

    // ---------------------------------------------------------------- API edges

    @Test
    void denyIsNotAnOperation() {
        Acl acl = acl("namespace \"a\" { policy = \"deny\" }");
        assertThatThrownBy(() -> acl.allowNamespaceOperation("a", NamespaceCapability.DENY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acl.allowVariableOperation("a", "p", VariableCapability.DENY, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acl.allowNodePoolOperation("a", NodePoolCapability.DENY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acl.allowHostVolumeOperation("a", HostVolumeCapability.DENY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acl.allowOperatorOperation(OperatorCapability.DENY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acl.allowSentinelOperation(SentinelCapability.DENY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- order independence

    static final List<String> POOL = List.of(
            "namespace \"default\" { policy = \"read\" }",
            "namespace \"default\" { policy = \"deny\" }",
            "namespace \"*\" { policy = \"write\" }",
            "namespace \"prod-*\" { capabilities = [\"read-logs\", \"host-volume-register\"] }",
            "namespace \"prod-*\" {\n  capabilities = [\"deny\"]\n  variables { path \"x/*\" { capabilities = [\"read\"] }}}",
            "namespace \"ns\" {\n variables { path \"a\" { capabilities = [\"deny\"] }}}",
            "namespace \"ns\" {\n variables { path \"a\" { capabilities = [\"write\"] }}}",
            "node_pool \"*\" { policy = \"write\" }\nnode_pool \"gpu\" { policy = \"deny\" }",
            "agent { policy = \"read\" }\nplugin { policy = \"list\" }",
            "agent { policy = \"deny\" }\nplugin { policy = \"read\" }\noperator { capabilities = [\"keyring-read\"] }");

    static Stream<Arguments> policyPairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (int i = 0; i < POOL.size(); i++) {
            for (int j = i + 1; j < POOL.size(); j++) {
                pairs.add(arguments(i, j));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "policies {0} and {1}")
    @MethodSource("policyPairs")
    void theResultDoesNotDependOnPolicyOrder(int i, int j) {
        Acl forward = acl(POOL.get(i), POOL.get(j));
        List<Acl> others = new ArrayList<>(List.of(acl(POOL.get(j), POOL.get(i))));
        try {
            others.add(acl(POOL.get(i) + "\n" + POOL.get(j)));
        } catch (PolicyParseException e) {
            // Two agent blocks cannot share one policy; the two-policy forms still cover this pair.
        }
        List<Predicate<Acl>> checks = new ArrayList<>();
        for (String ns : List.of("default", "prod-api", "other", "ns", "*")) {
            for (NamespaceCapability capability : NamespaceCapability.values()) {
                if (capability != NamespaceCapability.DENY) {
                    checks.add(a -> a.allowNamespaceOperation(ns, capability));
                }
            }
            checks.add(a -> a.allowNamespace(ns));
            for (String path : List.of("a", "x/y", "b")) {
                for (VariableCapability capability : List.of(VariableCapability.READ, VariableCapability.WRITE)) {
                    checks.add(a -> a.allowVariableOperation(ns, path, capability, Optional.empty()));
                }
            }
        }
        for (String pool : List.of("gpu", "cpu")) {
            checks.add(a -> a.allowNodePoolOperation(pool, NodePoolCapability.WRITE));
        }
        checks.add(Acl::allowAgentRead);
        checks.add(Acl::allowPluginRead);
        checks.add(Acl::allowPluginList);
        checks.add(a -> a.allowOperatorOperation(OperatorCapability.KEYRING_READ));
        for (Predicate<Acl> check : checks) {
            for (Acl other : others) {
                assertThat(check.test(other)).isEqualTo(check.test(forward));
            }
        }
    }
}
