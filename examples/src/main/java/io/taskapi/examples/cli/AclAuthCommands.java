package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * {@code taskapi acl role | auth-method | binding-rule create|list|info|update|delete}, with Nomad's flags, and
 * {@code taskapi login}.
 */
final class AclAuthCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AclAuthCommands() {}

    /** {@code acl role}. */
    @Command(name = "role", mixinStandardHelpOptions = true, description = "Manage ACL roles.",
            subcommands = {RoleCreate.class, RoleList.class, RoleInfo.class, RoleUpdate.class, RoleDelete.class})
    static final class Role {
        private Role() {}
    }

    /** Flags shared by role create and update. */
    abstract static class RoleWrite extends ApiCommand {
        @Option(names = "-name", paramLabel = "NAME", description = "The role's name.")
        String name;

        @Option(names = "-description", paramLabel = "TEXT", description = "A description.")
        String description;

        @Option(names = "-policy", paramLabel = "POLICY", description = "A policy the role holds; repeat for more.")
        List<String> policies = new ArrayList<>();

        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        ObjectNode body(JsonNode existing) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("Name", name != null ? name : existing == null ? "" : existing.path("Name").asText());
            body.put("Description", description != null ? description
                    : existing == null ? "" : existing.path("Description").asText());
            List<String> names = new ArrayList<>(policies);
            if (existing != null && (names.isEmpty() || !noMerge())) {
                existing.path("Policies").forEach(link -> {
                    if (!names.contains(link.path("Name").asText())) {
                        names.add(link.path("Name").asText());
                    }
                });
            }
            names.forEach(policy -> body.withArray("Policies").addObject().put("Name", policy));
            return body;
        }

        boolean noMerge() {
            return false;
        }
    }

    /** {@code acl role create -name N [-description D] -policy P…}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an ACL role.")
    static final class RoleCreate extends RoleWrite {
        @Override
        String what() {
            return "creating ACL role";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            printRole(out(), client.write("POST", "/v1/acl/role", body(null)), json);
            return 0;
        }
    }

    /** {@code acl role update [-name] [-description] [-policy…] [-no-merge] ID}. */
    @Command(name = "update", mixinStandardHelpOptions = true, description = "Update an ACL role.")
    static final class RoleUpdate extends RoleWrite {
        @Option(names = "-no-merge", description = "Replace the role's policies with -policy instead of adding.")
        boolean replace;

        @Parameters(index = "0", paramLabel = "ID", description = "The role's ID.")
        String id;

        @Override
        boolean noMerge() {
            return replace;
        }

        @Override
        String what() {
            return "updating ACL role";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            JsonNode existing = client.get("/v1/acl/role/" + ApiClient.encode(id));
            ObjectNode body = body(existing);
            body.put("ID", id);
            printRole(out(), client.write("POST", "/v1/acl/role/" + ApiClient.encode(id), body), json);
            return 0;
        }
    }

    /** {@code acl role list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List ACL roles.")
    static final class RoleList extends ApiCommand {
        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Override
        String what() {
            return "listing ACL roles";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            JsonNode roles = client.get("/v1/acl/roles");
            if (json) {
                out().println(Format.json(roles));
            } else if (roles.isEmpty()) {
                out().println("No ACL roles found");
            } else {
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("ID", "Name", "Description", "Policies"));
                roles.forEach(role -> rows.add(List.of(role.path("ID").asText(), role.path("Name").asText(),
                        role.path("Description").asText(), policyNames(role))));
                out().print(Format.columns(rows));
            }
            out().flush();
            return 0;
        }
    }

    /** {@code acl role info [-by-name] ID|NAME}. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show an ACL role.")
    static final class RoleInfo extends ApiCommand {
        @Option(names = "-by-name", description = "Look the role up by name instead of ID.")
        boolean byName;

        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Parameters(index = "0", paramLabel = "ID", description = "The role's ID (or name, with -by-name).")
        String id;

        @Override
        String what() {
            return "reading ACL role";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            printRole(out(), client.get((byName ? "/v1/acl/role/name/" : "/v1/acl/role/") + ApiClient.encode(id)),
                    json);
            return 0;
        }
    }

    /** {@code acl role delete ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an ACL role.")
    static final class RoleDelete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The role's ID.")
        String id;

        @Override
        String what() {
            return "deleting ACL role";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            client.write("DELETE", "/v1/acl/role/" + ApiClient.encode(id), null);
            out().printf("ACL role %s successfully deleted%n", id);
            return 0;
        }
    }

    /** {@code acl auth-method}. */
    @Command(name = "auth-method", mixinStandardHelpOptions = true, description = "Manage ACL auth methods.",
            subcommands = {MethodCreate.class, MethodList.class, MethodInfo.class, MethodUpdate.class,
                MethodDelete.class})
    static final class AuthMethod {
        private AuthMethod() {}
    }

    /** Flags shared by auth method create and update. */
    abstract static class MethodWrite extends ApiCommand {
        @Option(names = "-type", paramLabel = "TYPE", description = "The method's type: JWT.")
        String type;

        @Option(names = "-max-token-ttl", paramLabel = "DURATION", description = "How long its tokens live.")
        String maxTokenTtl;

        @Option(names = "-token-locality", paramLabel = "LOCALITY", description = "local or global.")
        String tokenLocality;

        @Option(names = "-default", arity = "0..1", paramLabel = "BOOL", description = "Make it the default method.")
        Boolean isDefault;

        @Option(names = "-config", paramLabel = "JSON", description = "The config as JSON, or @FILE to read it.")
        String config;

        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        ObjectNode body(String name, JsonNode existing) throws IOException {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("Name", name);
            body.put("Type", pick(type, existing, "Type", "JWT"));
            body.put("TokenLocality", pick(tokenLocality, existing, "TokenLocality", "local"));
            body.put("MaxTokenTTL", pick(maxTokenTtl, existing, "MaxTokenTTL", ""));
            body.put("Default", isDefault != null ? isDefault : existing != null && existing.path("Default")
                    .asBoolean());
            if (config != null) {
                String text = config.startsWith("@")
                        ? Files.readString(Path.of(config.substring(1)), StandardCharsets.UTF_8) : config;
                body.set("Config", JSON.readTree(text));
            } else if (existing != null) {
                body.set("Config", existing.get("Config"));
            }
            return body;
        }

        private static String pick(String given, JsonNode existing, String field, String otherwise) {
            return given != null ? given : existing != null ? existing.path(field).asText() : otherwise;
        }
    }

    /** {@code acl auth-method create -name N -type JWT -max-token-ttl D -token-locality L [-default] -config J}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an ACL auth method.")
    static final class MethodCreate extends MethodWrite {
        @Option(names = "-name", paramLabel = "NAME", required = true, description = "The method's name.")
        String name;

        @Override
        String what() {
            return "creating ACL auth method";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            printMethod(out(), client.write("POST", "/v1/acl/auth-method", body(name, null)), json);
            return 0;
        }
    }

    /** {@code acl auth-method update [flags] NAME}. */
    @Command(name = "update", mixinStandardHelpOptions = true, description = "Update an ACL auth method.")
    static final class MethodUpdate extends MethodWrite {
        @Parameters(index = "0", paramLabel = "NAME", description = "The method's name.")
        String name;

        @Override
        String what() {
            return "updating ACL auth method";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            JsonNode existing = client.get("/v1/acl/auth-method/" + ApiClient.encode(name));
            printMethod(out(), client.write("POST", "/v1/acl/auth-method/" + ApiClient.encode(name),
                    body(name, existing)), json);
            return 0;
        }
    }

    /** {@code acl auth-method list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List ACL auth methods.")
    static final class MethodList extends ApiCommand {
        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Override
        String what() {
            return "listing ACL auth methods";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            JsonNode methods = client.get("/v1/acl/auth-methods");
            if (json) {
                out().println(Format.json(methods));
            } else if (methods.isEmpty()) {
                out().println("No ACL auth methods found");
            } else {
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("Name", "Type", "Default"));
                methods.forEach(method -> rows.add(List.of(method.path("Name").asText(),
                        method.path("Type").asText(), method.path("Default").asText())));
                out().print(Format.columns(rows));
            }
            out().flush();
            return 0;
        }
    }

    /** {@code acl auth-method info NAME}. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show an ACL auth method.")
    static final class MethodInfo extends ApiCommand {
        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Parameters(index = "0", paramLabel = "NAME", description = "The method's name.")
        String name;

        @Override
        String what() {
            return "reading ACL auth method";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            printMethod(out(), client.get("/v1/acl/auth-method/" + ApiClient.encode(name)), json);
            return 0;
        }
    }

    /** {@code acl auth-method delete NAME}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an ACL auth method.")
    static final class MethodDelete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The method's name.")
        String name;

        @Override
        String what() {
            return "deleting ACL auth method";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            client.write("DELETE", "/v1/acl/auth-method/" + ApiClient.encode(name), null);
            out().printf("ACL auth method %s successfully deleted%n", name);
            return 0;
        }
    }

    /** {@code acl binding-rule}. */
    @Command(name = "binding-rule", mixinStandardHelpOptions = true, description = "Manage ACL binding rules.",
            subcommands = {RuleCreate.class, RuleList.class, RuleInfo.class, RuleUpdate.class, RuleDelete.class})
    static final class BindingRule {
        private BindingRule() {}
    }

    /** Flags shared by binding rule create and update. */
    abstract static class RuleWrite extends ApiCommand {
        @Option(names = "-description", paramLabel = "TEXT", description = "A description.")
        String description;

        @Option(names = "-auth-method", paramLabel = "NAME", description = "The auth method it belongs to.")
        String authMethod;

        @Option(names = "-selector", paramLabel = "EXPR", description = "A go-bexpr selector over the claims.")
        String selector;

        @Option(names = "-bind-type", paramLabel = "TYPE", description = "role, policy or management.")
        String bindType;

        @Option(names = "-bind-name", paramLabel = "NAME", description = "The role or policy, ${value.x} allowed.")
        String bindName;

        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        ObjectNode body(JsonNode existing) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("Description", pick(description, existing, "Description"));
            body.put("AuthMethod", pick(authMethod, existing, "AuthMethod"));
            body.put("Selector", pick(selector, existing, "Selector"));
            body.put("BindType", pick(bindType, existing, "BindType"));
            body.put("BindName", pick(bindName, existing, "BindName"));
            return body;
        }

        private static String pick(String given, JsonNode existing, String field) {
            return given != null ? given : existing != null ? existing.path(field).asText() : "";
        }
    }

    /** {@code acl binding-rule create -auth-method M -bind-type T [-bind-name N] [-selector S] [-description D]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an ACL binding rule.")
    static final class RuleCreate extends RuleWrite {
        @Override
        String what() {
            return "creating ACL binding rule";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            printRule(out(), client.write("POST", "/v1/acl/binding-rule", body(null)), json);
            return 0;
        }
    }

    /** {@code acl binding-rule update [flags] ID}. */
    @Command(name = "update", mixinStandardHelpOptions = true, description = "Update an ACL binding rule.")
    static final class RuleUpdate extends RuleWrite {
        @Parameters(index = "0", paramLabel = "ID", description = "The rule's ID.")
        String id;

        @Override
        String what() {
            return "updating ACL binding rule";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            JsonNode existing = client.get("/v1/acl/binding-rule/" + ApiClient.encode(id));
            ObjectNode body = body(existing);
            body.put("ID", id);
            printRule(out(), client.write("POST", "/v1/acl/binding-rule/" + ApiClient.encode(id), body), json);
            return 0;
        }
    }

    /** {@code acl binding-rule list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List ACL binding rules.")
    static final class RuleList extends ApiCommand {
        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Override
        String what() {
            return "listing ACL binding rules";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            JsonNode rules = client.get("/v1/acl/binding-rules");
            if (json) {
                out().println(Format.json(rules));
            } else if (rules.isEmpty()) {
                out().println("No ACL binding rules found");
            } else {
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("ID", "Description", "Auth Method"));
                rules.forEach(rule -> rows.add(List.of(rule.path("ID").asText(), rule.path("Description").asText(),
                        rule.path("AuthMethod").asText())));
                out().print(Format.columns(rows));
            }
            out().flush();
            return 0;
        }
    }

    /** {@code acl binding-rule info ID}. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show an ACL binding rule.")
    static final class RuleInfo extends ApiCommand {
        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Parameters(index = "0", paramLabel = "ID", description = "The rule's ID.")
        String id;

        @Override
        String what() {
            return "reading ACL binding rule";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            printRule(out(), client.get("/v1/acl/binding-rule/" + ApiClient.encode(id)), json);
            return 0;
        }
    }

    /** {@code acl binding-rule delete ID}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an ACL binding rule.")
    static final class RuleDelete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The rule's ID.")
        String id;

        @Override
        String what() {
            return "deleting ACL binding rule";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            client.write("DELETE", "/v1/acl/binding-rule/" + ApiClient.encode(id), null);
            out().printf("ACL binding rule %s successfully deleted%n", id);
            return 0;
        }
    }

    private static String policyNames(JsonNode role) {
        List<String> names = new ArrayList<>();
        role.path("Policies").forEach(link -> names.add(link.path("Name").asText()));
        return String.join(",", names);
    }

    static void printRole(PrintWriter out, JsonNode role, boolean json) {
        if (json) {
            out.println(Format.json(role));
        } else {
            out.print(Format.keyValues(Format.pairs(
                    "ID", Format.text(role, "ID"),
                    "Name", Format.text(role, "Name"),
                    "Description", Format.text(role, "Description"),
                    "Policies", policyNames(role),
                    "Create Index", Format.text(role, "CreateIndex"),
                    "Modify Index", Format.text(role, "ModifyIndex"))));
        }
        out.flush();
    }

    static void printMethod(PrintWriter out, JsonNode method, boolean json) {
        if (json) {
            out.println(Format.json(method));
        } else {
            out.print(Format.keyValues(Format.pairs(
                    "Name", Format.text(method, "Name"),
                    "Type", Format.text(method, "Type"),
                    "Locality", Format.text(method, "TokenLocality"),
                    "Max Token TTL", Format.text(method, "MaxTokenTTL"),
                    "Default", Format.text(method, "Default"),
                    "Create Index", Format.text(method, "CreateIndex"),
                    "Modify Index", Format.text(method, "ModifyIndex"))));
            out.println();
            out.println("Auth Method Config");
            out.println(Format.json(method.get("Config")));
        }
        out.flush();
    }

    static void printRule(PrintWriter out, JsonNode rule, boolean json) {
        if (json) {
            out.println(Format.json(rule));
        } else {
            out.print(Format.keyValues(Format.pairs(
                    "ID", Format.text(rule, "ID"),
                    "Description", Format.text(rule, "Description"),
                    "Auth Method", Format.text(rule, "AuthMethod"),
                    "Selector", Format.text(rule, "Selector"),
                    "Bind Type", Format.text(rule, "BindType"),
                    "Bind Name", Format.text(rule, "BindName"),
                    "Create Index", Format.text(rule, "CreateIndex"),
                    "Modify Index", Format.text(rule, "ModifyIndex"))));
        }
        out.flush();
    }
}
