package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskapi var get|put}: Nomad variables ({@code /v1/var/:path}). */
@Command(name = "var", mixinStandardHelpOptions = true, description = "Read and write variables.",
        subcommands = {VarCommands.Get.class, VarCommands.Put.class})
public final class VarCommands {
    private VarCommands() {}

    /** {@code var get [-item KEY] [-json] PATH}. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Read a variable.")
    public static final class Get extends ApiCommand {
        @Option(names = "-item", paramLabel = "KEY", description = "Print only this item's value.")
        String item;

        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Parameters(paramLabel = "PATH", description = "The variable's path, for example nomad/jobs/web.")
        String path;

        @Override
        String what() {
            return "retrieving variable";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            JsonNode variable = client.get("/v1/var/" + encodePath(path) + "?namespace="
                    + ApiClient.encode(api.namespace()));
            if (json) {
                out().println(Format.json(variable));
                return 0;
            }
            JsonNode items = variable.get("Items");
            if (item != null) {
                if (items == null || !items.has(item)) {
                    err().printf("Error: variable does not contain \"%s\" item%n", item);
                    return 1;
                }
                out().println(items.get(item).asText());
                return 0;
            }
            print(variable);
            return 0;
        }

        private void print(JsonNode variable) {
            out().print(Format.keyValues(Format.pairs(
                    "Namespace", Format.text(variable, "Namespace"),
                    "Path", Format.text(variable, "Path"),
                    "Create Time", variable.has("CreateTime") ? Format.nanos(variable.get("CreateTime").asLong()) : "",
                    "Check Index", Format.text(variable, "ModifyIndex"))));
            out().println();
            out().println("Items");
            List<String> pairs = new ArrayList<>();
            JsonNode items = variable.get("Items");
            if (items != null) {
                for (Map.Entry<String, JsonNode> entry : items.properties()) {
                    pairs.add(entry.getKey());
                    pairs.add(entry.getValue().asText());
                }
            }
            out().print(Format.keyValues(pairs));
        }
    }

    /** {@code var put PATH KEY=VALUE…}: replaces the variable's items. */
    @Command(name = "put", mixinStandardHelpOptions = true, description = "Write a variable's items (replacing them).")
    public static final class Put extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PATH", description = "The variable's path.")
        String path;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "The items.")
        List<String> items = new ArrayList<>();

        @Override
        String what() {
            return "creating variable";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("Namespace", api.namespace());
            body.put("Path", path);
            ObjectNode values = body.putObject("Items");
            for (int i = 0; i < items.size(); i++) {
                String pair = items.get(i);
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    // The argument itself is not echoed: it may hold a secret value.
                    err().println("Error: items are KEY=VALUE; item " + (i + 1) + " is not");
                    return 1;
                }
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            JsonNode written = client.write("PUT", "/v1/var/" + encodePath(path) + "?namespace="
                    + ApiClient.encode(api.namespace()), body);
            out().printf("Created variable \"%s\" with modify index %s%n", path,
                    written == null ? "?" : Format.text(written, "ModifyIndex"));
            return 0;
        }
    }

    private static String encodePath(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(ApiClient.encode(segment));
        }
        return String.join("/", segments);
    }
}
