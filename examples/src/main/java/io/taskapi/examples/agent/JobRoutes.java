package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.JobspecParser;
import io.taskapi.hcl.HclParseException;
import io.taskapi.spi.api.AgentPermission;
import io.taskapi.spi.api.AgentRequest;
import io.taskapi.spi.api.AgentResponse;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentRouteException;
import io.taskapi.spi.state.StateUnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The agent's job and allocation routes, added to the plugin through the SPI so that they get its authentication,
 * ACL checks, error shape and audit log. Namespace-scoped like Nomad's: the permission is checked in the namespace
 * the request names ({@code ?namespace=}, default {@code default}), and every route only ever sees objects of that
 * namespace, so a grant in one namespace reveals nothing of another.
 *
 * <pre>
 * PUT|POST /v1/jobs              {"Job":{…}}       namespace submit-job   register (place and start allocations)
 * POST     /v1/jobs/parse        {"JobHCL":"…"}    namespace parse-job    a job file to the Job JSON
 * GET      /v1/jobs              ?prefix=          namespace list-jobs
 * GET      /v1/job/:id                             namespace read-job
 * GET      /v1/job/:id/summary                     namespace read-job
 * GET      /v1/evaluation/:id                      namespace read-job
 * DELETE   /v1/job/:id                             namespace submit-job   stop
 * GET      /v1/job/:id/allocations                 namespace read-job
 * GET      /v1/allocations       ?prefix=          namespace read-job
 * GET      /v1/allocation/:id                      namespace read-job
 * GET      /v1/job/:id/evaluations                 namespace read-job
 * GET      /v1/job/:id/versions  ?diffs=false      namespace read-job
 * GET      /v1/evaluation/:id/allocations          namespace read-job (and in the allocations' namespace)
 * GET      /v1/node/:id/allocations                node read          only allocations of namespaces the caller
 *                                                                     may read-job in, across namespaces (Nomad)
 * </pre>
 *
 * <p>Every {@code GET} is a Nomad blocking query ({@code ?index=N&wait=D}): the plugin holds it until the scheduler's
 * state index ({@link JobScheduler#stateIndex()}), which is also its {@code X-Nomad-Index}, passes {@code N}.
 */
public final class JobRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobRoutes() {}

    /**
     * @param scheduler the jobs
     * @param allocations the allocations
     * @param cluster the other agents' jobs and allocations, for the lists
     * @return every route
     */
    static List<AgentRoute> all(JobScheduler scheduler, AllocationStore allocations, ClusterView cluster) {
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(allocations, "allocations is null");
        requireNonNull(cluster, "cluster is null");
        return List.of(
                new Route("PUT", "/v1/jobs", "submit-job", "Registers a job: {\"Job\":{…},\"EnforceIndex\","
                        + "\"JobModifyIndex\",\"PolicyOverride\"} in Nomad's JSON shape; EnforceIndex makes it a"
                        + " check-and-set on JobModifyIndex (0: the job must not exist). Answers {\"EvalID\","
                        + "\"JobModifyIndex\",\"AllocationIDs\"}.",
                        request -> register(scheduler, request)),
                new Route("POST", "/v1/jobs", "submit-job", "Registers a job, as PUT does.",
                        request -> register(scheduler, request)),
                new Route("POST", "/v1/jobs/parse", "parse-job", "Parses a job file: {\"JobHCL\":\"…\"} → the Job"
                        + " JSON; errors name line:column.", JobRoutes::parse),
                new Route("GET", "/v1/jobs", "list-jobs", "Lists the namespace's jobs (?prefix= filters by id), of every"
                        + " agent of a cluster.", request -> listJobs(scheduler, cluster, request)),
                new Route("GET", "/v1/job/:id", "read-job", "Reads a job.",
                        request -> json(scheduler.toJson(job(scheduler, request), true))),
                new Route("GET", "/v1/job/:id/summary", "read-job", "Counts a job's allocations by status, per"
                        + " group (Nomad's JobSummary).",
                        request -> json(scheduler.summary(job(scheduler, request)))),
                new Route("GET", "/v1/evaluation/:id", "read-job", "Reads the evaluation a registration or stop"
                        + " returned (EvalID): complete, as this agent places before it answers.",
                        request -> evaluation(scheduler, request)),
                new Route("DELETE", "/v1/job/:id", "submit-job", "Stops a job: its tasks get 5s to end.",
                        request -> stop(scheduler, request)),
                new Route("GET", "/v1/job/:id/allocations", "read-job", "Lists a job's current allocations.",
                        request -> jobAllocations(scheduler, allocations, request)),
                new Route("GET", "/v1/allocations", "read-job", "Lists the namespace's allocations (?prefix= filters"
                        + " by id), of every agent of a cluster.",
                        request -> listAllocations(allocations, cluster, request)),
                new Route("GET", "/v1/allocation/:id", "read-job", "Reads an allocation, with its task states.",
                        request -> json(allocation(allocations, request).toJson())),
                new Route("GET", "/v1/job/:id/evaluations", "read-job", "Lists a job's evaluations (Nomad's"
                        + " Evaluation objects) among the last 1,024 this agent keeps in memory; [] for a job"
                        + " it does not know, as Nomad.", request -> jobEvaluations(scheduler, request)),
                new Route("GET", "/v1/job/:id/versions", "read-job", "Lists a job's versions, newest first:"
                        + " {\"Versions\":[…jobs…],\"Diffs\":null}, the last " + JobScheduler.VERSIONS_KEPT
                        + " registrations and stops (?diffs=true is refused: no diffs here).",
                        request -> jobVersions(scheduler, request)),
                new Route("GET", "/v1/evaluation/:id/allocations", "read-job", "Lists the allocations an evaluation"
                        + " placed; [] for an unknown evaluation, as Nomad.",
                        request -> evaluationAllocations(allocations, request)),
                new Route("GET", "/v1/node/:id/allocations", AgentPermission.of(AgentPermission.Kind.NODE_READ),
                        "Lists the allocations on a node, of every namespace in which the caller may read-job; []"
                        + " for an unknown node, as Nomad.", request -> nodeAllocations(allocations, request)));
    }

    private static AgentResponse register(JobScheduler scheduler, AgentRequest request) throws AgentRouteException {
        JsonNode body = body(request);
        OptionalLong expectedIndex = registerOptions(body);
        JsonNode jobNode = body.get("Job");
        if (jobNode == null || !jobNode.isObject()) {
            throw new AgentRouteException(400, "missing Job object");
        }
        String namespace = namespace(request);
        ObjectNode jobObject = ((ObjectNode) jobNode).deepCopy();
        if (!jobObject.hasNonNull("Namespace")) {
            jobObject.put("Namespace", namespace);
        }
        JobSpec job;
        try {
            job = JobJson.read(jobObject);
        } catch (IllegalArgumentException e) {
            throw new AgentRouteException(400, e.getMessage());
        }
        // The permission was checked in the request's namespace: the job must not land in another one.
        if (!job.namespace().equals(namespace)) {
            throw new AgentRouteException(400, "Job.Namespace \"" + job.namespace()
                    + "\" does not match the request's namespace \"" + namespace + "\" (send ?namespace="
                    + job.namespace() + ")");
        }
        JobScheduler.Result result;
        try {
            result = scheduler.register(job, expectedIndex);
        } catch (JobScheduler.IndexConflictException e) {
            // Nomad answers 500 with this text; a conflict is what it is
            throw new AgentRouteException(409, e.getMessage());
        } catch (JobScheduler.RejectedException e) {
            throw new AgentRouteException(400, e.getMessage());
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("EvalID", result.evalId());
        out.put("EvalCreateIndex", result.index());
        out.put("JobModifyIndex", result.index());
        out.put("Index", result.index());
        out.put("Warnings", "");
        ArrayNode ids = out.putArray("AllocationIDs");
        result.allocationIds().forEach(ids::add);
        return json(out);
    }

    /**
     * Nomad's {@code JobRegisterRequest} around the job: {@code EnforceIndex} with {@code JobModifyIndex} is a
     * check-and-set; {@code PolicyOverride} (Sentinel) has nothing to override here; the write request's fields are
     * accepted empty. Anything else set is refused, every such field at once.
     *
     * @return the job modify index to enforce, if any
     */
    private static OptionalLong registerOptions(JsonNode body) throws AgentRouteException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case "Job":
                    break;
                case "EnforceIndex":
                case "PolicyOverride":
                    if (!value.isNull() && !value.isBoolean()) {
                        problems.add(name + " must be true or false");
                    }
                    break;
                case "JobModifyIndex":
                    if (!value.isNull() && !(value.isIntegralNumber() && value.canConvertToLong()
                            && value.longValue() >= 0)) {
                        problems.add(name + " must be a non-negative whole number");
                    }
                    break;
                // set, these are features this agent lacks: counts kept across updates, eval priorities, the job
                // source, idempotent writes
                case "PreserveCounts":
                case "EvalPriority":
                case "Submission":
                case "IdempotencyToken":
                // the write request's own fields: the query string and the token header carry them here
                case "Region":
                case "Namespace":
                case "SecretID":
                    if (!isUnset(value)) {
                        problems.add(name + ": not supported by this agent");
                    }
                    break;
                default:
                    problems.add("unknown field \"" + name + "\"");
            }
        }
        if (!problems.isEmpty()) {
            throw new AgentRouteException(400, String.join("; ", problems));
        }
        if (!body.path("EnforceIndex").asBoolean(false)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(body.path("JobModifyIndex").asLong(0));
    }

    private static boolean isUnset(JsonNode value) {
        return value.isNull() || value.isBoolean() && !value.booleanValue()
                || value.isNumber() && value.decimalValue().signum() == 0
                || value.isTextual() && value.textValue().isEmpty();
    }

    private static AgentResponse evaluation(JobScheduler scheduler, AgentRequest request)
            throws AgentRouteException {
        // Another namespace's evaluation is "not found", as its job would be.
        return json(scheduler.evaluation(request.params().get("id"))
                .filter(evaluation -> evaluation.namespace().equals(namespace(request)))
                .orElseThrow(() -> new AgentRouteException(404, "eval not found"))
                .toJson());
    }

    private static AgentResponse parse(AgentRequest request) throws AgentRouteException {
        JsonNode body = body(request);
        JsonNode hcl = body.get("JobHCL");
        if (hcl == null || !hcl.isTextual()) {
            throw new AgentRouteException(400, "missing JobHCL string");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("JobHCL") && !field.equals("Canonicalize")) {
                throw new AgentRouteException(400, "unknown field \"" + field + "\"");
            }
        }
        try {
            return json(JobJson.write(JobspecParser.parse(hcl.textValue())));
        } catch (HclParseException e) {
            throw new AgentRouteException(400, e.getMessage());
        }
    }

    private static AgentResponse listJobs(JobScheduler scheduler, ClusterView cluster, AgentRequest request)
            throws AgentRouteException {
        String namespace = namespace(request);
        String prefix = request.firstQuery("prefix").orElse("");
        List<JsonNode> jobs = new ArrayList<>();
        for (JobScheduler.JobRecord job : scheduler.list(namespace)) {
            jobs.add(scheduler.toJson(job, false));
        }
        jobs.addAll(others(cluster::jobs, namespace));
        ArrayNode out = JSON.createArrayNode();
        jobs.stream().filter(job -> job.path("ID").asText().startsWith(prefix))
                .sorted(Comparator.comparing((JsonNode job) -> job.path("ID").asText())).forEach(out::add);
        return json(out);
    }

    /** The other agents' entries of a namespace; 503 when the cluster's state cannot be trusted now. */
    private static List<JsonNode> others(ClusterViewRead read, String namespace) throws AgentRouteException {
        try {
            return read.get().stream().filter(entry -> entry.path("Namespace").asText().equals(namespace)).toList();
        } catch (StateUnavailableException e) {
            throw new AgentRouteException(503, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface ClusterViewRead {
        List<JsonNode> get() throws StateUnavailableException;
    }

    private static AgentResponse stop(JobScheduler scheduler, AgentRequest request) throws AgentRouteException {
        JobScheduler.Result result = scheduler.stop(namespace(request), request.params().get("id"))
                .orElseThrow(() -> new AgentRouteException(404, "job not found"));
        ObjectNode out = JSON.createObjectNode();
        out.put("EvalID", result.evalId());
        out.put("EvalCreateIndex", result.index());
        out.put("JobModifyIndex", result.index());
        out.put("Index", result.index());
        return json(out);
    }

    private static AgentResponse jobAllocations(JobScheduler scheduler, AllocationStore allocations,
                                                AgentRequest request) throws AgentRouteException {
        ArrayNode out = JSON.createArrayNode();
        for (String id : job(scheduler, request).allocationIds()) {
            allocations.find(id).ifPresent(a -> out.add(a.toJson()));
        }
        return json(out);
    }

    private static AgentResponse listAllocations(AllocationStore allocations, ClusterView cluster,
                                                 AgentRequest request) throws AgentRouteException {
        String namespace = namespace(request);
        String prefix = request.firstQuery("prefix").orElse("");
        List<JsonNode> listed = new ArrayList<>();
        for (Allocation allocation : allocations.list()) {
            if (allocation.namespace().equals(namespace)) {
                listed.add(allocation.toJson());
            }
        }
        listed.addAll(others(cluster::allocations, namespace));
        ArrayNode out = JSON.createArrayNode();
        listed.stream().filter(allocation -> allocation.path("ID").asText().startsWith(prefix))
                .sorted(Comparator.comparing((JsonNode allocation) -> allocation.path("CreateTime").asLong())
                        .thenComparing(allocation -> allocation.path("ID").asText()))
                .forEach(out::add);
        return json(out);
    }

    private static AgentResponse jobEvaluations(JobScheduler scheduler, AgentRequest request) {
        ArrayNode out = JSON.createArrayNode();
        scheduler.evaluations(namespace(request), request.params().get("id"))
                .forEach(evaluation -> out.add(evaluation.toJson()));
        return json(out);
    }

    /** Nomad's {@code JobVersionsResponse}; its query metadata is in the headers, as on every route. */
    private static AgentResponse jobVersions(JobScheduler scheduler, AgentRequest request)
            throws AgentRouteException {
        String diffs = request.firstQuery("diffs").orElse("");
        if (!diffs.isEmpty() && goBool(diffs).orElseThrow(() -> new AgentRouteException(400, "Failed to parse value"
                + " of \"diffs\" (" + diffs + ") as a bool"))) {
            throw new AgentRouteException(400, "diffs: not supported by this agent (send diffs=false)");
        }
        List<JobScheduler.JobRecord> versions = scheduler.versions(namespace(request), request.params().get("id"));
        if (versions.isEmpty()) {
            throw new AgentRouteException(404, "job versions not found");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode jobs = out.putArray("Versions");
        versions.forEach(version -> jobs.add(scheduler.toJson(version, true)));
        out.putNull("Diffs");
        return json(out);
    }

    /** Go's {@code strconv.ParseBool}, which Nomad reads its boolean query parameters with. */
    private static Optional<Boolean> goBool(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
            case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static AgentResponse evaluationAllocations(AllocationStore allocations, AgentRequest request)
            throws AgentRouteException {
        String evalId = request.params().get("id");
        List<Allocation> placed = allocations.list().stream()
                .filter(allocation -> !evalId.isEmpty() && allocation.evalId().equals(evalId)).toList();
        // As Nomad: an evaluation's allocations share its namespace; outside the request's, read-job is needed there.
        if (!placed.isEmpty() && !placed.get(0).namespace().equals(namespace(request))
                && !request.access().allows(placed.get(0).namespace(), "read-job")) {
            throw new AgentRouteException(403, "Permission denied");
        }
        ArrayNode out = JSON.createArrayNode();
        placed.forEach(allocation -> out.add(allocation.toJson()));
        return json(out);
    }

    /** Every namespace at once, as Nomad: the route needs node read, and each allocation read-job in its own. */
    private static AgentResponse nodeAllocations(AllocationStore allocations, AgentRequest request) {
        String nodeId = request.params().get("id");
        ArrayNode out = JSON.createArrayNode();
        for (Allocation allocation : allocations.list()) {
            if (allocation.nodeId().equals(nodeId) && request.access().allows(allocation.namespace(), "read-job")) {
                out.add(allocation.toJson());
            }
        }
        return json(out);
    }

    private static JobScheduler.JobRecord job(JobScheduler scheduler, AgentRequest request)
            throws AgentRouteException {
        return scheduler.find(namespace(request), request.params().get("id"))
                .orElseThrow(() -> new AgentRouteException(404, "job not found"));
    }

    private static Allocation allocation(AllocationStore allocations, AgentRequest request)
            throws AgentRouteException {
        // Another namespace's allocation is "not found": the caller's grant was checked for this namespace only.
        return allocations.find(request.params().get("id"))
                .filter(a -> a.namespace().equals(namespace(request)))
                .orElseThrow(() -> new AgentRouteException(404, "alloc not found"));
    }

    private static String namespace(AgentRequest request) {
        return request.firstQuery("namespace").orElse("default");
    }

    private static JsonNode body(AgentRequest request) throws AgentRouteException {
        byte[] body = request.body();
        if (body.length == 0) {
            throw new AgentRouteException(400, "Request body is empty");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new AgentRouteException(400, "Request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new AgentRouteException(400, "Request body is not valid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new AgentRouteException(400, "Request body cannot be read");
        }
    }

    private static AgentResponse json(JsonNode node) {
        return AgentResponse.json(node.toString());
    }

    @FunctionalInterface
    private interface Handler {
        AgentResponse handle(AgentRequest request) throws AgentRouteException;
    }

    /** One route: its method, path, namespace capability and handler. */
    private static final class Route implements AgentRoute {
        private final String method;
        private final String path;
        private final AgentPermission permission;
        private final String help;
        private final Handler handler;

        Route(String method, String path, String capability, String help, Handler handler) {
            this(method, path, AgentPermission.namespace(capability), help, handler);
        }

        Route(String method, String path, AgentPermission permission, String help, Handler handler) {
            this.method = method;
            this.path = path;
            this.permission = permission;
            this.help = help;
            this.handler = handler;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public AgentPermission permission() {
            return permission;
        }

        @Override
        public String help() {
            return help;
        }

        /** Every GET reads only jobs, allocations and evaluations, which the scheduler's state index numbers. */
        @Override
        public boolean blocks() {
            return method.equals("GET");
        }

        @Override
        public AgentResponse handle(AgentRequest request) throws AgentRouteException {
            return handler.handle(request);
        }
    }
}
