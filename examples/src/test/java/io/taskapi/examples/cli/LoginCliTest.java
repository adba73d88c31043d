package io.taskapi.examples.cli;

import static io.taskapi.examples.cli.TaskapiProcesses.awaitLine;
import static io.taskapi.examples.cli.TaskapiProcesses.bootstrap;
import static io.taskapi.examples.cli.TaskapiProcesses.command;
import static io.taskapi.examples.cli.TaskapiProcesses.ok;
import static io.taskapi.examples.cli.TaskapiProcesses.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.taskapi.examples.cli.TaskapiProcesses.Result;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskapi acl role|auth-method|binding-rule …} and {@code taskapi login}, each its own process against an agent
 * process, as an operator sets up JWT login and a user logs in with a file or standard input.
 */
final class LoginCliTest {
    @TempDir
    Path files;

    @Test
    @Timeout(240)
    void anOperatorSetsUpJwtLoginAndAUserLogsIn() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(Map.of("NOMAD_ADDR", "http://127.0.0.1:" + port));
        Process agent = command(Map.of(), "agent", "-dev", "-acl-enabled", "-port", Integer.toString(port))
                .redirectError(files.resolve("agent.stderr").toFile()).start();
        try {
            awaitLine(agent, "==> taskapi agent started!");
            env.put("NOMAD_TOKEN", bootstrap(env));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Path rules = files.resolve("node-read.hcl");
            Files.writeString(rules, "node {\n  policy = \"read\"\n}\n");
            ok(env, "acl", "policy", "apply", "node-read", rules.toString());

            Result role = ok(env, "acl", "role", "create", "-name", "readers", "-description", "engineering",
                    "-policy", "node-read");
            Matcher roleId = Pattern.compile("ID\\s+= ([0-9a-f-]{36})").matcher(role.out());
            assertThat(roleId.find()).as(role.out()).isTrue();
            assertThat(flat(role.out())).contains("Name = readers").contains("Policies = node-read");
            assertThat(ok(env, "acl", "role", "list").out()).contains("readers").contains("node-read");
            assertThat(ok(env, "acl", "role", "info", "-by-name", "readers").out()).contains(roleId.group(1));

            Path config = files.resolve("config.json");
            String pem = "-----BEGIN PUBLIC KEY-----\\n" + Base64.getEncoder().encodeToString(
                    keys.getPublic().getEncoded()) + "\\n-----END PUBLIC KEY-----";
            Files.writeString(config, "{\"JWTValidationPubKeys\":[\"" + pem + "\"],\"BoundAudiences\":[\"taskapi\"],"
                    + "\"ListClaimMappings\":{\"groups\":\"groups\"}}");
            Result method = ok(env, "acl", "auth-method", "create", "-name", "corp", "-type", "JWT",
                    "-max-token-ttl", "30m", "-token-locality", "local", "-default", "-config", "@" + config);
            assertThat(flat(method.out())).contains("Name = corp").contains("Max Token TTL = 30m0s")
                    .contains("Default = true");
            assertThat(ok(env, "acl", "auth-method", "list").out()).contains("corp").contains("JWT");
            Result rule = ok(env, "acl", "binding-rule", "create", "-auth-method", "corp", "-bind-type", "role",
                    "-bind-name", "readers", "-selector", "\"engineering\" in list.groups");
            Matcher ruleId = Pattern.compile("ID\\s+= ([0-9a-f-]{36})").matcher(rule.out());
            assertThat(ruleId.find()).as(rule.out()).isTrue();
            assertThat(ok(env, "acl", "binding-rule", "list").out()).contains(ruleId.group(1));

            Path jwtFile = files.resolve("login.jwt");
            Files.writeString(jwtFile, jwt(keys, List.of("engineering")));
            Map<String, String> user = Map.of("NOMAD_ADDR", env.get("NOMAD_ADDR"));
            Result login = ok(user, "login", "-method", "corp", "-login-token", jwtFile.toString());
            assertThat(flat(login.out())).startsWith("Successfully logged in via JWT and corp\n\n")
                    .contains("Type = client").contains("Roles = readers (" + roleId.group(1) + ")");
            Matcher secret = Pattern.compile("Secret ID\\s+= ([0-9a-f-]{36})").matcher(login.out());
            assertThat(secret.find()).isTrue();
            assertThat(ok(Map.of("NOMAD_ADDR", env.get("NOMAD_ADDR"), "NOMAD_TOKEN", secret.group(1)),
                    "node", "status").out()).contains("ready");

            // The default method, and the JWT on standard input.
            Process piped = command(user, "login", "-login-token", "-").start();
            try (OutputStream stdin = piped.getOutputStream()) {
                stdin.write(jwt(keys, List.of("engineering")).getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(piped.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(piped.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(piped.exitValue()).as(out).isZero();
            assertThat(out).startsWith("Successfully logged in via JWT and corp");

            Files.writeString(jwtFile, jwt(keys, List.of("sales")));
            Result refused = run(user, "login", "-method", "corp", "-login-token", jwtFile.toString());
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("Unexpected response code: 400")
                    .contains("no role or policy bindings matched");

            assertThat(flat(ok(env, "acl", "role", "update", "-description", "renamed", roleId.group(1)).out()))
                    .contains("Description = renamed").contains("Policies = node-read");
            assertThat(flat(ok(env, "acl", "binding-rule", "update", "-description", "eng", ruleId.group(1)).out()))
                    .contains("Description = eng");
            assertThat(flat(ok(env, "acl", "auth-method", "update", "-max-token-ttl", "1h", "corp").out()))
                    .contains("Max Token TTL = 1h0m0s");
            assertThat(ok(env, "acl", "binding-rule", "delete", ruleId.group(1)).out())
                    .isEqualTo("ACL binding rule " + ruleId.group(1) + " successfully deleted\n");
            assertThat(ok(env, "acl", "auth-method", "delete", "corp").out())
                    .isEqualTo("ACL auth method corp successfully deleted\n");
            assertThat(ok(env, "acl", "role", "delete", roleId.group(1)).out())
                    .isEqualTo("ACL role " + roleId.group(1) + " successfully deleted\n");
            assertThat(ok(env, "acl", "role", "list").out()).isEqualTo("No ACL roles found\n");
        } finally {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    /** Key-value output with its padding collapsed: {@code Name = corp}. */
    private static String flat(String out) {
        return out.replaceAll(" +", " ");
    }

    @SuppressWarnings("JavaUtilDate") // nimbus' claim setters take Date
    private static String jwt(KeyPair keys, List<String> groups) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), new JWTClaimsSet.Builder()
                .audience("taskapi").subject("alice").claim("groups", groups)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }
}
