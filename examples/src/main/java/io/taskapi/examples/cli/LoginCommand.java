package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskapi login [-method NAME] -login-token FILE|-}, as {@code nomad login}: exchanges a JWT for an ACL token
 * through an auth method (the default one when {@code -method} is left out) and prints the token, its secret
 * included. The JWT is read from a file or standard input, never from the command line.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in through an ACL auth method and print the new token.")
public final class LoginCommand extends ApiCommand {
    @Option(names = "-method", paramLabel = "NAME", description = "The auth method (default: the default method).")
    String method;

    @Option(names = "-type", paramLabel = "TYPE", defaultValue = "JWT", description = "The method's type: JWT.")
    String type;

    @Option(names = "-login-token", paramLabel = "FILE", required = true,
            description = "A file holding the JWT, or - for standard input.")
    String loginToken;

    @Option(names = "-json", description = "Print the API's JSON.")
    boolean json;

    @Override
    String what() {
        return "logging in";
    }

    @Override
    int execute(ApiClient client) throws IOException, ApiException {
        String jwt = (loginToken.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(loginToken), StandardCharsets.UTF_8)).strip();
        String name = method;
        if (name == null) {
            for (JsonNode candidate : client.get("/v1/acl/auth-methods")) {
                if (candidate.path("Default").asBoolean()) {
                    name = candidate.path("Name").asText();
                }
            }
            if (name == null) {
                err().println("Error: no default auth method; name one with -method");
                return 1;
            }
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("AuthMethodName", name);
        body.put("LoginToken", jwt);
        JsonNode token = client.write("POST", "/v1/acl/login", body);
        if (!json) {
            out().printf("Successfully logged in via %s and %s%n%n", type, name);
        }
        AclCommands.printToken(out(), token, json);
        return 0;
    }
}
