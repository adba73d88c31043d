package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskapi alloc status|exec}. */
@Command(name = "alloc", mixinStandardHelpOptions = true, description = "Inspect allocations and run commands in their tasks.",
        subcommands = {AllocCommands.Status.class, AllocCommands.Exec.class})
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
     * {@code alloc exec [-task T] [-job] [-i] [-t] ID COMMAND [ARGS…]}, as Nomad's: the command runs in the task, with
     * this terminal's input and output, and its exit code is this command's.
     */
    @Command(name = "exec", mixinStandardHelpOptions = true, description = "Run a command in a running task, streaming"
            + " standard input, output and error; exits with the command's exit code.")
    public static final class Exec extends ApiCommand {
        @Option(names = "-task", paramLabel = "TASK", description = "The task (needed when the allocation has more"
                + " than one).")
        String task;

        @Option(names = "-job", description = "ID is a job id: use one of its running allocations.")
        boolean job;

        @Option(names = "-i", arity = "0..1", defaultValue = "true", fallbackValue = "true",
                description = "Pass standard input to the command (default true).")
        boolean stdin;

        @Option(names = "-t", arity = "0..1", fallbackValue = "true", description = "Give the command a terminal"
                + " (default: when standard input and output are terminals).")
        Boolean tty;

        @Parameters(index = "0", paramLabel = "ID", description = "An allocation id or a unique prefix (with -job:"
                + " a job id).")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "The command and its"
                + " arguments.")
        List<String> command;

        @Override
        String what() {
            return "executing command";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            String namespace = "namespace=" + ApiClient.encode(api.namespace());
            JsonNode alloc = job ? runningAllocationOf(client, namespace) : allocation(client, namespace);
            if (alloc == null) {
                return 1;
            }
            List<String> tasks = new ArrayList<>();
            alloc.path("TaskStates").fieldNames().forEachRemaining(tasks::add);
            String taskName = task;
            if (taskName == null) {
                if (tasks.size() != 1) {
                    err().println("Please specify the task with -task: the allocation has " + tasks);
                    return 1;
                }
                taskName = tasks.get(0);
            }
            boolean terminal = tty != null ? tty : isTerminal(0) && isTerminal(1);
            String path = "/v1/client/allocation/" + ApiClient.encode(alloc.get("ID").asText()) + "/exec?"
                    + namespace + "&task=" + ApiClient.encode(taskName) + "&tty=" + terminal + "&command="
                    + ApiClient.encode(new ObjectMapper().writeValueAsString(command));
            out().flush();
            return new AllocExec(System.out, System.err).run(client, path,
                    stdin ? Optional.of(System.in) : Optional.empty(), terminal);
        }

        /** Whether a file descriptor of this process is a terminal (Linux: what /proc says it is). */
        private static boolean isTerminal(int fd) {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }

        private JsonNode allocation(ApiClient client, String namespace) throws IOException, ApiException {
            JsonNode matches = client.get("/v1/allocations?" + namespace + "&prefix=" + ApiClient.encode(id));
            if (matches.size() != 1) {
                err().println(matches.size() == 0 ? "No allocation(s) with prefix or id \"" + id + "\" found"
                        : "Prefix \"" + id + "\" matched multiple allocations");
                return null;
            }
            return matches.get(0);
        }

        private JsonNode runningAllocationOf(ApiClient client, String namespace) throws IOException, ApiException {
            for (JsonNode alloc : client.get("/v1/job/" + ApiClient.encode(id) + "/allocations?" + namespace)) {
                if (alloc.path("ClientStatus").asText().equals("running")) {
                    return alloc;
                }
            }
            err().println("No running allocation of job \"" + id + "\"");
            return null;
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
