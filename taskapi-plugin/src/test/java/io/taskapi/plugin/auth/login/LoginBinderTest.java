package io.taskapi.plugin.auth.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.state.AclBindingRule;
import io.taskapi.testing.InMemoryAclPolicyStore;
import io.taskapi.testing.InMemoryAclRoleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Nomad's claim mapping and binder, without a server. */
final class LoginBinderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JwtMethodConfig CONFIG = new JwtMethodConfig(List.of(), "file:///k.json", List.of(),
            List.of(), Map.of("/org/team", "team", "admin", "admin", "level", "level"),
            Map.of("groups", "groups", "single", "single"), Duration.ZERO, Duration.ZERO, Duration.ZERO, List.of());

    private final InMemoryAclRoleStore roles = new InMemoryAclRoleStore();
    private final InMemoryAclPolicyStore policies = new InMemoryAclPolicyStore();

    @Test
    void mapsClaimsByNameAndPointerStringifyingAsNomadDoes() throws Exception {
        LoginBinder.MappedClaims mapped = LoginBinder.mapClaims(claims(), CONFIG);

        assertThat(mapped.values()).isEqualTo(Map.of("team", "Platform", "admin", "true", "level", "3"));
        assertThat(mapped.lists()).isEqualTo(Map.of("groups", List.of("eng", "ops"), "single", List.of("solo")));
    }

    @Test
    void aClaimThatIsAnObjectIsRefused() throws Exception {
        ObjectNode claims = claims();
        claims.putObject("admin").put("x", 1);

        assertThatThrownBy(() -> LoginBinder.mapClaims(claims, CONFIG)).isInstanceOf(LoginRejectedException.class)
                .hasMessage("error converting claim 'admin' to string");
    }

    @Test
    void rulesBindExistingRolesAndPoliciesWithLowerCasedInterpolation() throws Exception {
        String roleId = roles.createRole("platform-ops", List.of("p")).id();
        policies.createPolicy("eng-read", "node { policy = \"read\" }");
        LoginBinder.MappedClaims mapped = LoginBinder.mapClaims(claims(), CONFIG);

        LoginBinder.Bindings bindings = LoginBinder.bind(List.of(
                rule("\"ops\" in list.groups", "role", "${value.team}-ops"),
                rule("", "policy", "eng-read"),
                rule("", "policy", "does-not-exist"),
                rule("value.team == \"Nobody\"", "role", "platform-ops"),
                rule("list.nothing == \"x\"", "policy", "eng-read")), mapped, CONFIG, roles, policies);

        assertThat(bindings).isEqualTo(new LoginBinder.Bindings(false, List.of(roleId), List.of("eng-read")));
    }

    @Test
    void aManagementRuleWinsAndAnUnknownVariableIsAnError() throws Exception {
        LoginBinder.MappedClaims mapped = LoginBinder.mapClaims(claims(), CONFIG);

        assertThat(LoginBinder.bind(List.of(rule("", "policy", "x"), rule("value.admin == true", "management", "")),
                mapped, CONFIG, roles, policies).management()).isTrue();
        assertThatThrownBy(() -> LoginBinder.bind(List.of(rule("", "policy", "${value.nope}")), mapped, CONFIG,
                roles, policies)).hasMessageContaining("unknown variable accessed: value.nope");
        assertThatThrownBy(() -> LoginBinder.bind(List.of(rule("", "policy", "a b")), mapped, CONFIG,
                roles, policies)).hasMessageContaining("bind name for bind target is invalid");
    }

    private static ObjectNode claims() throws Exception {
        return (ObjectNode) JSON.readTree("{\"org\":{\"team\":\"Platform\"},\"admin\":true,\"level\":3.9,"
                + "\"groups\":[\"eng\",\"ops\",\"\"],\"single\":\"solo\"}");
    }

    private static AclBindingRule rule(String selector, String type, String name) {
        Instant now = Instant.now();
        return new AclBindingRule("id-" + name, "", "corp", selector, type, name, now, now, 0, 0);
    }
}
