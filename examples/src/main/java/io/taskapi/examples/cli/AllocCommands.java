package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskapi alloc status}. */
@Command(name = "alloc", mixinStandardHelpOptions = true, description = "Inspect allocations.", subcommands = AllocCommands.Status.class)
public final class AllocCommands {
    private AllocCommands() {}

    /** {@code alloc status [-json] [ID]}: every allocation of the namespace, or one (an id prefix is enough). */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "List allocations, or show one with its tasks' states and exit codes.")
    public static final class Status extends ApiCommand {
        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Option(names = "-verbose", description = "Show full ids.")
        boolean verbose;

        @Parameters(paramLabel = "ID", arity = "0..1", description = "An allocation id or a unique prefix.")
        String id;

        @Override
        String what() {
            return "querying allocations";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            String namespace = "namespace=" + ApiClient.encode(api.namespace());
            if (id == null) {
                JsonNode allocs = client.get("/v1/allocations?" + namespace);
                out().print(json ? Format.json(allocs) + "\n" : allocs.size() == 0 ? "No allocations\n"
                        : table(allocs));
                return 0;
            }
            JsonNode matches = client.get("/v1/allocations?" + namespace + "&prefix=" + ApiClient.encode(id));
            if (matches.size() != 1) {
                err().println(matches.size() == 0 ? "No allocation(s) with prefix or id \"" + id + "\" found"
                        : "Prefix \"" + id + "\" matched multiple allocations");
                return 1;
            }
            JsonNode alloc = client.get("/v1/allocation/" + ApiClient.encode(matches.get(0).get("ID").asText())
                    + "?" + namespace);
            if (json) {
                out().println(Format.json(alloc));
                return 0;
            }
            out().print(Format.keyValues(Format.pairs(
                    "ID", alloc.get("ID").asText(),
                    "Name", alloc.get("Name").asText(),
                    "Node ID", shorten(alloc.get("NodeID").asText()),
                    "Node Name", alloc.get("NodeName").asText(),
                    "Job ID", alloc.get("JobID").asText(),
                    "Namespace", alloc.get("Namespace").asText(),
                    "Client Status", alloc.get("ClientStatus").asText(),
                    "Desired Status", alloc.get("DesiredStatus").asText(),
                    "Created", Format.nanos(alloc.get("CreateTime").asLong()),
                    "Modified", Format.nanos(alloc.get("ModifyTime").asLong()))));
            for (Map.Entry<String, JsonNode> task : alloc.get("TaskStates").properties()) {
                JsonNode state = task.getValue();
                out().println();
                out().printf("Task \"%s\" is \"%s\"%n", task.getKey(), state.get("State").asText());
                JsonNode exit = state.get("ExitCode");
                out().print(Format.keyValues(Format.pairs(
                        "Started At", Format.text(state, "StartedAt").isEmpty() ? "N/A" : state.get("StartedAt")
                                .asText(),
                        "Finished At", Format.text(state, "FinishedAt").isEmpty() ? "N/A" : state.get("FinishedAt")
                                .asText(),
                        "Failed", state.get("Failed").asText(),
                        "Exit Code", exit == null || exit.isNull() ? "N/A" : exit.asText())));
                out().println();
                out().println("Recent Events:");
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("Time", "Type", "Description"));
                List<JsonNode> events = new ArrayList<>();
                state.get("Events").forEach(events::add);
                for (int i = events.size() - 1; i >= 0; i--) {
                    JsonNode event = events.get(i);
                    rows.add(List.of(Format.nanos(event.get("Time").asLong()), event.get("Type").asText(),
                            event.get("DisplayMessage").asText()));
                }
                out().print(Format.columns(rows));
            }
            return 0;
        }

        private String shorten(String value) {
            return verbose ? value : Format.shortId(value);
        }
    }

    /**
     * @param allocs allocations as the API lists them
     * @return Nomad's allocation table
     */
    static String table(JsonNode allocs) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "Node ID", "Task Group", "Job", "Desired", "Status", "Created"));
        for (JsonNode alloc : allocs) {
            rows.add(List.of(Format.shortId(alloc.get("ID").asText()), Format.shortId(alloc.get("NodeID").asText()),
                    alloc.get("TaskGroup").asText(), alloc.get("JobID").asText(), alloc.get("DesiredStatus").asText(),
                    alloc.get("ClientStatus").asText(), Format.nanos(alloc.get("CreateTime").asLong())));
        }
        return Format.columns(rows);
    }
}
