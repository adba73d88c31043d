package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.examples.jobspec.GroupSpec;
import io.taskapi.examples.jobspec.JobJson;
import io.taskapi.examples.jobspec.JobSpec;
import io.taskapi.examples.jobspec.TaskSpec;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.driver.TaskDriver;
import io.taskapi.spi.driver.TaskHandle;
import io.taskapi.spi.state.NodeDriver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places and runs jobs on this one node: {@code count} allocations per group, every task of a group in each,
 * restarted as the group's {@code restart} policy says. A batch job's allocation ends when its tasks have exited; from
 * then on the plugin refuses its identities. Registering a job again stops its live allocations and places new ones
 * (a destructive update).
 *
 * <p>Jobs and allocations are kept in {@link ClientState}: after an agent restart {@link #load()} reads them back
 * and {@link #resume()} has the drivers find every task that was running, so its socket, identity and status carry
 * on.
 */
public final class JobScheduler implements AutoCloseable {
    /** How long a task may take to end after it is asked to stop, before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

    /** How many evaluations {@link #evaluation} still finds. */
    private static final int EVALUATIONS_KEPT = 1024;

    /** How many versions of a job {@link #versions} keeps, the current one included: Nomad's default. */
    static final int VERSIONS_KEPT = 6;

    private final DriverCatalog drivers;
    private final AllocationStore allocations;
    private final WorkloadIdentitySigner signer;
    private final LocalNodeRegistry node;
    private final AgentDataDir dataDir;
    private final String region;
    private final DeferredTaskApi sockets;
    private final ClientState state;
    private final Clock clock;
    private final ExecutorService executor;
    /** Numbers every change of the jobs and allocations, for the plugin's blocking queries. */
    private final StateIndex index = new StateIndex();
    /** The last evaluations, oldest first; guarded by itself. */
    private final Map<String, Evaluation> evaluations = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Evaluation> eldest) {
            return size() > EVALUATIONS_KEPT;
        }
    };
    private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
    /** Each job's versions, newest (the current one) first, at most {@link #VERSIONS_KEPT}. */
    private final Map<String, List<JobRecord>> versions = new LinkedHashMap<>();
    private final Map<String, List<TaskRunner>> runners = new LinkedHashMap<>();
    private boolean closed;
    private volatile DriverHealthMonitor healthMonitor;

    /**
     * @param drivers the drivers tasks run with
     * @param allocations where allocations are recorded (and the plugin reads their liveness)
     * @param signer signs each task's workload identity
     * @param node this node
     * @param dataDir where task directories go
     * @param region the agent's region
     * @param sockets the Task API, which drivers ask for sockets
     * @param state where jobs and allocations are kept across restarts
     * @param clock the time
     */
    JobScheduler(DriverCatalog drivers, AllocationStore allocations, WorkloadIdentitySigner signer,
                 LocalNodeRegistry node, AgentDataDir dataDir, String region, DeferredTaskApi sockets,
                 ClientState state, Clock clock) {
        this.drivers = requireNonNull(drivers, "drivers is null");
        this.allocations = requireNonNull(allocations, "allocations is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.node = requireNonNull(node, "node is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.region = requireNonNull(region, "region is null");
        this.sockets = requireNonNull(sockets, "sockets is null");
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "taskapi-task-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = Executors.newCachedThreadPool(factory);
    }

    /**
     * @return the index of the jobs and allocations, for the plugin: every change a query of the job and allocation
     *     routes would show raises it ({@link StateIndex})
     */
    AgentStateIndex stateIndex() {
        return index;
    }

    /** @param monitor looks at an unhealthy driver again before a job that needs it is refused */
    void useHealthMonitor(DriverHealthMonitor monitor) {
        this.healthMonitor = requireNonNull(monitor, "monitor is null");
    }

    /**
     * A registered job and its current allocations.
     *
     * @param spec the job
     * @param createIndex the index of its first registration
     * @param modifyIndex the index of its last change
     * @param version Nomad's job version: 0 at the first registration, one more at each later registration or stop
     *     (every registration replaces the allocations here, so even an unchanged job is a new version)
     * @param submitTime when it was last registered
     * @param stopped whether it was stopped
     * @param allocationIds its allocations since the last registration
     */
    public record JobRecord(JobSpec spec, long createIndex, long modifyIndex, long version, Instant submitTime,
                            boolean stopped, List<String> allocationIds) {
        /** Copies the list. */
        public JobRecord {
            requireNonNull(spec, "spec is null");
            requireNonNull(submitTime, "submitTime is null");
            allocationIds = List.copyOf(allocationIds);
        }
    }

    /**
     * The answer to a registration or a stop.
     *
     * @param evalId an id standing in for Nomad's evaluation
     * @param index the index of the change
     * @param allocationIds the allocations placed (none for a stop)
     */
    public record Result(String evalId, long index, List<String> allocationIds) {
        /** Copies the list. */
        public Result {
            allocationIds = List.copyOf(allocationIds);
        }
    }

    /**
     * What Nomad calls an evaluation: here, the placement a registration or a stop did before it answered.
     *
     * @param id its id, which the registration or stop returned as {@code EvalID}
     * @param namespace the job's namespace
     * @param jobId the job
     * @param type the job's type
     * @param triggeredBy {@code job-register} or {@code job-deregister}
     * @param index the change's index
     * @param nodeId the node that placed it
     * @param createTime when it was made
     */
    public record Evaluation(String id, String namespace, String jobId, String type, String triggeredBy, long index,
                             String nodeId, Instant createTime) {
        /** @return Nomad's {@code Evaluation} JSON */
        public ObjectNode toJson() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("ID", id);
            out.put("Namespace", namespace);
            out.put("Priority", 50);
            out.put("Type", type);
            out.put("TriggeredBy", triggeredBy);
            out.put("JobID", jobId);
            out.put("JobModifyIndex", index);
            out.put("NodeID", nodeId);
            out.put("Status", "complete");
            out.put("StatusDescription", "");
            out.put("CreateIndex", index);
            out.put("ModifyIndex", index);
            long nanos = ChronoUnit.NANOS.between(Instant.EPOCH, createTime);
            out.put("CreateTime", nanos);
            out.put("ModifyTime", nanos);
            return out;
        }
    }

    /** A conditional registration whose index did not match; the message is Nomad's. */
    public static final class IndexConflictException extends RejectedException {
        private static final long serialVersionUID = 1L;

        IndexConflictException(String message) {
            super(message);
        }
    }

    /** A job this node cannot run; the message says why and is safe to show. */
    public static class RejectedException extends Exception {
        private static final long serialVersionUID = 1L;

        RejectedException(String message) {
            super(message);
        }
    }

    /**
     * Checks a job against this node, then places and starts its allocations.
     *
     * @param job the job
     * @return the allocations placed
     * @throws RejectedException when a driver, a datacenter, a user or a variable does not exist here, or a driver is
     *     not healthy
     */
    public Result register(JobSpec job) throws RejectedException {
        return register(job, OptionalLong.empty());
    }

    /**
     * As {@link #register(JobSpec)}, as a check-and-set when {@code expectedModifyIndex} is given (Nomad's
     * {@code EnforceIndex}): 0 means the job must not exist yet, another value that its modify index is that one.
     *
     * @param job the job
     * @param expectedModifyIndex the job's modify index the caller last saw, if the registration is conditional
     * @return the allocations placed
     * @throws RejectedException when the job cannot run here; an {@link IndexConflictException} when the job's modify
     *     index is not the expected one, with Nomad's message
     */
    public Result register(JobSpec job, OptionalLong expectedModifyIndex) throws RejectedException {
        requireNonNull(job, "job is null");
        requireNonNull(expectedModifyIndex, "expectedModifyIndex is null");
        check(job);
        List<Allocation> placed = new ArrayList<>();
        List<String> previous;
        long modifyIndex;
        // Known before placement, so that each allocation names the evaluation that placed it (its EvalID).
        String evalId = UUID.randomUUID().toString();
        synchronized (this) {
            if (closed) {
                throw new RejectedException("the agent is shutting down");
            }
            String key = key(job.namespace(), job.id());
            JobRecord old = jobs.get(key);
            if (expectedModifyIndex.isPresent()) {
                enforceIndex(expectedModifyIndex.getAsLong(), old);
            }
            previous = old == null ? List.of() : old.allocationIds();
            // The job, its allocations and its evaluation are one change: visible together, under one index.
            modifyIndex = index.reserve();
            try {
                long version = old == null ? 0 : old.version() + 1;
                for (GroupSpec group : job.groups()) {
                    for (int i = 0; i < group.count(); i++) {
                        Allocation allocation = new Allocation(UUID.randomUUID().toString(), evalId,
                                job.id() + "." + group.name() + "[" + i + "]", job.namespace(), job.id(),
                                group.name(), version, modifyIndex, node.localNodeId(), node.node().name(),
                                group.tasks().stream().map(TaskSpec::name).toList(), clock, journal(), index);
                        allocations.add(allocation);
                        placed.add(allocation);
                    }
                }
                save(new JobRecord(job, old == null ? modifyIndex : old.createIndex(), modifyIndex, version,
                        clock.instant(), false, placed.stream().map(Allocation::id).toList()));
                evaluated(evalId, job.namespace(), job.id(), job.type(), "job-register", modifyIndex);
            } finally {
                index.release(modifyIndex);
            }
        }
        stopAllocations(previous);
        for (Allocation allocation : placed) {
            start(job, allocation);
        }
        LOG.info("job {} (namespace {}) registered: {} allocation(s)", job.id(), job.namespace(), placed.size());
        return new Result(evalId, modifyIndex, placed.stream().map(Allocation::id).toList());
    }

    /** Nomad's {@code EnforceIndex} check, with its messages ({@code api.RegisterEnforceIndexErrPrefix}). */
    private static void enforceIndex(long expected, JobRecord existing) throws IndexConflictException {
        String prefix = "Enforcing job modify index " + expected + ": ";
        if (existing != null && expected == 0) {
            throw new IndexConflictException(prefix + "job already exists");
        }
        if (existing != null && expected != existing.modifyIndex()) {
            throw new IndexConflictException(prefix + "job exists with conflicting job modify index: "
                    + existing.modifyIndex());
        }
        if (existing == null && expected != 0) {
            throw new IndexConflictException(prefix + "job does not exist");
        }
    }

    /** Records the evaluation a change stands for: this agent places at once, so it is complete when answered. */
    private Evaluation evaluated(String evalId, String namespace, String jobId, String type, String trigger,
                                 long modifyIndex) {
        Evaluation evaluation = new Evaluation(evalId, namespace, jobId, type, trigger, modifyIndex,
                node.localNodeId(), clock.instant());
        synchronized (evaluations) {
            evaluations.put(evaluation.id(), evaluation);
        }
        return evaluation;
    }

    /**
     * @param evalId an evaluation id a registration or a stop returned
     * @return the evaluation, while it is among the last {@value #EVALUATIONS_KEPT} (none survives a restart)
     */
    public Optional<Evaluation> evaluation(String evalId) {
        synchronized (evaluations) {
            return Optional.ofNullable(evaluations.get(evalId));
        }
    }

    /**
     * @param namespace a namespace
     * @param jobId a job id
     * @return the job's evaluations among the last {@value #EVALUATIONS_KEPT}, oldest first; none for an unknown job
     */
    public List<Evaluation> evaluations(String namespace, String jobId) {
        synchronized (evaluations) {
            return evaluations.values().stream()
                    .filter(e -> e.namespace().equals(namespace) && e.jobId().equals(jobId)).toList();
        }
    }

    /**
     * @param namespace a namespace
     * @param jobId a job id
     * @return the job's last {@value #VERSIONS_KEPT} versions, newest (the current one) first; none for an unknown job
     */
    public synchronized List<JobRecord> versions(String namespace, String jobId) {
        return versions.getOrDefault(key(namespace, jobId), List.of());
    }

    /**
     * @param job a job
     * @return Nomad's {@code JobSummary}: per group, how many of its current allocations are in each client status
     */
    public ObjectNode summary(JobRecord job) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("JobID", job.spec().id());
        out.put("Namespace", job.spec().namespace());
        ObjectNode groups = out.putObject("Summary");
        for (GroupSpec group : job.spec().groups()) {
            ObjectNode counts = groups.putObject(group.name());
            for (String state : List.of("Queued", "Complete", "Failed", "Running", "Starting", "Lost", "Unknown")) {
                counts.put(state, 0);
            }
        }
        for (String id : job.allocationIds()) {
            allocations.find(id).ifPresent(allocation -> {
                JsonNode counts = groups.get(allocation.group());
                if (counts instanceof ObjectNode group) {
                    String state = summaryState(allocation.clientStatus());
                    group.put(state, group.path(state).asLong() + 1);
                }
            });
        }
        ObjectNode children = out.putObject("Children");
        children.put("Pending", 0);
        children.put("Running", 0);
        children.put("Dead", 0);
        out.put("CreateIndex", job.createIndex());
        out.put("ModifyIndex", job.modifyIndex());
        return out;
    }

    private static String summaryState(Allocation.ClientStatus status) {
        switch (status) {
            case PENDING:
                return "Starting";
            case RUNNING:
                return "Running";
            case COMPLETE:
                return "Complete";
            case FAILED:
                return "Failed";
            default:
                return "Unknown";
        }
    }

    /**
     * Stops a job's allocations (their tasks get {@link #STOP_GRACE} to end) and marks it stopped.
     *
     * @param namespace the namespace
     * @param jobId the job
     * @return the result, or empty when there is no such job
     */
    public Optional<Result> stop(String namespace, String jobId) {
        List<String> ids;
        long modifyIndex;
        Evaluation evaluation;
        synchronized (this) {
            JobRecord job = jobs.get(key(namespace, jobId));
            if (job == null) {
                return Optional.empty();
            }
            modifyIndex = index.reserve();
            try {
                ids = job.allocationIds();
                // A stop is a new version of the job, as in Nomad.
                save(new JobRecord(job.spec(), job.createIndex(), modifyIndex, job.version() + 1, job.submitTime(),
                        true, ids));
                evaluation = evaluated(UUID.randomUUID().toString(), namespace, jobId, job.spec().type(),
                        "job-deregister", modifyIndex);
            } finally {
                index.release(modifyIndex);
            }
        }
        stopAllocations(ids);
        LOG.info("job {} (namespace {}) stopped", jobId, namespace);
        return Optional.of(new Result(evaluation.id(), modifyIndex, List.of()));
    }

    /** @return every job, of every namespace */
    public synchronized List<JobRecord> listAll() {
        return List.copyOf(jobs.values());
    }

    /**
     * @param namespace a namespace
     * @return its jobs, by id
     */
    public synchronized List<JobRecord> list(String namespace) {
        return jobs.values().stream().filter(j -> j.spec().namespace().equals(namespace))
                .sorted(Comparator.comparing(j -> j.spec().id())).toList();
    }

    /**
     * @param namespace a namespace
     * @param jobId a job id
     * @return the job
     */
    public synchronized Optional<JobRecord> find(String namespace, String jobId) {
        return Optional.ofNullable(jobs.get(key(namespace, jobId)));
    }

    /**
     * @param job a job
     * @param full the whole job (for {@code GET /v1/job/:id}) or the list stub
     * @return its JSON, in Nomad's shape, with {@code Status} computed from its allocations
     */
    public ObjectNode toJson(JobRecord job, boolean full) {
        ObjectNode out = full ? JobJson.write(job.spec()) : JobJson.write(job.spec()).retain("ID", "Name",
                "Namespace", "Type", "Datacenters");
        out.put("Status", status(job));
        out.put("Stop", job.stopped());
        out.put("CreateIndex", job.createIndex());
        out.put("ModifyIndex", job.modifyIndex());
        out.put("JobModifyIndex", job.modifyIndex());
        out.put("SubmitTime", ChronoUnit.NANOS.between(Instant.EPOCH, job.submitTime()));
        // What Nomad always sends, at the values this agent's jobs have: no priorities, no periodic or
        // parameterized jobs and so no children.
        out.put("Priority", 50);
        out.put("StatusDescription", "");
        out.put("ParentID", "");
        if (full) {
            out.putNull("Periodic");
            out.putNull("ParameterizedJob");
            out.put("Version", job.version());
            out.put("Stable", false); // no deployments here: no version is ever marked stable
        } else {
            out.put("Periodic", false);
            out.put("ParameterizedJob", false);
            out.set("JobSummary", summary(job));
        }
        return out;
    }

    /**
     * Reads back the jobs and allocations kept on disk, before the API answers, so that they are known from the first
     * request. A record that cannot be read is logged and skipped rather than keep the agent from starting.
     *
     * @throws IOException when the state directory cannot be read
     */
    public void load() throws IOException {
        synchronized (this) {
            for (JsonNode document : state.jobs()) {
                try {
                    JobRecord job = readJob(document);
                    String key = key(job.spec().namespace(), job.spec().id());
                    jobs.put(key, job);
                    List<JobRecord> kept = new ArrayList<>(List.of(job));
                    document.path("Versions").forEach(older -> kept.add(readJob(older)));
                    versions.put(key, List.copyOf(kept));
                    index.raiseTo(job.modifyIndex());
                } catch (RuntimeException e) {
                    LOG.error("skipping a job record that cannot be read: {}", e.toString());
                }
            }
            for (JsonNode document : state.allocations()) {
                String id = document.path("ID").asText();
                try {
                    Allocation allocation = Allocation.restore(document, clock,
                            record -> state.saveAllocation(id, record), index);
                    allocations.add(allocation);
                    index.raiseTo(allocation.modifyIndex());
                } catch (RuntimeException e) {
                    LOG.error("skipping the record of allocation {}: {}", id, e.toString());
                }
            }
        }
    }

    /**
     * Takes up every loaded allocation that was not over, once the Task API runs: each task that was running is
     * recovered through its driver (or marked failed when it cannot be), one that had not started yet is started,
     * and an allocation that was being stopped is stopped.
     *
     * @return how many tasks are being recovered
     */
    public int resume() {
        List<Allocation> live = allocations.list().stream().filter(a -> !a.clientStatus().terminal()).toList();
        int recovered = 0;
        for (Allocation allocation : live) {
            recovered += resume(allocation);
        }
        if (!live.isEmpty()) {
            LOG.info("recovering {} task(s) of {} allocation(s) from the last run", recovered, live.size());
        }
        return recovered;
    }

    /**
     * Stops every task (each gets the grace period), then lets the task threads go. For {@code -dev}, and for an
     * agent whose tasks should not outlive it.
     */
    @Override
    public void close() {
        close(true);
    }

    /**
     * @param allocationId an allocation's id
     * @param task one of its tasks
     * @return the task's runner, if the allocation is this agent's and has that task
     */
    synchronized Optional<TaskRunner> runner(String allocationId, String task) {
        return runners.getOrDefault(allocationId, List.of()).stream().filter(r -> r.name().equals(task))
                .findFirst();
    }

    /**
     * Stops placing work and lets the task threads go, leaving every task running for the next start of the agent to
     * recover (Nomad's client does the same when it stops). What a task does from now on is read back from its
     * driver then: its exit code is kept by its supervisor, not by this process.
     */
    public void detach() {
        close(false);
    }

    private void close(boolean stopTasks) {
        List<String> ids;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ids = new ArrayList<>(runners.keySet());
        }
        if (!stopTasks) {
            List<TaskRunner> all;
            synchronized (this) {
                all = runners.values().stream().flatMap(List::stream).toList();
            }
            List<Future<?>> stopping = all.stream().<Future<?>>map(r -> executor.submit(r::stopUnlessRecoverable))
                    .toList();
            awaitAll(stopping);
            // No interrupt: an interrupted runner would stop its task. The threads are daemons and end with the JVM.
            executor.shutdown();
            LOG.info("leaving {} allocation(s) running for the next start to recover", ids.size());
            return;
        }
        stopAllocations(ids);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_GRACE.toSeconds() + 5, TimeUnit.SECONDS)) {
                LOG.warn("some tasks did not end in time");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    private String status(JobRecord job) {
        List<Allocation> current = job.allocationIds().stream().map(allocations::find).flatMap(Optional::stream)
                .toList();
        if (current.stream().anyMatch(a -> !a.clientStatus().terminal())) {
            return current.stream().anyMatch(a -> a.clientStatus() == Allocation.ClientStatus.RUNNING) ? "running"
                    : "pending";
        }
        return "dead";
    }

    private void check(JobSpec job) throws RejectedException {
        String dc = node.node().datacenter();
        if (job.datacenters().stream().noneMatch(pattern -> glob(pattern, dc))) {
            throw new RejectedException("no node in datacenters " + job.datacenters() + ": this node is in \"" + dc
                    + "\"");
        }
        for (GroupSpec group : job.groups()) {
            for (TaskSpec task : group.tasks()) {
                String where = "group \"" + group.name() + "\" task \"" + task.name() + "\": ";
                Optional<TaskDriver> driver = drivers.find(task.driver());
                if (driver.isEmpty()) {
                    throw new RejectedException(where + "no driver \"" + task.driver() + "\" on this node (it has "
                            + drivers.names() + ")");
                }
                NodeDriver health = node.node().drivers().get(task.driver());
                if (health != null && !health.healthy()) {
                    // Fingerprinted unhealthy a while ago: look again before refusing (the engine may be back).
                    DriverHealthMonitor monitor = healthMonitor;
                    if (monitor != null) {
                        health = monitor.refresh(task.driver()).orElse(health);
                    }
                }
                if (health != null && !health.healthy()) {
                    throw new RejectedException(where + "driver \"" + task.driver() + "\" is not healthy on this node"
                            + " (" + (health.detected() ? "" : "not detected: ") + health.healthDescription() + ")");
                }
                if (task.user().isPresent()) {
                    try {
                        TaskDirLayout.lookup(task.user().get());
                    } catch (IOException e) {
                        throw new RejectedException(where + "no user \"" + task.user().get() + "\" on this node");
                    }
                }
                // Interpolate once with stand-in values, so an unknown variable is a 400 now, not a failed task later.
                TaskRef ref = new TaskRef("00000000-0000-0000-0000-000000000000", job.namespace(), job.id(),
                        group.name(), task.name());
                TaskEnvironment env = TaskEnvironment.build(job, task, ref, 0,
                        TaskDirLayout.of(dataDir.allocDir().resolve(ref.allocationId()), task.name()),
                        driver.get().isolation(), dc,
                        task.identity().env() ? Optional.of("placeholder") : Optional.empty(),
                        node.interpolationVariables(region));
                try {
                    env.interpolateConfig(task.config());
                } catch (TaskEnvironment.InterpolationException e) {
                    throw new RejectedException(where + e.getMessage()
                            + (e.getMessage().contains("NOMAD_TOKEN") ? "; NOMAD_TOKEN needs identity { env = true }"
                            : ""));
                }
            }
        }
    }

    private void start(JobSpec job, Allocation allocation) {
        GroupSpec group = group(job, allocation).orElseThrow();
        Map<TaskRunner, Supplier<Allocation.ClientStatus>> work = new LinkedHashMap<>();
        for (TaskSpec task : group.tasks()) {
            TaskRunner runner = runner(job, task, allocation, drivers.find(task.driver()).orElseThrow());
            work.put(runner, runner::run);
        }
        execute(allocation, work);
    }

    /** @return how many of its tasks are being recovered */
    private int resume(Allocation allocation) {
        JobRecord job;
        synchronized (this) {
            job = jobs.get(key(allocation.namespace(), allocation.jobId()));
        }
        Optional<GroupSpec> group = job == null ? Optional.empty() : group(job.spec(), allocation);
        // Not its job's current allocation (the agent died while replacing or stopping it): find its tasks, then
        // stop them.
        boolean stop = job == null || job.stopped() || !job.allocationIds().contains(allocation.id());
        Map<String, TaskHandle> handles = allocation.handles();
        Map<TaskRunner, Supplier<Allocation.ClientStatus>> work = new LinkedHashMap<>();
        int recovering = 0;
        for (String name : allocation.taskNames()) {
            String taskState = allocation.state(name);
            if (taskState.equals("dead")) {
                continue;
            }
            Optional<TaskSpec> task = group.flatMap(g -> g.tasks().stream().filter(t -> t.name().equals(name))
                    .findFirst());
            Optional<TaskDriver> driver = task.flatMap(t -> drivers.find(t.driver()));
            if (task.isEmpty() || driver.isEmpty()) {
                allocation.recoveryFailed(name, "Task could not be recovered: "
                        + (task.isEmpty() ? "its job is no longer known" : "driver \"" + task.get().driver()
                        + "\" is not loaded"));
                continue;
            }
            TaskRunner runner = runner(job.spec(), task.get(), allocation, driver.get());
            TaskHandle handle = handles.get(name);
            if (taskState.equals("running") && handle == null) {
                allocation.recoveryFailed(name, "Task could not be recovered: driver " + driver.get().name()
                        + " gave no handle");
                continue;
            }
            if (handle != null) {
                recovering++;
                work.put(runner, () -> runner.recover(handle));
            } else {
                work.put(runner, runner::run);
            }
        }
        if (work.isEmpty()) {
            // Every task is over: the allocation's status says so already.
            allocations.ended(allocation.id());
            return 0;
        }
        if (stop) {
            allocation.requestStop(); // before the runners run: none starts a task, a recovered one is stopped
        }
        execute(allocation, work);
        if (stop) {
            executor.execute(() -> stopAllocations(List.of(allocation.id())));
        }
        return recovering;
    }

    private TaskRunner runner(JobSpec job, TaskSpec task, Allocation allocation, TaskDriver driver) {
        int allocIndex = Integer.parseInt(allocation.name().substring(allocation.name().lastIndexOf('[') + 1,
                allocation.name().length() - 1));
        return new TaskRunner(job, task, allocIndex, allocation, driver,
                TaskDirLayout.of(dataDir.allocDir().resolve(allocation.id()), task.name()), signer, sockets,
                node.node().datacenter(), node.interpolationVariables(region),
                new RestartTracker(task.restart(), job.type(), clock));
    }

    private void execute(Allocation allocation, Map<TaskRunner, Supplier<Allocation.ClientStatus>> work) {
        synchronized (this) {
            runners.put(allocation.id(), List.copyOf(work.keySet()));
        }
        for (Supplier<Allocation.ClientStatus> task : work.values()) {
            executor.execute(() -> {
                Allocation.ClientStatus status;
                try {
                    status = task.get();
                } catch (RuntimeException e) {
                    // The runner's own last resort failed (its state cannot be written): say so, keep the thread.
                    LOG.error("allocation {}: a task runner failed: {}", allocation.id(), e.toString());
                    status = allocation.clientStatus();
                }
                if (status.terminal()) {
                    synchronized (this) {
                        runners.remove(allocation.id());
                    }
                    LOG.info("allocation {} is {}", allocation.id(), status.wire());
                    allocations.ended(allocation.id());
                }
            });
        }
    }

    private static Optional<GroupSpec> group(JobSpec job, Allocation allocation) {
        return job.groups().stream().filter(g -> g.name().equals(allocation.group())).findFirst();
    }

    private Consumer<JsonNode> journal() {
        return record -> state.saveAllocation(record.path("ID").asText(), record);
    }

    /**
     * Keeps a job record as its new current version, with the versions before it, on disk first. Called with this
     * scheduler's lock held.
     */
    private void save(JobRecord job) {
        String key = key(job.spec().namespace(), job.spec().id());
        List<JobRecord> kept = new ArrayList<>(List.of(job));
        kept.addAll(versions.getOrDefault(key, List.of()));
        kept = List.copyOf(kept.subList(0, Math.min(kept.size(), VERSIONS_KEPT)));
        ObjectNode document = document(job);
        kept.stream().skip(1).forEach(older -> document.withArray("Versions").add(document(older)));
        state.saveJob(job.spec().namespace(), job.spec().id(), document);
        jobs.put(key, job);
        versions.put(key, kept);
    }

    private static ObjectNode document(JobRecord job) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.set("Job", JobJson.write(job.spec()));
        document.put("CreateIndex", job.createIndex());
        document.put("ModifyIndex", job.modifyIndex());
        document.put("Version", job.version());
        document.put("SubmitTime", ChronoUnit.NANOS.between(Instant.EPOCH, job.submitTime()));
        document.put("Stop", job.stopped());
        job.allocationIds().forEach(document.withArray("AllocationIDs")::add);
        return document;
    }

    /** Reads a record {@link #document} wrote (one written before versions were kept is version 0). */
    private static JobRecord readJob(JsonNode document) {
        List<String> ids = new ArrayList<>();
        document.path("AllocationIDs").forEach(id -> ids.add(id.asText()));
        return new JobRecord(JobJson.read(document.path("Job")), document.path("CreateIndex").asLong(),
                document.path("ModifyIndex").asLong(), document.path("Version").asLong(),
                Instant.EPOCH.plusNanos(document.path("SubmitTime").asLong()), document.path("Stop").asBoolean(), ids);
    }

    private void stopAllocations(List<String> ids) {
        List<Future<?>> stopping = new ArrayList<>();
        for (String id : ids) {
            List<TaskRunner> taskRunners;
            synchronized (this) {
                taskRunners = runners.getOrDefault(id, List.of());
            }
            allocations.find(id).ifPresent(Allocation::requestStop);
            for (TaskRunner runner : taskRunners) {
                stopping.add(executor.submit(() -> runner.stop(STOP_GRACE)));
            }
        }
        awaitAll(stopping);
    }

    private static void awaitAll(List<Future<?>> stopping) {
        for (Future<?> future : stopping) {
            try {
                future.get(STOP_GRACE.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("a task did not stop cleanly: {}", e.getClass().getSimpleName());
            }
        }
    }

    private static String key(String namespace, String jobId) {
        return namespace + "\0" + jobId;
    }

    /** Nomad's datacenter patterns: {@code *} matches any run of characters. */
    static boolean glob(String pattern, String value) {
        String regex = java.util.Arrays.stream(pattern.split("\\*", -1)).map(java.util.regex.Pattern::quote)
                .reduce((a, b) -> a + ".*" + b).orElse("");
        return value.matches(regex);
    }
}
