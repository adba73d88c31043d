package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.testing.TaskApiExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shapes Nomad's clients rely on, over the operator listener: ACL writes by PUT as well as POST, {@code ?prefix=}
 * on the ACL lists, the indexes on tokens, the fields Nomad always sends on nodes and {@code /v1/agent/self}, and the
 * single-node answers of {@code /v1/status/leader}, {@code /v1/status/peers}, {@code /v1/regions} and
 * {@code /v1/agent/members}; a token sent back as read is an update.
 */
final class NomadShapesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OperatorListener OPERATOR = OperatorListener.onFreePort();

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder()
            .config("http.operator-address", OPERATOR.address())
            .config("agent.region", "eu-west")
            .embeddedStores()
            .build();

    @Test
    void aclWritesTakePutAndListsTakeAPrefix() throws Exception {
        JsonNode bootstrap = ok("PUT", "/v1/acl/bootstrap", null, null);
        String management = bootstrap.path("SecretID").asText();
        assertThat(bootstrap.path("Global").asBoolean()).isTrue();
        assertThat(bootstrap.path("CreateIndex").asLong()).isPositive();
        assertThat(bootstrap.path("ModifyIndex").asLong()).isEqualTo(bootstrap.path("CreateIndex").asLong());

        JsonNode created = ok("PUT", "/v1/acl/token", management, "{\"Name\":\"reader\",\"Type\":\"management\"}");
        String accessor = created.path("AccessorID").asText();
        assertThat(created.path("Global").asBoolean()).isFalse();
        assertThat(created.path("CreateIndex").asLong()).isGreaterThan(bootstrap.path("CreateIndex").asLong());

        JsonNode updated = ok("PUT", "/v1/acl/token/" + accessor, management, "{\"Name\":\"renamed\"}");
        assertThat(updated.path("Name").asText()).isEqualTo("renamed");
        assertThat(updated.path("CreateIndex").asLong()).isEqualTo(created.path("CreateIndex").asLong());
        assertThat(updated.path("ModifyIndex").asLong()).isGreaterThan(created.path("ModifyIndex").asLong());

        JsonNode byPrefix = ok("GET", "/v1/acl/tokens?prefix=" + accessor.substring(0, 8), management, null);
        assertThat(accessors(byPrefix)).containsExactly(accessor);
        assertThat(byPrefix.get(0).path("ModifyIndex").asLong()).isEqualTo(updated.path("ModifyIndex").asLong());
        assertThat(byPrefix.get(0).has("SecretID")).isFalse();
        assertThat(ok("GET", "/v1/acl/tokens?prefix=not-hex", management, null)).isEmpty();
        assertThat(ok("GET", "/v1/acl/tokens", management, null)).hasSize(2);

        ok("PUT", "/v1/acl/policy/alpha-read", management, "{\"Rules\":\"node { policy = \\\"read\\\" }\"}");
        ok("POST", "/v1/acl/policy/beta-read", management, "{\"Rules\":\"node { policy = \\\"read\\\" }\"}");
        JsonNode alpha = ok("GET", "/v1/acl/policies?prefix=alpha", management, null);
        assertThat(alpha).hasSize(1);
        assertThat(alpha.get(0).path("Name").asText()).isEqualTo("alpha-read");
        assertThat(alpha.get(0).path("CreateIndex").asLong()).isPositive();
        assertThat(ok("GET", "/v1/acl/policies", management, null)).hasSize(2);
    }

    @Test
    void nodesAndTheAgentHaveTheFieldsNomadAlwaysSends() throws Exception {
        String management = ok("POST", "/v1/acl/bootstrap", null, null).path("SecretID").asText();

        JsonNode stub = ok("GET", "/v1/nodes", management, null).get(0);
        for (String field : List.of("Address", "Version", "CreateIndex", "ModifyIndex", "Drivers")) {
            assertThat(stub.has(field)).as(field + " in " + stub).isTrue();
        }
        assertThat(stub.path("CreateIndex").asLong()).isPositive();

        JsonNode node = ok("GET", "/v1/node/" + stub.path("ID").asText(), management, null);
        assertThat(node.path("HTTPAddr").asText()).isEqualTo(OPERATOR.address());
        assertThat(node.path("TLSEnabled").isBoolean()).isTrue();
        assertThat(node.path("TLSEnabled").asBoolean()).isFalse();
        assertThat(node.path("NodeResources").path("Cpu").has("TotalCpuCores")).isTrue();
        assertThat(node.path("NodeResources").path("Memory").has("MemoryMB")).isTrue();
        assertThat(node.path("ReservedResources").path("Memory").path("MemoryMB").asLong()).isZero();
        assertThat(node.path("Events").get(0).path("Message").asText()).isEqualTo("Node registered");
        assertThat(node.path("StatusUpdatedAt").asLong()).isPositive();

        JsonNode self = ok("GET", "/v1/agent/self", management, null);
        JsonNode config = self.path("config");
        assertThat(config.path("Region").asText()).isEqualTo("eu-west");
        assertThat(config.path("Datacenter").asText()).isEqualTo(node.path("Datacenter").asText());
        assertThat(config.path("NodeName").asText()).isEqualTo(node.path("Name").asText());
        assertThat(config.path("Version").has("Version")).isTrue();
        JsonNode member = self.path("member");
        assertThat(member.path("Name").asText()).isEqualTo(node.path("Name").asText() + ".eu-west");
        assertThat(member.path("Addr").asText()).isEqualTo("127.0.0.1");
        assertThat(member.path("Port").asInt()).isEqualTo(OPERATOR.port());
        assertThat(member.path("Status").asText()).isEqualTo("alive");
        assertThat(member.path("Tags").path("region").asText()).isEqualTo("eu-west");
        assertThat(member.path("NodeID").asText()).isEqualTo(stub.path("ID").asText());

        assertThat(ok("GET", "/v1/status/leader", management, null).asText()).isEqualTo(OPERATOR.address());
        assertThat(ok("GET", "/v1/status/peers", management, null).toString())
                .isEqualTo("[\"" + OPERATOR.address() + "\"]");
        assertThat(ok("GET", "/v1/regions", management, null).toString()).isEqualTo("[\"eu-west\"]");
        JsonNode members = ok("GET", "/v1/agent/members", management, null);
        assertThat(members.path("ServerRegion").asText()).isEqualTo("eu-west");
        assertThat(members.path("Members")).hasSize(1);
        assertThat(members.path("Members").get(0)).isEqualTo(withoutNodeId(member));
    }

    @Test
    void aTokenSentBackAsReadIsAnUpdateAndItsSecretCannotChange() throws Exception {
        String management = ok("POST", "/v1/acl/bootstrap", null, null).path("SecretID").asText();
        ok("PUT", "/v1/acl/policy/p", management, "{\"Rules\":\"node { policy = \\\"read\\\" }\"}");
        JsonNode created = ok("PUT", "/v1/acl/token", management,
                "{\"Name\":\"as-read\",\"Type\":\"client\",\"Policies\":[\"p\"],\"ExpirationTTL\":\"1h\"}");
        String path = "/v1/acl/token/" + created.path("AccessorID").asText();
        ObjectNode read = (ObjectNode) ok("GET", path, management, null);
        assertThat(read.path("SecretID").asText()).isEqualTo(created.path("SecretID").asText());
        assertThat(read.path("ExpirationTime").isTextual()).isTrue();

        // What Nomad's Go client sends back: every field as read, ExpirationTTL "" for "not set".
        read.put("Name", "as-read-2").put("ExpirationTTL", "");
        JsonNode updated = ok("PUT", path, management, read.toString());
        assertThat(updated.path("Name").asText()).isEqualTo("as-read-2");
        assertThat(updated.path("SecretID").asText()).isEqualTo(created.path("SecretID").asText());
        assertThat(updated.path("ExpirationTime")).isEqualTo(created.path("ExpirationTime"));
        assertThat(updated.path("ModifyIndex").asLong()).isGreaterThan(created.path("ModifyIndex").asLong());

        ObjectNode otherSecret = read.deepCopy().put("SecretID", UUID.randomUUID().toString());
        HttpResponse<String> refused = OPERATOR.send("POST", path, management, otherSecret.toString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("SecretID cannot be changed").doesNotContain(otherSecret.path("SecretID")
                .asText()).doesNotContain(created.path("SecretID").asText());
        ObjectNode otherExpiry = read.deepCopy().put("ExpirationTime", "2999-01-01T00:00:00Z");
        assertThat(OPERATOR.send("POST", path, management, otherExpiry.toString()).body())
                .contains("the expiry of an existing token cannot be changed");
        assertThat(ok("GET", path, management, null).path("Name").asText()).isEqualTo("as-read-2");
    }

    private static JsonNode withoutNodeId(JsonNode member) {
        JsonNode copy = member.deepCopy();
        ((ObjectNode) copy).remove("NodeID");
        return copy;
    }

    private static List<String> accessors(JsonNode tokens) {
        List<String> ids = new ArrayList<>();
        tokens.forEach(token -> ids.add(token.path("AccessorID").asText()));
        return ids;
    }

    private static JsonNode ok(String method, String path, String token, String body) throws Exception {
        HttpResponse<String> response = OPERATOR.send(method, path, token, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }
}
