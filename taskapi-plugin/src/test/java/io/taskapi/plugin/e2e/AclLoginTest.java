package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in through a JWT auth method, as an operator and a browser do: real curl over the operator's TCP listener
 * (and a task socket), the token answered as JSON and as the token cookie, the cookie then enough on its own, a
 * cross-site form post with it refused, and every bad login token refused with a JSON reason that holds nothing of it.
 */
final class AclLoginTest {
    private static final OperatorListener OPERATOR = OperatorListener.onFreePort();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LoginJwts ISSUER = new LoginJwts("corp-key");
    private static final LoginJwts STRANGER = new LoginJwts("corp-key");

    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder()
            .config("http.operator-address", OPERATOR.address())
            .build();

    @TempDir
    static Path tmp;

    private static String management;
    private static String readersRoleId;

    @BeforeAll
    static void configureTheAuthMethod() throws Exception {
        management = API.tokens().createManagementToken("admin").secretId();
        ok(OPERATOR.send("POST", "/v1/acl/policy/node-write", management,
                "{\"Rules\":\"node { policy = \\\"write\\\" }\"}"));
        ok(OPERATOR.send("POST", "/v1/acl/policy/dev-agent", management,
                "{\"Rules\":\"agent { policy = \\\"read\\\" }\"}"));
        JsonNode role = JSON.readTree(ok(OPERATOR.send("POST", "/v1/acl/role", management,
                "{\"Name\":\"writers\",\"Description\":\"engineering\",\"Policies\":[{\"Name\":\"node-write\"}]}")));
        readersRoleId = role.get("ID").asText();
        ok(OPERATOR.send("POST", "/v1/acl/auth-method", management, ISSUER.methodBody("corp")));
        ok(OPERATOR.send("POST", "/v1/acl/binding-rule", management, "{\"AuthMethod\":\"corp\",\"Selector\":"
                + "\"\\\"engineering\\\" in list.groups\",\"BindType\":\"role\",\"BindName\":\"writers\"}"));
        ok(OPERATOR.send("POST", "/v1/acl/binding-rule", management, "{\"AuthMethod\":\"corp\",\"Selector\":"
                + "\"value.role == \\\"Dev\\\"\",\"BindType\":\"policy\",\"BindName\":\"${value.role}-agent\"}"));
        ok(OPERATOR.send("POST", "/v1/acl/binding-rule", management, "{\"AuthMethod\":\"corp\",\"Selector\":"
                + "\"\\\"admins\\\" in list.groups\",\"BindType\":\"management\"}"));
    }

    @Test
    void aLoginAnswersTheTokenAsJsonAndAsACookieThatIsThenEnoughOnItsOwn() throws Exception {
        Curled login = curl("POST", "/v1/acl/login", List.of(), loginBody("corp", ISSUER.valid()));

        assertThat(login.status()).as(login.body()).isEqualTo(200);
        JsonNode token = JSON.readTree(login.body());
        String secret = token.get("SecretID").asText();
        assertThat(token.get("Type").asText()).isEqualTo("client");
        assertThat(token.get("Name").asText()).isEqualTo("JWT-corp");
        assertThat(token.get("Policies").toString()).isEqualTo("[\"dev-agent\"]");
        assertThat(token.get("Roles").toString()).isEqualTo("[{\"ID\":\"" + readersRoleId
                + "\",\"Name\":\"writers\"}]");
        Instant expiry = Instant.parse(token.get("ExpirationTime").asText());
        assertThat(expiry).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        String cookie = login.header("Set-Cookie");
        assertThat(cookie).startsWith("token=" + secret + "; Path=/; Max-Age=3600; Expires=")
                .endsWith("; HttpOnly; Secure; SameSite=Strict");

        List<String> withCookie = List.of("Cookie: token=" + secret);
        assertThat(curl("GET", "/v1/acl/token/self", withCookie, null).body()).contains(secret);
        assertThat(curl("GET", "/v1/agent/self", withCookie, null).status()).as("dev-agent policy").isEqualTo(200);
        Curled sameOrigin = curl("POST", "/v1/client/metadata", with(withCookie, "Sec-Fetch-Site: same-origin"),
                "{\"Meta\":{\"via.cookie\":\"yes\"}}");
        assertThat(sameOrigin.status()).as(sameOrigin.body()).isEqualTo(200);
        Curled matchingOrigin = curl("POST", "/v1/client/metadata",
                with(withCookie, "Origin: http://" + OPERATOR.address()), "{\"Meta\":{\"via.origin\":\"yes\"}}");
        assertThat(matchingOrigin.status()).as(matchingOrigin.body()).isEqualTo(200);
    }

