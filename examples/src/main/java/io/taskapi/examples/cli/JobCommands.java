package io.taskapi.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.JobspecParser;
import io.taskapi.hcl.HclParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskapi job run|stop|status}. */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Run, stop and inspect jobs.",
        subcommands = {JobCommands.Run.class, JobCommands.Stop.class, JobCommands.Status.class})
public final class JobCommands {
    private JobCommands() {}

    /**
     * {@code job run [-detach] FILE}: parses the job file here (errors name line:column), registers it, and unless
     * {@code -detach} follows its allocations until they finish (batch) or run (service). Exit code 2 when an
     * allocation failed, as Nomad signals a job that did not go as planned.
     */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a job file (HCL) and wait for its allocations.")
    public static final class Run extends ApiCommand {
        private static final Duration POLL = Duration.ofMillis(200);

        @Option(names = "-detach", description = "Return once the job is registered.")
        boolean detach;

        @Option(names = "-timeout", paramLabel = "SECONDS", defaultValue = "300",
                description = "How long to wait for the allocations (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Parameters(paramLabel = "FILE", description = "The job file, or - for standard input.")
        String file;

        @Override
        String what() {
            return "running the job";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            String source = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            JobSpec job;
            try {
                job = JobspecParser.parse(source);
            } catch (HclParseException e) {
                err().println("Error parsing job file from " + file + ":");
                err().println("  " + e.getMessage());
                return 1;
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("Job", JobJson.write(job));
            JsonNode answer = client.write("PUT", "/v1/jobs?namespace=" + ApiClient.encode(job.namespace()), body);
            List<String> ids = new ArrayList<>();
            answer.get("AllocationIDs").forEach(id -> ids.add(id.asText()));
            out().printf("==> Job \"%s\" registered (evaluation \"%s\")%n", job.id(),
                    Format.shortId(answer.get("EvalID").asText()));
            for (String id : ids) {
                out().printf("    Allocation \"%s\" created%n", Format.shortId(id));
            }
            out().flush();
            if (detach) {
                out().println("Job registration successful");
                return 0;
            }
            return follow(client, job, ids);
        }

        private int follow(ApiClient client, JobSpec job, List<String> ids) throws IOException, ApiException {
            String namespace = "?namespace=" + ApiClient.encode(job.namespace());
            Map<String, String> last = new LinkedHashMap<>();
            Map<String, JsonNode> done = new LinkedHashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (done.size() < ids.size()) {
                for (String id : ids) {
                    if (done.containsKey(id)) {
                        continue;
                    }
                    JsonNode alloc = client.get("/v1/allocation/" + ApiClient.encode(id) + namespace);
                    String status = alloc.get("ClientStatus").asText();
                    String before = last.put(id, status);
                    if (!status.equals(before)) {
                        out().printf("==> Allocation \"%s\" status %s%n", Format.shortId(id),
                                before == null ? "\"" + status + "\"" : "changed: \"" + before + "\" -> \"" + status
                                        + "\"");
                        out().flush();
                    }
                    boolean terminal = status.equals("complete") || status.equals("failed");
                    if (terminal || (!job.batch() && status.equals("running"))) {
                        done.put(id, alloc);
                    }
                }
                if (done.size() < ids.size()) {
                    if (System.nanoTime() > deadline) {
                        err().println("Error: allocations still running after " + timeoutSeconds + "s");
                        return 1;
                    }
                    sleep();
                }
            }
            int code = 0;
            for (JsonNode alloc : done.values()) {
                alloc.get("TaskStates").properties().forEach(task -> {
                    JsonNode state = task.getValue();
                    JsonNode exit = state.get("ExitCode");
                    out().printf("    Task \"%s\" is \"%s\"%s%n", task.getKey(), state.get("State").asText(),
                            exit == null || exit.isNull() ? "" : " (exit code " + exit.asInt() + ")");
                    if (state.get("Failed").asBoolean()) {
                        JsonNode events = state.get("Events");
                        String lastEvent = events.size() == 0 ? "" : events.get(events.size() - 1).get("DisplayMessage")
                                .asText();
                        out().printf("      %s%n", lastEvent);
                    }
                });
                if (alloc.get("ClientStatus").asText().equals("failed")) {
                    code = 2;
                }
            }
            out().flush();
            return code;
        }

        private static void sleep() throws IOException {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** {@code job stop NAME}. */
    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a job: its tasks get 5s to end, then are killed.")
    public static final class Stop extends ApiCommand {
        @Parameters(paramLabel = "JOB", description = "The job id.")
        String jobId;

        @Override
        String what() {
            return "stopping the job";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            client.write("DELETE", "/v1/job/" + ApiClient.encode(jobId) + "?namespace="
                    + ApiClient.encode(api.namespace()), null);
            out().printf("==> Job \"%s\" stopped%n", jobId);
            return 0;
        }
    }

    /** {@code job status [JOB]}. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "List jobs, or show one with its allocations.")
    public static final class Status extends ApiCommand {
        @Option(names = "-json", description = "Print the API's JSON.")
        boolean json;

        @Parameters(paramLabel = "JOB", arity = "0..1", description = "A job id.")
        String jobId;

        @Override
        String what() {
            return "querying jobs";
        }

        @Override
        int execute(ApiClient client) throws IOException, ApiException {
            String namespace = "?namespace=" + ApiClient.encode(api.namespace());
            if (jobId == null) {
                JsonNode jobs = client.get("/v1/jobs" + namespace);
                if (json) {
                    out().println(Format.json(jobs));
                    return 0;
                }
                if (jobs.size() == 0) {
                    out().println("No running jobs");
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("ID", "Type", "Status", "Submit Date"));
                jobs.forEach(j -> rows.add(List.of(j.get("ID").asText(), j.get("Type").asText(),
                        j.get("Status").asText(), Format.nanos(j.get("SubmitTime").asLong()))));
                out().print(Format.columns(rows));
                return 0;
            }
            JsonNode job = client.get("/v1/job/" + ApiClient.encode(jobId) + namespace);
            JsonNode allocs = client.get("/v1/job/" + ApiClient.encode(jobId) + "/allocations" + namespace);
            if (json) {
                out().println(Format.json(job));
                return 0;
            }
            out().print(Format.keyValues(Format.pairs("ID", job.get("ID").asText(), "Name", job.get("Name").asText(),
                    "Type", job.get("Type").asText(), "Namespace", job.get("Namespace").asText(),
                    "Status", job.get("Status").asText(), "Stop", job.get("Stop").asText())));
            out().println();
            out().println("Allocations");
            out().print(AllocCommands.table(allocs));
            return 0;
        }
    }
}
