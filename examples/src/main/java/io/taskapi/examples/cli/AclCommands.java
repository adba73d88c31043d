package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskapi acl bootstrap | policy apply | token create | role … | auth-method … | binding-rule …}. */
@Command(name = "acl", mixinStandardHelpOptions = true, description = "Bootstrap ACLs, write policies, create tokens.",
        subcommands = {AclCommands.Bootstrap.class, AclCommands.Policy.class, AclCommands.Token.class,
            AclAuthCommands.Role.class, AclAuthCommands.AuthMethod.class, AclAuthCommands.BindingRule.class})
public final class AclCommands {
    private AclCommands() {}

    /** {@code acl bootstrap}: the one management token. Its secret is printed once, here, by design. */
    @Command(name = "bootstrap", mixinStandardHelpOptions = true, description = "Create the initial management token (once per cluster).")
    public static final class Bootstrap extends ApiCommand {
        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Override
        String what() {
            return "bootstrapping";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            printToken(out(), client.write("POST", "/v1/acl/bootstrap", null), json);
            return 0;
        }
    }

    /** {@code acl policy apply}. */
    @Command(name = "policy", mixinStandardHelpOptions = true, description = "Manage ACL policies.", subcommands = Apply.class)
    public static final class Policy {
        private Policy() {}
    }

    /**
     * {@code acl policy apply [-description D] [-namespace NS -job J [-group G [-task T]]] NAME FILE}: with
     * {@code -job}, the policy is bound to that job's workload identities (Nomad's JobACL).
     */
    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Create or update a policy from a file (HCL or JSON rules).")
    public static final class Apply extends ApiCommand {
        @Option(names = "-description", paramLabel = "TEXT", defaultValue = "", description = "A description.")
        String description;

        @Option(names = "-job", paramLabel = "JOB", description = "Bind the policy to this job's workload"
                + " identities (in -namespace).")
        String job;

        @Option(names = "-group", paramLabel = "GROUP", description = "With -job: only this group's tasks.")
        String group;

        @Option(names = "-task", paramLabel = "TASK", description = "With -group: only this task.")
        String task;

        @Parameters(index = "0", paramLabel = "NAME", description = "The policy's name.")
        String name;

        @Parameters(index = "1", paramLabel = "FILE", description = "The rules, or - for standard input.")
        String file;

        @Override
        String what() {
            return "writing the policy";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            if ((group != null && job == null) || (task != null && group == null)) {
                err().println("Error: -group needs -job, and -task needs -group");
                return 1;
            }
            String rules = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("Name", name);
            body.put("Description", description);
            body.put("Rules", rules);
            if (job != null) {
                ObjectNode jobAcl = body.putObject("JobACL");
                jobAcl.put("Namespace", api.namespace());
                jobAcl.put("JobID", job);
                jobAcl.put("Group", group == null ? "" : group);
                jobAcl.put("Task", task == null ? "" : task);
            }
            client.write("PUT", "/v1/acl/policy/" + ApiClient.encode(name), body);
            out().printf("Successfully wrote \"%s\" ACL policy!%n", name);
            return 0;
        }
    }

    /** {@code acl token create|delete}. */
    @Command(name = "token", mixinStandardHelpOptions = true, description = "Manage ACL tokens.",
            subcommands = {Create.class, Delete.class})
    public static final class Token {
        private Token() {}
    }

    /** {@code acl token create -name N -type client|management -policy P… [-ttl D]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token. Its secret is printed once.")
    public static final class Create extends ApiCommand {
        @Option(names = "-name", paramLabel = "NAME", defaultValue = "", description = "A name.")
        String name;

        @Option(names = "-type", paramLabel = "TYPE", defaultValue = "client",
                description = "client or management (default: ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "-policy", paramLabel = "POLICY", description = "A policy a client token holds; repeat it"
                + " for more.")
        List<String> policies = new ArrayList<>();

        @Option(names = "-role-name", paramLabel = "ROLE", description = "A role a client token holds, by name;"
                + " repeat it for more.")
        List<String> roleNames = new ArrayList<>();

        @Option(names = "-role-id", paramLabel = "ID", description = "A role a client token holds, by ID; repeat"
                + " it for more.")
        List<String> roleIds = new ArrayList<>();

        @Option(names = "-ttl", paramLabel = "DURATION", description = "Expire after this long, for example 1h.")
        String ttl;

        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Override
        String what() {
            return "creating the token";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("Name", name);
            body.put("Type", type);
            body.putArray("Policies").addAll(policies.stream().map(JsonNodeFactory.instance::textNode).toList());
            if (!roleNames.isEmpty() || !roleIds.isEmpty()) {
                roleNames.forEach(role -> body.withArray("Roles").addObject().put("Name", role));
                roleIds.forEach(role -> body.withArray("Roles").addObject().put("ID", role));
            }
            if (ttl != null) {
                body.put("ExpirationTTL", ttl);
            }
            printToken(out(), client.write("POST", "/v1/acl/token", body), json);
            return 0;
        }
    }

    /** {@code acl token delete ACCESSOR_ID}: revokes the token at once, on every agent of a cluster. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete (revoke) a token.")
    public static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ACCESSOR_ID", description = "The token's accessor ID.")
        String accessor;

        @Override
        String what() {
            return "deleting the token";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            client.send("DELETE", "/v1/acl/token/" + ApiClient.encode(accessor), null);
            out().println("Token " + accessor + " successfully deleted");
            return 0;
        }
    }

    private static String roles(JsonNode token) {
        List<String> names = new ArrayList<>();
        token.path("Roles").forEach(link -> names.add(link.path("Name").asText() + " (" + link.path("ID").asText()
                + ")"));
        return names.isEmpty() ? "n/a" : String.join(", ", names);
    }

    static void printToken(PrintWriter out, JsonNode token, boolean json) {
        if (json) {
            out.println(Format.json(token));
            return;
        }
        List<String> policies = new ArrayList<>();
        JsonNode list = token.get("Policies");
        if (list != null) {
            list.forEach(p -> policies.add(p.asText()));
        }
        String expiry = Format.text(token, "ExpirationTime");
        out.print(Format.keyValues(Format.pairs(
                "Accessor ID", Format.text(token, "AccessorID"),
                "Secret ID", Format.text(token, "SecretID"),
                "Name", Format.text(token, "Name"),
                "Type", Format.text(token, "Type"),
                "Global", Format.text(token, "Global"),
                "Create Time", Format.text(token, "CreateTime"),
                "Expiry Time", expiry.isEmpty() ? "<none>" : expiry,
                "Policies", policies.isEmpty() ? "n/a" : String.join(", ", policies),
                "Roles", roles(token))));
        out.flush();
    }
}