    @Test
    void aCrossSiteFormPostWithOnlyTheCookieIsRefused() throws Exception {
        String secret = JSON.readTree(curl("POST", "/v1/acl/login", List.of(), loginBody("corp", ISSUER.valid()))
                .body()).get("SecretID").asText();
        List<String> cookie = List.of("Cookie: token=" + secret,
                "Content-Type: application/x-www-form-urlencoded");

        Curled crossSite = curl("POST", "/v1/client/metadata", with(cookie, "Origin: https://evil.example",
                "Sec-Fetch-Site: cross-site"), "Meta.evil=yes");
        Curled noProof = curl("POST", "/v1/client/metadata", cookie, "{\"Meta\":{\"no.proof\":\"yes\"}}");
        Curled foreignOrigin = curl("POST", "/v1/client/metadata", with(cookie, "Origin: https://evil.example"),
                "{\"Meta\":{\"evil\":\"yes\"}}");

        for (Curled refused : List.of(crossSite, noProof, foreignOrigin)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).get("errors").get(0).asText()).contains("cross-site");
        }
        assertThat(curl("GET", "/v1/client/metadata", List.of("X-Nomad-Token: " + management), null).body())
                .doesNotContain("evil").doesNotContain("no.proof");
        // The same token in its header is not ambient: no proof needed.
        Curled header = curl("POST", "/v1/client/metadata", List.of("X-Nomad-Token: " + secret),
                "{\"Meta\":{\"by.header\":\"yes\"}}");
        assertThat(header.status()).as(header.body()).isEqualTo(200);
        // A cross-site login attempt is refused too: no site can plant its own token in a visitor's browser.
        Curled crossSiteLogin = curl("POST", "/v1/acl/login", List.of("Sec-Fetch-Site: cross-site"),
                loginBody("corp", ISSUER.valid()));
        assertThat(crossSiteLogin.status()).isEqualTo(403);
    }

    @Test
    void badLoginTokensAreRefusedWithAReasonThatHoldsNothingOfThem() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("expired", ISSUER.sign(Instant.now().minusSeconds(600), Map.of("groups", List.of("engineering"))));
        bad.put("unknown key", STRANGER.valid());
        String valid = ISSUER.valid();
        bad.put("bad signature", valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(
                valid.lastIndexOf('.') + 5));
        bad.put("not a JWT", "not-a-jwt");
        bad.put("alg none", "eyJhbGciOiJub25lIn0." + valid.split("\\.")[1] + ".");

        for (Map.Entry<String, String> login : bad.entrySet()) {
            Curled refused = curl("POST", "/v1/acl/login", List.of(), loginBody("corp", login.getValue()));
            assertThat(refused.status()).as(login.getKey() + ": " + refused.body()).isEqualTo(401);
            assertThat(JSON.readTree(refused.body()).get("errors").get(0).asText())
                    .as(login.getKey()).startsWith("unable to validate provided token: ");
            for (String part : login.getValue().split("\\.")) {
                if (part.length() > 8) {
                    assertThat(refused.body()).as(login.getKey()).doesNotContain(part);
                }
            }
        }
        Curled wrongAudience = curl("POST", "/v1/acl/login", List.of(), loginBody("corp",
                ISSUER.sign(Instant.now().plusSeconds(600), Map.of("aud", "someone-else"))));
        assertThat(wrongAudience.status()).isEqualTo(401);
        assertThat(wrongAudience.body()).contains("audience");

        Curled noRule = curl("POST", "/v1/acl/login", List.of(), loginBody("corp",
                ISSUER.sign(Instant.now().plusSeconds(600), Map.of("groups", List.of("sales")))));
        assertThat(noRule.status()).isEqualTo(400);
        assertThat(noRule.body()).contains("no role or policy bindings matched");
        Curled unknownMethod = curl("POST", "/v1/acl/login", List.of(), loginBody("nope", valid));
        assertThat(unknownMethod.status()).isEqualTo(400);
        assertThat(unknownMethod.body()).contains("auth-method \\\"nope\\\" not found");
    }

    @Test
    void aManagementRuleGivesAManagementTokenAndAJwksFileWorksAsTheKeySource() throws Exception {
        Path jwks = tmp.resolve("jwks.json");
        Files.writeString(jwks, ISSUER.jwks());
        String body = ISSUER.methodBody("corp-jwks").replaceFirst("\"JWTValidationPubKeys\":\\[\"[^\"]*\"\\]",
                "\"JWKSURL\":\"" + jwks.toUri() + "\"");
        ok(OPERATOR.send("POST", "/v1/acl/auth-method", management, body));
        ok(OPERATOR.send("POST", "/v1/acl/binding-rule", management, "{\"AuthMethod\":\"corp-jwks\","
                + "\"Selector\":\"\\\"admins\\\" in list.groups\",\"BindType\":\"management\"}"));

        Curled login = curl("POST", "/v1/acl/login", List.of(), loginBody("corp-jwks",
                ISSUER.sign(Instant.now().plusSeconds(600), Map.of("groups", List.of("admins")))));

        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(JSON.readTree(login.body()).get("Type").asText()).isEqualTo("management");
    }

    @Test
    void aTaskExchangesItsWorkloadIdentityForATokenThroughAMethodThatReadsTheAgentsJwksOverHttp() throws Exception {
        // The method's keys are the plugin's own, fetched over HTTP from its JWKS route, as a Nomad user points an
        // auth method at an agent's /.well-known/jwks.json.
        ok(OPERATOR.send("POST", "/v1/acl/auth-method", management, "{\"Name\":\"workloads\",\"Type\":\"JWT\","
                + "\"TokenLocality\":\"local\",\"MaxTokenTTL\":\"10m\",\"Config\":{\"JWKSURL\":\"http://"
                + OPERATOR.address() + "/.well-known/jwks.json\",\"BoundAudiences\":[\"nomadproject.io\"],"
                + "\"ClaimMappings\":{\"nomad_task\":\"task\"}}}"));
        ok(OPERATOR.send("POST", "/v1/acl/binding-rule", management, "{\"AuthMethod\":\"workloads\",\"Selector\":"
                + "\"value.task == \\\"exchanger\\\"\",\"BindType\":\"policy\",\"BindName\":\"node-write\"}"));
        TestTask task = API.newTask("exchanger");
        task.openSocket();

        HttpResponse login = task.client().request("POST", "/v1/acl/login")
                .json(loginBody("workloads", task.identity())).send();

        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.json().get("Policies").toString()).isEqualTo("[\"node-write\"]");
        String secret = login.json().get("SecretID").asText();
        assertThat(curl("GET", "/v1/nodes", List.of("X-Nomad-Token: " + secret), null).status()).isEqualTo(200);

        TestTask other = API.newTask("someone-else");
        other.openSocket();
        HttpResponse refused = other.client().request("POST", "/v1/acl/login")
                .json(loginBody("workloads", other.identity())).send();
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("no role or policy bindings matched");
    }

    @Test
    void deletingTheRoleTakesItsPoliciesAwayAtOnce() throws Exception {
        JsonNode role = JSON.readTree(ok(OPERATOR.send("POST", "/v1/acl/role", management,
                "{\"Name\":\"temporary\",\"Policies\":[{\"Name\":\"node-write\"}]}")));
        JsonNode token = JSON.readTree(ok(OPERATOR.send("POST", "/v1/acl/token", management,
                "{\"Name\":\"with-role\",\"Type\":\"client\",\"Roles\":[{\"Name\":\"temporary\"}]}")));
        List<String> header = List.of("X-Nomad-Token: " + token.get("SecretID").asText());
        assertThat(curl("GET", "/v1/nodes", header, null).status()).isEqualTo(200);
        assertThat(curl("GET", "/v1/acl/role/name/temporary", header, null).status()).as("a holder reads its role")
                .isEqualTo(200);

        ok(OPERATOR.send("DELETE", "/v1/acl/role/" + role.get("ID").asText(), management, null));

        assertThat(curl("GET", "/v1/nodes", header, null).status()).isEqualTo(403);
    }

    @Test
    void aTaskLogsInThroughItsSocketWithoutACredential() throws Exception {
        TestTask task = API.newTask("login");
        task.openSocket();

        HttpResponse login = task.client().request("POST", "/v1/acl/login")
                .json(loginBody("corp", ISSUER.valid())).send();

        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.header("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("token=" + login.json().get("SecretID").asText() + ";"));
    }

    private static String loginBody(String method, String jwt) {
        return "{\"AuthMethodName\":\"" + method + "\",\"LoginToken\":\"" + jwt + "\"}";
    }

    private static List<String> with(List<String> headers, String... more) {
        List<String> all = new ArrayList<>(headers);
        all.addAll(List.of(more));
        return all;
    }

    private static String ok(java.net.http.HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** A curl answer: status, body and headers. */
    private record Curled(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).strip();
                }
            }
            return null;
        }
    }

    /** Real curl over the operator's TCP listener, headers kept. */
    private static Curled curl(String method, String path, List<String> headers, String body) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-X", method, "-i"));
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        if (body != null) {
            command.addAll(List.of("--data-binary", body));
        }
        command.add("http://" + OPERATOR.address() + path);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("curl did not finish");
            }
            int split = out.indexOf("\r\n\r\n");
            String head = split < 0 ? out : out.substring(0, split);
            int status = Integer.parseInt(head.split(" ")[1]);
            return new Curled(status, head, split < 0 ? "" : out.substring(split + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
