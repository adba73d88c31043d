package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskapi node status}. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Inspect nodes.", subcommands = NodeCommands.Status.class)
public final class NodeCommands {
    private NodeCommands() {}

    /** {@code node status [-filter EXPR] [-json] [-verbose] [ID]}, with Nomad's table. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "List nodes (optionally matching a go-bexpr -filter), or show one.")
    public static final class Status extends ApiCommand {
        @Option(names = "-filter", paramLabel = "EXPR", description = "A go-bexpr expression over the node, for"
                + " example 'Meta.example == \"Hello World!\"'.")
        String filter;

        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Option(names = "-verbose", description = "Show full ids.")
        boolean verbose;

        @Parameters(paramLabel = "ID", arity = "0..1", description = "A node id or a unique prefix.")
        String id;

        @Override
        String what() {
            return "querying nodes";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            StringBuilder query = new StringBuilder("/v1/nodes");
            List<String> params = new ArrayList<>();
            if (filter != null) {
                params.add("filter=" + ApiClient.encode(filter));
            }
            if (id != null) {
                params.add("prefix=" + ApiClient.encode(id));
            }
            if (!params.isEmpty()) {
                query.append('?').append(String.join("&", params));
            }
            JsonNode nodes = client.get(query.toString());
            if (id != null) {
                if (nodes.size() != 1) {
                    err().println(nodes.size() == 0 ? "No node(s) with prefix \"" + id + "\" found"
                            : "Prefix \"" + id + "\" matched multiple nodes");
                    return 1;
                }
                return detail(client.get("/v1/node/" + ApiClient.encode(nodes.get(0).get("ID").asText())));
            }
            if (json) {
                out().println(Format.json(nodes));
                return 0;
            }
            if (nodes.size() == 0) {
                out().println(filter == null ? "No nodes registered" : "No nodes match the filter");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("ID", "Node Pool", "DC", "Name", "Class", "Drain", "Eligibility", "Status"));
            for (JsonNode node : nodes) {
                String nodeClass = Format.text(node, "NodeClass");
                rows.add(List.of(verbose ? node.get("ID").asText() : Format.shortId(node.get("ID").asText()),
                        Format.text(node, "NodePool"), Format.text(node, "Datacenter"), Format.text(node, "Name"),
                        nodeClass.isEmpty() ? "<none>" : nodeClass, Format.text(node, "Drain"),
                        Format.text(node, "SchedulingEligibility"), Format.text(node, "Status")));
            }
            out().print(Format.columns(rows));
            return 0;
        }

        private int detail(JsonNode node) {
            if (json) {
                out().println(Format.json(node));
                return 0;
            }
            String nodeClass = Format.text(node, "NodeClass");
            out().print(Format.keyValues(Format.pairs(
                    "ID", node.get("ID").asText(),
                    "Name", Format.text(node, "Name"),
                    "Node Pool", Format.text(node, "NodePool"),
                    "Class", nodeClass.isEmpty() ? "<none>" : nodeClass,
                    "DC", Format.text(node, "Datacenter"),
                    "Status", Format.text(node, "Status"))));
            printMap("Attributes", node.get("Attributes"));
            printMap("Meta", node.get("Meta"));
            return 0;
        }

        private void printMap(String title, JsonNode map) {
            if (map == null || !map.isObject()) {
                return;
            }
            Map<String, String> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> entry : map.properties()) {
                sorted.put(entry.getKey(), entry.getValue().asText());
            }
            List<String> pairs = new ArrayList<>();
            sorted.forEach((k, v) -> {
                pairs.add(k);
                pairs.add(v);
            });
            out().println();
            out().println(title);
            out().print(Format.keyValues(pairs));
        }
    }
}
